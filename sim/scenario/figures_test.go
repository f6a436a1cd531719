// Package scenario_test checks what every lesson draws: each standard
// figure of each preset of each scenario, from short runs.
package scenario_test

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"dsim/sim/scenario/clocks"
	"dsim/sim/scenario/crdt"
	"dsim/sim/scenario/csi"
	"dsim/sim/scenario/metastable"
	"dsim/sim/scenario/queueing"
	"dsim/sim/scenario/quorum"
	"dsim/sim/sweep"
	"dsim/sim/viz"
)

// drawn is one figure with the run it comes from: the scenario, the
// preset, and the model or type the run used, which its titles may name.
type drawn struct {
	scenario, preset, model string
	fig                     *viz.Figure
}

// shorter cuts a run to at most limit, then adds a tenth of a window, so
// that every run ends early in a window: a short last, partial window is
// the case that once broke lines apart.
func shorter(d *time.Duration, limit, window time.Duration) {
	if *d == 0 || *d > limit {
		*d = limit
	}
	*d += window / 10
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func metastableFigures(t *testing.T) []drawn {
	var out []drawn
	var names []string
	var runs []*metastable.Result
	for _, p := range metastable.Presets() {
		c := p.Config
		shorter(&c.Duration, 45*time.Second, time.Second)
		r, err := metastable.Run(c)
		check(t, err)
		figs := append(r.Figures(), r.StoryFigure(p.Name), r.QueueFigure(p.Name), r.LatencyFigure(p.Name), r.DistributionFigure(p.Name))
		for _, f := range figs {
			out = append(out, drawn{"metastable", p.Name, "", f})
		}
		names, runs = append(names, p.Name), append(runs, r)
	}
	cmp, err := metastable.Compare(names, runs...)
	check(t, err)
	storm, err := metastable.PresetConfig("storm")
	check(t, err)
	storm.Duration = 45100 * time.Millisecond
	_, tip, err := metastable.Tipping(storm, []time.Duration{4 * time.Millisecond, 14 * time.Millisecond}, 2)
	check(t, err)
	_, room, err := metastable.Headroom(storm, []float64{20, 45}, 2)
	check(t, err)
	return append(out, drawn{"metastable", "", "", cmp}, drawn{"metastable", "", "", tip}, drawn{"metastable", "", "", room})
}

func queueingFigures(t *testing.T) []drawn {
	var out []drawn
	for _, p := range queueing.Presets() {
		c := p.Config
		shorter(&c.Duration, 10*time.Minute, 5*time.Second)
		c.Window = 5 * time.Second
		r, err := queueing.Run(c)
		check(t, err)
		for _, f := range r.Figures() {
			out = append(out, drawn{"queueing", p.Name, "", f})
		}
	}
	base := queueing.Default()
	base.Duration = 5 * time.Minute
	res, err := queueing.Sweep(base, sweep.Spec{Name: "servers", Seed: 1, Reps: 2, Workers: 1, Knobs: []sweep.Knob{
		{Name: "ArrivalRate", Values: []float64{1, 4}}, {Name: "Servers", Values: []float64{1, 2, 4}}}})
	check(t, err)
	_, fig, err := queueing.ServersNeededTable(base, res)
	check(t, err)
	return append(out, drawn{"queueing", "", "", fig})
}

func quorumFigures(t *testing.T) []drawn {
	var out []drawn
	for _, p := range quorum.Presets() {
		c := p.Config
		shorter(&c.Duration, 25*time.Second, time.Second)
		r, err := quorum.Run(c)
		check(t, err)
		for _, f := range append(r.Figures(), r.ThroughputFigure(), r.LatencyFigure(), r.MessagesFigure(0)) {
			out = append(out, drawn{"quorum", p.Name, quorumLabel(r.Config), f})
		}
	}
	pbs, err := quorum.PBSCurves(3, 1, 1, 1)
	check(t, err)
	return append(out, drawn{"quorum", "", "", quorum.PBSFigure(pbs...)})
}

// quorumLabel is what a quorum run's titles must name: its model, and a
// sloppy quorum when it has one (a sloppy Strong run is not Strong's
// partition run).
func quorumLabel(c quorum.Config) string {
	if c.SloppyQuorum {
		return string(c.Model) + ", sloppy quorum"
	}
	return string(c.Model)
}

func crdtFigures(t *testing.T) []drawn {
	var out []drawn
	for _, p := range crdt.Presets() {
		r, err := crdt.Run(p.Config)
		check(t, err)
		for _, f := range append(r.Figures(), r.DivergenceFigure(), r.SizeFigure()) {
			out = append(out, drawn{"crdt", p.Name, string(r.Config.Type), f})
		}
	}
	seed, err := crdt.PresetConfig("seed")
	check(t, err)
	_, fig, err := crdt.GossipSweep(seed, []time.Duration{200 * time.Millisecond, time.Second, 2 * time.Second})
	check(t, err)
	return append(out, drawn{"crdt", "", "", fig})
}

func clocksFigures(t *testing.T) []drawn {
	var out []drawn
	for _, p := range clocks.Presets() {
		r, err := clocks.Run(p.Config)
		check(t, err)
		figs := append(r.Figures(), r.SessionFigure(), r.SpaceTimeFigure(clocks.ShowPhysical, 0, 3*time.Second))
		for _, f := range figs {
			out = append(out, drawn{"clocks", p.Name, "", f})
		}
	}
	return out
}

func csiFigures(t *testing.T) []drawn {
	var out []drawn
	for _, p := range csi.Presets() {
		r, err := csi.Run(p.Config)
		check(t, err)
		for _, f := range append(r.Figures(), r.OutcomeFigure(), r.CauseFigure(), r.LatencyFigure()) {
			out = append(out, drawn{"csi", p.Name, "", f})
		}
	}
	return out
}

// cached holds the figures once drawn: the tests below share them.
var cached []drawn

func allFigures(t *testing.T) []drawn {
	if cached != nil {
		return cached
	}
	var out []drawn
	for _, f := range []func(*testing.T) []drawn{metastableFigures, queueingFigures, clocksFigures, quorumFigures, crdtFigures, csiFigures} {
		start := time.Now()
		figs := f(t)
		t.Logf("%s: %d figures in %v", figs[0].scenario, len(figs), time.Since(start).Round(time.Millisecond))
		out = append(out, figs...)
	}
	cached = out
	return out
}

// TestFiguresDrawConnectedLines fails when a figure draws a series of two
// or more points without joining any two of them (the figure looks empty),
// or draws most of a line's points as lone dots.
func TestFiguresDrawConnectedLines(t *testing.T) {
	for _, d := range allFigures(t) {
		for _, l := range d.fig.Lines() {
			n := l.Points()
			if n >= 2 && l.Longest() < 2 {
				t.Errorf("%s %s: figure %q, line %q: %d points, none joined", d.scenario, d.preset, d.fig.Name, l.Name, n)
			}
			if n >= 4 && 2*len(l.Dots) > n {
				t.Errorf("%s %s: figure %q, line %q: %d of %d points are lone dots", d.scenario, d.preset, d.fig.Name, l.Name, len(l.Dots), n)
			}
		}
		if _, err := d.fig.SVG(); err != nil {
			t.Errorf("%s %s: figure %q: %v", d.scenario, d.preset, d.fig.Name, err)
		}
	}
}

// words splits a title into lower-case words, keeping hyphens and commas
// inside (so that "or-set" and "partition-strong" stay whole).
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
	})
}

