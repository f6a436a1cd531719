package explore

import (
	"bytes"
	"embed"
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"

	"dsim/sim/scenario"
)

//go:embed templates/*.html
var templateFiles embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"json": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
	"last": func(xs []string) int { return len(xs) - 1 },
}).ParseFS(templateFiles, "templates/*.html"))

type indexData struct {
	Scenarios []scenario.Scenario
}

type errorData struct {
	Status        int
	Text, Message string
}

// pageData is what a scenario's page is drawn from.
type pageData struct {
	Scenario  scenario.Scenario
	Preset    string
	About     string // the preset's description
	Seed      string
	Controls  []controlView
	Errs      map[string]string // by control
	General   []string
	Query     string
	Pin       string
	View      *view
	Progress  *progress
	Message   string // why the run did not give a view
	Refused   bool   // the message is an error
	Compare   bool
	Notebook  bool
	Scenarios []scenario.Scenario
}

// controlView is a control with its value on the page.
type controlView struct {
	control
	Value, Base string
	Pos         int
	Err         string
	Changed     bool
	Range, Unit string
	Ignored     string // why the knob does nothing here, "" when it matters
}

func (s *Server) pageData(req *request) pageData {
	d := pageData{Scenario: req.sc, Preset: req.preset, Seed: strconv.FormatUint(req.seed, 10), Errs: req.errs,
		General: req.general, Query: req.query(), Pin: req.pin, Compare: req.sc.Compare != nil,
		Notebook: s.opts.Done != nil, Scenarios: s.opts.Scenarios}
	if _, bad := req.errs[paramSeed]; bad {
		d.Seed = req.given[paramSeed] // what could not be read
	}
	for _, p := range req.sc.Presets {
		if p.Name == req.preset {
			d.About = p.Description
		}
	}
	for _, k := range req.sc.Knobs.Knobs() {
		c := newControl(k)
		cv := controlView{control: c, Err: req.errs[c.Flag], Range: k.RangeText(), Unit: k.UnitText()}
		if req.cfg != nil {
			cv.Value, _ = req.sc.Knobs.Get(req.cfg, k.Name)
			cv.Ignored, _ = req.sc.Knobs.Ignored(req.cfg, k.Name)
		}
		cv.Base, _ = req.sc.Knobs.Get(req.base, k.Name)
		if given, ok := req.given[c.Flag]; ok && cv.Err != "" {
			cv.Value = given
		}
		cv.Changed = cv.Value != cv.Base
		cv.Pos = c.position(cv.Value)
		d.Controls = append(d.Controls, cv)
	}
	return d
}

// writePage renders a template; a template that fails (a bug) gives a
// plain message, never half a page.
func writePage(w http.ResponseWriter, status int, name string, data any) {
	var b bytes.Buffer
	if err := pages.ExecuteTemplate(&b, name, data); err != nil {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte("dsim explore: the page could not be drawn: " + err.Error() + "\n"))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}
