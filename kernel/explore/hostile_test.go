package explore

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"dsim/sim/scenario"
	"dsim/sim/scenario/registry"
)

// hostileQueries are query strings (and a few paths) a careless or hostile
// visitor could send: values out of range, NaN and infinities, huge
// numbers, unknown knobs and presets, names given twice, 1 MB values,
// distributions nested thousands deep, markup, bytes that are not text.
func hostileQueries() []string {
	var qs []string
	deep := strings.Repeat("mix(0.5: ", 3000) + "exp(1ms)" + strings.Repeat(", 0.5: exp(1ms))", 3000)
	shallowDeep := strings.Repeat("shift(1ms, ", 200) + "exp(1ms)" + strings.Repeat(")", 200)
	mixDeep := strings.Repeat("mix(1: ", 500) + "exp(1ms)" + strings.Repeat(")", 500) // just under a knob's 4 KB
	mb := strings.Repeat("9", 1<<20)
	edges := []string{"NaN", "-NaN", "Inf", "-Inf", "+Inf", "1e308", "-1e308", "1e-320", "0", "-0", "-1",
		"99999999999999999999999999999", "0x10", "1_000", " 1 ", "1/0s", "5/fortnight", "10%%", "1e9h",
		"2562047h47m16.854775808s", "-9223372036854775808ns", "<script>alert(1)</script>", "\x00", "\xff\xfe",
		"on;off", "exp(-1ms)", "pareto(1ms, 0)", "emp()", "mix()", "const(NaN)", shallowDeep, mixDeep}
	for _, sc := range registry.All() {
		for i, k := range sc.Knobs.Knobs() {
			// Each knob gets a few edges, the scenarios' knobs between them all.
			for j := 0; j < 3; j++ {
				qs = append(qs, "/api/run/"+sc.Name+"?"+k.Flag()+"="+url.QueryEscape(edges[(3*i+j+len(sc.Name))%len(edges)]))
			}
		}
		qs = append(qs,
			"/s/"+sc.Name+"?preset="+url.QueryEscape("<b>nope</b>"),
			"/s/"+sc.Name+"?preset=../../etc/passwd",
			"/s/"+sc.Name+"?seed=NaN",
			"/s/"+sc.Name+"?seed=99999999999999999999999",
			"/s/"+sc.Name+"?seed=1&seed=2",
			"/s/"+sc.Name+"?nope=1&also-not=2",
			"/s/"+sc.Name+"?"+strings.Repeat("a=1&", 500),
			"/s/"+sc.Name+"?"+sc.Knobs.Knobs()[0].Flag()+"="+mb,
			"/api/run/"+sc.Name+"?"+sc.Knobs.Knobs()[0].Flag()+"="+strings.Repeat("x", 20<<10),
			"/api/compare/"+sc.Name+"?a=preset%3Dnope&b=",
			"/api/compare/"+sc.Name+"?a="+url.QueryEscape("seed=1")+"&b="+url.QueryEscape("seed=2"),
			"/api/compare/"+sc.Name,
			"/s/"+sc.Name+"?%gg=1",
			"/s/"+sc.Name+"?=&&&==",
		)
		for _, k := range sc.Knobs.Knobs() {
			if k.Kind == scenario.Dist {
				qs = append(qs, "/api/run/"+sc.Name+"?"+k.Flag()+"="+url.QueryEscape(deep))
				break
			}
		}
	}
	qs = append(qs, "/s/", "/s/nope", "/s/metastable/../quorum", "/api/run/", "/api/run/nope?x=1", "/nope", "/assets/../server.go",
		"/assets/nope.js", "/done", "/s/%00", "/s/metastable?"+strings.Repeat("%", 3000))
	return qs
}

// startServer serves s on loopback as dsim explore does, until the test ends.
func startServer(t testing.TB, s *Server) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, l) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return "http://" + l.Addr().String()
}

// checkAnswer checks that an answer is a page or a JSON message, with no
// trace of Go's insides and no markup from the query.
func checkAnswer(t *testing.T, what string, resp *http.Response, body []byte) {
	t.Helper()
	ct := resp.Header.Get("Content-Type")
	text := string(body)
	switch {
	case len(body) == 0:
		t.Errorf("%s: an empty answer (%d)", what, resp.StatusCode)
	case !(strings.HasPrefix(ct, "text/html") || strings.HasPrefix(ct, "application/json") || strings.HasPrefix(ct, "text/plain") ||
		strings.HasPrefix(ct, "text/css") || strings.HasPrefix(ct, "text/javascript")):
		t.Errorf("%s: content type %q", what, ct)
	case resp.StatusCode >= 500 && resp.StatusCode != http.StatusServiceUnavailable:
		t.Errorf("%s: status %d: %.300s", what, resp.StatusCode, text)
	case strings.Contains(text, "goroutine ") || strings.Contains(text, ".go:") || strings.Contains(text, "panic"):
		t.Errorf("%s: the answer shows Go's insides: %.500s", what, text)
	case strings.Contains(text, "<script>alert") || strings.Contains(text, "<b>nope"):
		t.Errorf("%s: markup from the query reached the page unescaped", what)
	case len(body) > 4<<20:
		t.Errorf("%s: a %d-byte answer", what, len(body))
	}
}

