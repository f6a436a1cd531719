package explore

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"dsim/sim/scenario/registry"
)

// FuzzQuery reads any query string for any scenario as the page and the
// API do, without running it: reading never panics, errors name the
// scenario and stay short, the page is drawn, and the canonical query of an
// accepted one reads back as itself.
func FuzzQuery(f *testing.F) {
	// Every fourth hostile query: the seeds are rerun before each fuzzing.
	for k, q := range hostileQueries() {
		if i := strings.IndexByte(q, '?'); i >= 0 && len(q) < maxQuery && k%4 == 0 {
			f.Add(uint8(len(q)), q[i+1:])
		}
	}
	f.Add(uint8(1), "preset=storm&seed=1&retry-budget=0.1")
	f.Add(uint8(0), "arrival-rate=60/min&service=mix(0.9: exp(1ms), 0.1: exp(50ms))")
	f.Add(uint8(4), "preset=coherent&downstream-schema-encoding=latin-1&rate=10%25")
	s := New(Options{})
	all := registry.All()
	f.Fuzz(func(t *testing.T, which uint8, raw string) {
		sc := all[int(which)%len(all)]
		r := parseRequest(sc, raw)
		for control, msg := range r.errs {
			if len(msg) > maxErrorLen+4 {
				t.Fatalf("%s: a %d-byte error on %s", raw, len(msg), control)
			}
		}
		d := s.pageData(r)
		rec := httptest.NewRecorder()
		writePage(rec, http.StatusOK, "page", d)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `data-scenario="`+sc.Name+`"`) {
			t.Fatalf("%q: the page was not drawn: %d %.300s", raw, rec.Code, rec.Body.String())
		}
		if !r.ok() {
			return
		}
		again := parseRequest(sc, r.query())
		if !again.ok() || again.query() != r.query() {
			t.Fatalf("%q: the canonical query %q reads back as %q (%v %v)", raw, r.query(), again.query(), again.errs, again.general)
		}
	})
}
