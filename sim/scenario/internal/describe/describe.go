// Package describe is how a scenario package describes itself to the
// contract of package scenario: its descriptor built from its own typed
// Config, presets and run; its report; a preset found by name; runs laid
// side by side; a Config's defaults, errors and validation from its knob
// table. Scenarios never import each other; they share this instead. The
// knob table names the scenario, so a package writes its name once. It is
// internal, so its type parameters never reach a script.
package describe

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"dsim/sim/internal/brief"

	"dsim/sim/metrics"
	"dsim/sim/scenario"
	"dsim/sim/sweep"
	"dsim/sim/viz"
)

// Preset is what a scenario's preset type gives: its name, its one-line
// description and its configuration.
type Preset[C any] interface {
	Info() (name, description string, config C)
}

// Reporter is what a scenario's result gives the front ends.
type Reporter interface {
	Report() *scenario.Report
}

// New is the descriptor of the scenario whose knob table is knobs, Config
// C and Result R: the registry's entry and the front ends' view of it.
func New[C any, R Reporter, P Preset[C]](purpose string, knobs *scenario.Table, presets func() []P,
	def func() C, validate func(C) error, run func(context.Context, C) (R, error)) scenario.Scenario {
	name := knobs.Scenario()
	var list []scenario.Preset
	for _, p := range presets() {
		n, d, _ := p.Info()
		list = append(list, scenario.Preset{Name: n, Description: d})
	}
	as := func(cfg any) (C, error) {
		switch c := cfg.(type) {
		case C:
			return c, nil
		case *C:
			if c != nil {
				return *c, nil
			}
		}
		var zero C
		return zero, fmt.Errorf("%s: needs a %T, got %T", name, zero, cfg)
	}
	return scenario.Scenario{
		Name: name, Purpose: purpose, Knobs: knobs, Presets: list,
		Config: func(preset string) (any, error) {
			if preset == "" {
				return def(), nil
			}
			return Find(knobs, presets(), preset)
		},
		Validate: func(cfg any) error {
			c, err := as(cfg)
			if err != nil {
				return err
			}
			return validate(c)
		},
		Run: func(ctx context.Context, cfg any) (*scenario.Report, error) {
			c, err := as(cfg)
			if err != nil {
				return nil, err
			}
			r, err := run(ctx, c)
			if err != nil {
				return nil, err
			}
			return r.Report(), nil
		},
	}
}

// WithCompare gives the descriptor s the comparison of its runs, R being
// the scenario's *Result: table lays them side by side, figure draws them
// together; either may be nil.
func WithCompare[R any](s scenario.Scenario, table func(names []string, results ...R) *metrics.Table,
	figure func(names []string, results ...R) (*viz.Figure, error)) scenario.Scenario {
	s.Compare = func(names []string, reports ...*scenario.Report) (*metrics.Table, []*viz.Figure, error) {
		if len(names) != len(reports) || len(reports) == 0 {
			return nil, nil, fmt.Errorf("%s: Compare needs one name per run, got %d names for %d runs", s.Name, len(names), len(reports))
		}
		rs := make([]R, len(reports))
		for i, r := range reports {
			var ok bool
			if r != nil {
				rs[i], ok = r.Result.(R)
			}
			if !ok {
				var want R
				return nil, nil, fmt.Errorf("%s: Compare: run %d (%q) is not a %T", s.Name, i, names[i], want)
			}
		}
		var tab *metrics.Table
		if table != nil {
			tab = table(names, rs...)
		}
		var figs []*viz.Figure
		if figure != nil {
			f, err := figure(names, rs...)
			if err != nil {
				return nil, nil, err
			}
			figs = append(figs, f)
		}
		return tab, figs, nil
	}
	return s
}

// Find returns the configuration of the preset called name, or an error,
// prefixed with the scenario's name, that lists the presets there are.
func Find[C any, P Preset[C]](knobs *scenario.Table, presets []P, name string) (C, error) {
	var names []string
	for _, p := range presets {
		n, _, c := p.Info()
		if n == name {
			return c, nil
		}
		names = append(names, n)
	}
	var zero C
	return zero, scenario.UnknownPreset(knobs.Scenario(), name, names)
}

// Result is what every scenario's result gives, V being its typed verdict.
type Result[V any] interface {
	Summary() *metrics.Table
	Verdict() V
	Figures() []*viz.Figure
}

// Report is what the front ends show of the run r: its summary, its
// verdict, whose Outcome field is the contract's typed outcome (a
// fmt.Stringer), its figures, and m, what it reports to a sweep.
func Report[V fmt.Stringer](r Result[V], m *sweep.Metrics) *scenario.Report {
	v := r.Verdict()
	outcome := reflect.ValueOf(v).FieldByName("Outcome").Interface().(fmt.Stringer)
	return &scenario.Report{Result: r, Summary: r.Summary(), Verdict: v, Outcome: outcome.String(),
		Figures: r.Figures, Metrics: m}
}

// Bad is a scenario's error for a field that cannot work, in the form the
// knob table's own take: "metastable: Timeout=-1s: must be positive".
func Bad(knobs *scenario.Table, field string, value any, why string) error {
	if d, ok := value.(time.Duration); ok {
		value = brief.Duration(d) // 2m, as the knob table writes it, not 2m0s
	}
	return fmt.Errorf("%s: %s=%v: %s", knobs.Scenario(), field, value, why)
}

// Validate checks a Config c whose defaults are filled: the knob table's
// ranges first, then the scenario's rules across fields.
func Validate[C any](knobs *scenario.Table, c C, rules func(C) error) error {
	if err := knobs.Check(c); err != nil {
		return err
	}
	return rules(c)
}

// Default is a Config with every knob at its default and the seed set.
func Default[C any](knobs *scenario.Table, seed uint64) C {
	var c C
	_ = knobs.Defaults(&c)
	s := scenario.Scenario{Knobs: knobs}
	_ = s.Seed(&c, seed)
	return c
}

// Strings lists the names of a choice's values (a named string type).
func Strings[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// SideBySide starts a table with a column per run and returns it with a
// function that adds a row: a label and the cell each run gives.
func SideBySide[R any](names []string, results []R) (*metrics.Table, func(label string, cell func(R) any)) {
	t := metrics.NewTable("Side by side", append([]string{"metric"}, names...)...)
	return t, func(label string, cell func(R) any) {
		cells := []any{label}
		for _, r := range results {
			cells = append(cells, cell(r))
		}
		t.Add(cells...)
	}
}

// Named is a scenario's preset: a configuration with a name and a
// one-line description of the experiment it reproduces. Each scenario
// names it Preset, an alias, so that scripts see it as theirs.
type Named[C any] struct {
	Name        string
	Description string
	Config      C
}

// Info gives the preset's name, description and configuration.
func (p Named[C]) Info() (name, description string, config C) {
	return p.Name, p.Description, p.Config
}