func heapMB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

// visitor sends queries to a server as a browser would, and checks each
// answer.
type visitor struct {
	t      *testing.T
	s      *Server
	base   string
	client *http.Client
}

func (v visitor) get(path string) (*http.Response, []byte, error) {
	resp, err := v.client.Get(v.base + path)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	return resp, body, err
}

// each sends the queries one by one, then the longest straight to the
// handler (past the HTTP server's header limit, so that the explorer's own
// limits answer them), then requests with other methods and a 1 MB body.
func (v visitor) each(qs []string) map[int]int {
	t := v.t
	statuses := map[int]int{}
	for _, q := range qs {
		resp, body, err := v.get(q)
		if err != nil {
			t.Errorf("%.80s: %v", q, err)
			continue
		}
		statuses[resp.StatusCode]++
		checkAnswer(t, fmt.Sprintf("%.80s", q), resp, body)
	}
	for _, q := range qs {
		if len(q) < 8<<10 {
			continue
		}
		rec := httptest.NewRecorder()
		v.s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://x"+q, nil))
		checkAnswer(t, fmt.Sprintf("handler %.80s", q), rec.Result(), rec.Body.Bytes())
		if rec.Code != http.StatusRequestURITooLong && rec.Code != http.StatusBadRequest {
			t.Errorf("handler %.80s: status %d", q, rec.Code)
		}
	}
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		req, _ := http.NewRequest(m, v.base+"/s/metastable", strings.NewReader(strings.Repeat("x", 1<<20)))
		resp, err := v.client.Do(req)
		if err != nil {
			t.Errorf("%s: %v", m, err)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("%s: status %d", m, resp.StatusCode)
		}
		checkAnswer(t, m, resp, body)
	}
	return statuses
}

// atOnce sends n requests at once: runs on many seeds and hostile queries
// mixed. It returns how many were told the explorer is busy.
func (v visitor) atOnce(n int, qs []string) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	busy := 0
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			q := fmt.Sprintf("/api/run/metastable?preset=storm&seed=%d", 100+i)
			if i%3 == 1 {
				q = qs[(i*37)%len(qs)]
			} else if i%3 == 2 {
				q = fmt.Sprintf("/s/queueing?seed=%d", 100+i)
			}
			resp, body, err := v.get(q)
			if err != nil {
				v.t.Errorf("at once %s: %v", q, err)
				return
			}
			checkAnswer(v.t, "at once "+q, resp, body)
			mu.Lock()
			defer mu.Unlock()
			if resp.StatusCode == http.StatusServiceUnavailable && strings.Contains(string(body), "busy") {
				busy++
			}
		}(i)
	}
	wg.Wait()
	return busy
}

// At least 200 hostile queries, then 50 at once: every answer is a page
// or an error message, memory stays bounded and the server keeps serving.
func TestHostileQueries(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the hostile queries take a while")
	}
	s := New(Options{Limits: Limits{Runs: 2, Wait: 300 * time.Millisecond, RunTime: 2 * time.Second, CacheRuns: 16, CacheBytes: 8 << 20}})
	v := visitor{t: t, s: s, base: startServer(t, s), client: &http.Client{Timeout: 30 * time.Second}}
	before := heapMB()
	qs := hostileQueries()
	if len(qs) < 200 {
		t.Fatalf("only %d hostile queries", len(qs))
	}
	statuses := v.each(qs)
	busy := v.atOnce(50, qs)

	// Still serving: the storm page, complete.
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, body, err := v.get("/s/metastable?preset=storm")
		if err == nil && resp.StatusCode == http.StatusOK && strings.Contains(string(body), `data-outcome="Metastable"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the flood the storm page does not come back: %v %.300s", err, body)
		}
		time.Sleep(200 * time.Millisecond)
	}
	after := heapMB()
	t.Logf("%d hostile queries, statuses %v; 50 at once, %d told busy; heap %.0f MB before, %.0f MB after (cache %d runs, %d bytes)",
		len(qs), statuses, busy, before, after, s.run.cache.len(), s.run.cache.bytes)
	if after-before > 200 {
		t.Errorf("the heap grew by %.0f MB", after-before)
	}
	if s.run.cache.bytes > 8<<20 || s.run.cache.len() > 16 {
		t.Errorf("the cache holds %d runs, %d bytes", s.run.cache.len(), s.run.cache.bytes)
	}
}
