package scenario

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"dsim/sim/metrics"
	"dsim/sim/sweep"
	"dsim/sim/viz"
)

// Preset is a named configuration of a lesson.
type Preset struct {
	Name        string
	Description string
}

// Scenario describes one lesson's model to the front ends, which loop over
// the registry of them instead of knowing each by hand: the command line
// (dsim NAME -preset P -knob value), sweeps over named knobs, the explorer.
//
// It holds no type parameters, so scripts can use it: configurations
// travel as the package's Config value in an any.
type Scenario struct {
	// Name is the command (dsim NAME) and the prefix of the errors.
	Name string
	// Purpose says in one line what the lesson asks.
	Purpose string
	// Knobs is the Config's knob table.
	Knobs *Table
	// Presets lists the lesson's presets, in the order it teaches them.
	Presets []Preset
	// Config returns a preset's configuration ("" for Default()) as a
	// Config value; an unknown name is an error listing the known ones.
	Config func(preset string) (any, error)
	// Validate reports the first field of cfg (a Config value) that
	// cannot work: the knobs' ranges, then the rules across fields.
	Validate func(cfg any) error
	// Run validates cfg (a Config value) and runs it until it ends or ctx
	// is done.
	Run func(ctx context.Context, cfg any) (*Report, error)
	// Compare, when the scenario has one (nil otherwise), lays runs of it
	// side by side, names labelling them: a table of their headline
	// numbers and, where the lesson draws one, figures of them together.
	// The reports must come from this scenario's Run; either result may be
	// nil when the scenario has none of it.
	Compare func(names []string, reports ...*Report) (*metrics.Table, []*viz.Figure, error)
}

// Report is what a front end shows of a run.
type Report struct {
	// Result is the package's own *Result, with everything else.
	Result any
	// Summary is the table of headline numbers.
	Summary *metrics.Table
	// Verdict is the package's typed verdict: a sentence as String, and
	// Markdown for notebooks.
	Verdict fmt.Stringer
	// Outcome is the verdict's outcome in one word ("Metastable").
	Outcome string
	// Figures draws the standard figures, named after the run.
	Figures func() []*viz.Figure
	// Metrics is what the run reports to a sweep.
	Metrics *sweep.Metrics
}

// PresetNames lists the names of the presets.
func (s Scenario) PresetNames() []string {
	names := make([]string, len(s.Presets))
	for i, p := range s.Presets {
		names[i] = p.Name
	}
	return names
}

// Seed sets the Seed field of *cfg.
func (s Scenario) Seed(cfg any, seed uint64) error {
	v, err := s.Knobs.target(cfg, true)
	if err != nil {
		return err
	}
	v.FieldByName("Seed").SetUint(seed)
	return nil
}

// Copy returns a pointer to a fresh copy of cfg (a Config value or
// pointer), which Knobs.Set can then change without touching cfg.
func (s Scenario) Copy(cfg any) (any, error) {
	v, err := s.Knobs.target(cfg, false)
	if err != nil {
		return nil, err
	}
	p := reflect.New(s.Knobs.typ)
	p.Elem().Set(v)
	return p.Interface(), nil
}

// value turns a pointer from Copy back into the Config value.
func value(p any) any { return reflect.ValueOf(p).Elem().Interface() }

// Preset returns the configuration of a preset, with a clear error for an
// unknown name.
func (s Scenario) Preset(name string) (any, error) {
	if s.Config == nil {
		return nil, fmt.Errorf("%s: no presets", s.Name)
	}
	return s.Config(name)
}

// UnknownPreset is the error for a preset name that is not one of names,
// with the nearest of them when one is near (Closest).
func UnknownPreset(scenario, name string, names []string) error {
	return fmt.Errorf("%s: unknown preset %q (want one of %s)%s", scenario, name, strings.Join(names, ", "), DidYouMean(name, names))
}