func contains(ws []string, w string) bool {
	for _, x := range ws {
		if x == w {
			return true
		}
	}
	return false
}

// TestFigureTitlesNameTheirOwnRun fails when a figure's title names a
// model, type or preset other than its run's, when a quorum or CRDT title
// leaves its model out, and when two quorum runs of different settings
// would save their figures under one name.
func TestFigureTitlesNameTheirOwnRun(t *testing.T) {
	// Preset names that are ordinary words ("saturation", "storm") may
	// well be in a title; hyphenated ones ("partition-strong") may not.
	others := map[string][]string{}
	preset := func(scenario, name string) {
		if strings.Contains(name, "-") {
			others[scenario] = append(others[scenario], name)
		}
	}
	for _, p := range metastable.Presets() {
		preset("metastable", p.Name)
	}
	for _, p := range queueing.Presets() {
		preset("queueing", p.Name)
	}
	for _, p := range quorum.Presets() {
		preset("quorum", p.Name)
	}
	for _, m := range quorum.Models() {
		others["quorum"] = append(others["quorum"], string(m))
	}
	others["quorum"] = append(others["quorum"], "sloppy")
	for _, p := range crdt.Presets() {
		preset("crdt", p.Name)
	}
	for _, ty := range crdt.Types() {
		others["crdt"] = append(others["crdt"], string(ty))
	}
	for _, p := range csi.Presets() {
		preset("csi", p.Name)
	}
	for _, p := range clocks.Presets() {
		preset("clocks", p.Name)
	}
	byName := map[string]string{} // quorum figure name -> the label it was drawn for
	for _, d := range allFigures(t) {
		if d.preset == "" {
			continue // figures over several runs
		}
		title := d.fig.Plot.Title.Text
		ws := words(title)
		own := append(words(d.model), d.preset)
		for _, o := range others[d.scenario] {
			if contains(ws, o) && !contains(own, o) {
				t.Errorf("%s %s (%s): figure %q is titled %q, which names %q", d.scenario, d.preset, d.model, d.fig.Name, title, o)
			}
		}
		if d.model == "" || d.fig.Name == "" {
			continue
		}
		if !strings.Contains(strings.ToLower(title), d.model) {
			t.Errorf("%s %s: figure %q is titled %q, which does not name its run's %q", d.scenario, d.preset, d.fig.Name, title, d.model)
		}
		if d.scenario == "quorum" {
			if !strings.Contains(d.fig.Name, viz.Slug(d.model)) {
				t.Errorf("quorum %s: figure name %q does not name %q", d.preset, d.fig.Name, d.model)
			}
			if was, ok := byName[d.fig.Name]; ok && was != d.model {
				t.Errorf("quorum %s: figure name %q is used by runs of %q and of %q", d.preset, d.fig.Name, was, d.model)
			}
			byName[d.fig.Name] = d.model
		}
	}
}

// TestShareAxesEndAtTheirTop fails when a figure draws a share on an axis
// past its top: 100 for a percentage, 1 for a fraction.
func TestShareAxesEndAtTheirTop(t *testing.T) {
	for _, d := range allFigures(t) {
		label := strings.ToLower(d.fig.Plot.Y.Label.Text)
		top := 0.0
		switch {
		case strings.HasSuffix(label, "(%)"):
			top = 100
		case strings.HasPrefix(label, "fraction") || strings.HasPrefix(label, "share"):
			top = 1
		default:
			continue
		}
		if d.fig.Plot.Y.Max > top {
			t.Errorf("%s %s: figure %q draws %q up to %g", d.scenario, d.preset, d.fig.Name, label, d.fig.Plot.Y.Max)
		}
	}
}
