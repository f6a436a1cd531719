package explore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// runAnswer is the JSON the page's script gets for a run: what is wrong
// with the settings, or how far the run is, or what it shows.
type runAnswer struct {
	// Status is "done", "running", "invalid" (see Errors and General),
	// "failed" (the run's own error, in Message) or "busy".
	Status    string            `json:"status"`
	Query     string            `json:"query,omitempty"`
	Errors    map[string]string `json:"errors,omitempty"`
	General   []string          `json:"general,omitempty"`
	Message   string            `json:"message,omitempty"`
	Values    map[string]string `json:"values,omitempty"`
	Base      map[string]string `json:"base,omitempty"`
	Positions map[string]int    `json:"positions,omitempty"`
	// Ignored says, by control, why a knob does nothing in this
	// configuration (Table.Ignored): the page greys it out with the reason.
	Ignored  map[string]string `json:"ignored,omitempty"`
	Progress *progress         `json:"progress,omitempty"`
	View     *view             `json:"view,omitempty"`
}

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		errorPage(w, http.StatusNotFound, "no page "+quote(r.URL.Path)+" here; the index lists the scenarios")
		return
	}
	writePage(w, http.StatusOK, "index", indexData{Scenarios: s.opts.Scenarios})
}

// page is a scenario's page, with its run when it is ready within
// pageWait; otherwise the page shows the run's progress and polls.
func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.scenarioOf(w, r, "/s/")
	if !ok {
		return
	}
	req := parseRequest(sc, r.URL.RawQuery)
	d := s.pageData(req)
	status := http.StatusOK
	if !req.ok() {
		status = http.StatusBadRequest
		d.Message, d.Refused = refusedMessage(req), true
	} else {
		res, j, err := s.outcome(r.Context(), req, pageWait)
		switch {
		case errors.Is(err, errBusy):
			// The page's script asks again.
			d.Progress = &progress{Text: "waiting: " + err.Error()}
		case err != nil:
			d.Message, d.Refused = err.Error(), true
		case j != nil:
			p := j.progress()
			d.Progress = &p
		case res.err != nil:
			d.Message, d.Refused = clip(res.err.Error()), true
		default:
			d.View = res.view
			s.remember(req, res)
		}
	}
	writePage(w, status, "page", d)
}

func (s *Server) apiRun(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.scenarioOf(w, r, "/api/run/")
	if !ok {
		return
	}
	req := parseRequest(sc, r.URL.RawQuery)
	a := runAnswer{Query: req.query()}
	if !req.ok() {
		a.Status, a.Errors, a.General = "invalid", req.errs, req.general
		writeJSON(w, http.StatusBadRequest, a)
		return
	}
	a.Values, a.Base, a.Positions = values(req)
	a.Ignored = ignored(req)
	res, j, err := s.outcome(r.Context(), req, apiWait)
	switch {
	case errors.Is(err, errBusy):
		a.Status, a.Message = "busy", err.Error()
		writeJSON(w, http.StatusServiceUnavailable, a)
		return
	case err != nil:
		a.Status, a.Message = "failed", err.Error()
	case j != nil:
		p := j.progress()
		a.Status, a.Progress = "running", &p
	case res.err != nil:
		a.Status, a.Message = "failed", clip(res.err.Error())
	default:
		a.Status, a.View = "done", res.view
		s.remember(req, res)
	}
	writeJSON(w, http.StatusOK, a)
}

// values are the controls' texts for the request's configuration and its
// preset's, and the sliders' positions.
func values(req *request) (vals, base map[string]string, pos map[string]int) {
	vals, base, pos = map[string]string{}, map[string]string{}, map[string]int{}
	for _, k := range req.sc.Knobs.Knobs() {
		c := newControl(k)
		v, _ := req.sc.Knobs.Get(req.cfg, k.Name)
		b, _ := req.sc.Knobs.Get(req.base, k.Name)
		vals[c.Flag], base[c.Flag] = v, b
		if c.Widget == "slider" {
			pos[c.Flag] = c.position(v)
		}
	}
	return vals, base, pos
}

// ignored is why each knob the request's configuration ignores does
// nothing, by control.
func ignored(req *request) map[string]string {
	out := map[string]string{}
	for _, k := range req.sc.Knobs.Knobs() {
		if why, _ := req.sc.Knobs.Ignored(req.cfg, k.Name); why != "" {
			out[k.Flag()] = why
		}
	}
	return out
}

// compareAnswer is the JSON of two runs side by side.
type compareAnswer struct {
	Status     string      `json:"status"` // "done", "running", "invalid", "failed", "busy", "none"
	Message    string      `json:"message,omitempty"`
	Comparison *comparison `json:"comparison,omitempty"`
}

// apiCompare lays two runs side by side: a and b are their queries.
func (s *Server) apiCompare(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.scenarioOf(w, r, "/api/compare/")
	if !ok {
		return
	}
	if sc.Compare == nil {
		writeJSON(w, http.StatusOK, compareAnswer{Status: "none", Message: sc.Name + " has no comparison of runs"})
		return
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil || len(q["a"]) != 1 || len(q["b"]) != 1 {
		writeJSON(w, http.StatusBadRequest, compareAnswer{Status: "invalid", Message: "a comparison takes two runs' queries, a and b"})
		return
	}
	var results []*result
	for _, side := range []string{"a", "b"} {
		req := parseRequest(sc, q[side][0])
		if !req.ok() {
			writeJSON(w, http.StatusBadRequest, compareAnswer{Status: "invalid", Message: side + ": " + strings.Join(append(req.general, mapValues(req.errs)...), "; ")})
			return
		}
		res, j, err := s.outcome(r.Context(), req, apiWait)
		switch {
		case errors.Is(err, errBusy):
			writeJSON(w, http.StatusServiceUnavailable, compareAnswer{Status: "busy", Message: err.Error()})
			return
		case err != nil || j != nil:
			writeJSON(w, http.StatusOK, compareAnswer{Status: "running"})
			return
		case res.err != nil:
			writeJSON(w, http.StatusOK, compareAnswer{Status: "failed", Message: side + ": " + clip(res.err.Error())})
			return
		}
		results = append(results, res)
	}
	c, err := compare(sc, []string{"pinned", "now"}, results[0].report, results[1].report)
	if err != nil {
		writeJSON(w, http.StatusOK, compareAnswer{Status: "failed", Message: clip(err.Error())})
		return
	}
	writeJSON(w, http.StatusOK, compareAnswer{Status: "done", Comparison: c})
}

// mapValues lists a map's values in the order of their keys.
func mapValues(m map[string]string) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, m[k])
	}
	return out
}

// refusedMessage says why a request was not run, in the results pane: the
// control with the error may be out of sight.
func refusedMessage(req *request) string {
	msgs := append(slices.Clone(req.general), mapValues(req.errs)...)
	if len(msgs) == 0 {
		return "not run: a value is refused"
	}
	msg := "not run: " + clip(msgs[0])
	if len(msgs) > 1 {
		msg += fmt.Sprintf(" (and %d more, beside their controls)", len(msgs)-1)
	}
	return msg
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var b bytes.Buffer
	if err := json.NewEncoder(&b).Encode(v); err != nil {
		errorPage(w, http.StatusInternalServerError, "the answer could not be written: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// errorPage answers with a short page that says what went wrong.
func errorPage(w http.ResponseWriter, status int, msg string) {
	writePage(w, status, "error", errorData{Status: status, Text: http.StatusText(status), Message: clip(msg)})
}
