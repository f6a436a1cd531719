package pick

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"dsim/sim/metrics"
	"dsim/sim/sweep"
)

// Knob binds a sweep knob's name to what it sets in a scenario's
// configuration C. A numeric knob's value arrives as v (seconds for a
// duration, 0 or 1 for a switch); a knob with Labels takes one of them,
// passed as label.
type Knob[C any] struct {
	Name, Unit, Doc string
	Whole           bool     // the value must be a whole number (a count, a switch)
	Labels          []string // the labels a label knob takes; nil for a numeric knob
	// Text knobs take any label Set accepts (a distribution, "exp(500ms)");
	// Labels then only give examples.
	Text bool
	// First knobs are applied before the others: a preset replaces the
	// whole configuration, and the other knobs then change it.
	First bool
	Set   func(c *C, v float64, label string) error
}

// Float is a knob that sets a number field.
func Float[C any](name, unit, doc string, field func(*C) *float64) Knob[C] {
	return Knob[C]{Name: name, Unit: unit, Doc: doc, Set: func(c *C, v float64, _ string) error {
		*field(c) = v
		return nil
	}}
}

// Duration is a knob that sets a duration field; its values are seconds.
func Duration[C any](name, doc string, field func(*C) *time.Duration) Knob[C] {
	return Knob[C]{Name: name, Unit: "s", Doc: doc, Set: func(c *C, v float64, _ string) error {
		*field(c) = time.Duration(math.Round(v * float64(time.Second)))
		return nil
	}}
}

// Int is a knob that sets a count; its values must be whole numbers.
func Int[C any](name, unit, doc string, field func(*C) *int) Knob[C] {
	return Knob[C]{Name: name, Unit: unit, Doc: doc, Whole: true, Set: func(c *C, v float64, _ string) error {
		*field(c) = int(v)
		return nil
	}}
}

// Bool is a switch: 0 is off, 1 is on.
func Bool[C any](name, doc string, field func(*C) *bool) Knob[C] {
	return Knob[C]{Name: name, Unit: "0/1", Doc: doc, Whole: true, Set: func(c *C, v float64, _ string) error {
		if v != 0 && v != 1 {
			return fmt.Errorf("%v: a switch takes 0 (off) or 1 (on)", v)
		}
		*field(c) = v == 1
		return nil
	}}
}

// Scenario is what a scenario package gives Sweep: its name (for errors),
// its knobs, its configuration check, where its seed goes, its run, and
// what a run's result reports to the sweep.
type Scenario[C, R any] struct {
	Name     string
	Knobs    []Knob[C]
	Validate func(C) error
	Seed     func(*C) *uint64
	Run      func(context.Context, C) (R, error)
	Measure  func(R) *sweep.Metrics
}

// KnobTable lists a scenario's knobs for a notebook or the REPL.
func (s Scenario[C, R]) KnobTable() *metrics.Table {
	t := metrics.NewTable(s.Name+": knobs a sweep can vary", "knob", "unit", "sets")
	for _, k := range s.Knobs {
		unit := k.Unit
		switch {
		case k.Text:
			unit = "label, such as " + strings.Join(k.Labels, ", ")
		case len(k.Labels) > 0:
			unit = "label: " + strings.Join(k.Labels, ", ")
		}
		t.Add(k.Name, unit, k.Doc)
	}
	t.Note("Durations are in seconds; switches take 0 (off) and 1 (on). A label knob takes Labels instead of Values.")
	return t
}

func (s Scenario[C, R]) knob(name string) (Knob[C], bool) {
	i := slices.IndexFunc(s.Knobs, func(k Knob[C]) bool { return k.Name == name })
	if i < 0 {
		return Knob[C]{}, false
	}
	return s.Knobs[i], true
}

func (s Scenario[C, R]) names() string {
	var ns []string
	for _, k := range s.Knobs {
		ns = append(ns, k.Name)
	}
	return strings.Join(ns, ", ")
}

// set applies one knob value to c, checking it is one the knob takes.
func (s Scenario[C, R]) set(c *C, k Knob[C], v float64, label string) error {
	switch {
	case len(k.Labels) > 0 && !k.Text && !slices.Contains(k.Labels, label):
		return fmt.Errorf("%q is not one of %s", label, strings.Join(k.Labels, ", "))
	case len(k.Labels) == 0 && k.Whole && v != math.Trunc(v):
		return fmt.Errorf("%v must be a whole number", v)
	}
	return k.Set(c, v, label)
}

// check finds the spec's bad knobs before any run: an unknown name, a
// label knob without labels, or a value the configuration refuses.
func (s Scenario[C, R]) check(base C, spec sweep.Spec) error {
	bad := func(field string, v any, why string) error {
		return fmt.Errorf("%s: sweep: %s=%v: %s", s.Name, field, v, why)
	}
	for i, sk := range spec.Knobs {
		k, ok := s.knob(sk.Name)
		if !ok {
			return bad(fmt.Sprintf("Knobs[%d].Name", i), fmt.Sprintf("%q", sk.Name), "unknown knob; "+s.Name+" knows "+s.names())
		}
		if (len(k.Labels) > 0) != (len(sk.Labels) > 0) {
			if len(k.Labels) > 0 {
				return bad(fmt.Sprintf("Knobs[%d].Labels", i), "[]", fmt.Sprintf("%s is a label knob: give Labels from %s", k.Name, strings.Join(k.Labels, ", ")))
			}
			return bad(fmt.Sprintf("Knobs[%d].Labels", i), sk.Labels, fmt.Sprintf("%s is numeric: give Values", k.Name))
		}
		for j, l := range sk.Labels {
			c := base
			err := s.set(&c, k, float64(j), l)
			if err == nil && !k.First {
				err = s.Validate(c)
			}
			if err != nil {
				return bad(fmt.Sprintf("Knobs[%d].Labels[%d]", i, j), fmt.Sprintf("%q", l), err.Error())
			}
		}
		for j, v := range sk.Values {
			if len(sk.Labels) > 0 {
				continue
			}
			c := base
			err := s.set(&c, k, v, "")
			if err == nil {
				err = s.Validate(c)
			}
			if err != nil {
				return bad(fmt.Sprintf("Knobs[%d].Values[%d]", i, j), v, k.Name+": "+err.Error())
			}
		}
	}
	return nil
}

// Sweep runs the scenario over spec, its knobs naming configuration
// fields: each run is base with the point's values set and its own seed.
// The run function is compiled, so the runs go in parallel.
func (s Scenario[C, R]) Sweep(ctx context.Context, base C, spec sweep.Spec) (*sweep.Result, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := s.check(base, spec); err != nil {
		return nil, err
	}
	if spec.Name == "" {
		spec.Name = s.Name
	}
	knobs := make([]Knob[C], len(spec.Knobs))
	spec.Knobs = slices.Clone(spec.Knobs)
	for i, sk := range spec.Knobs {
		knobs[i], _ = s.knob(sk.Name)
		if sk.Unit == "" && len(sk.Labels) == 0 {
			spec.Knobs[i].Unit = knobs[i].Unit
		}
	}
	order := make([]int, len(knobs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case knobs[a].First == knobs[b].First:
			return 0
		case knobs[a].First:
			return -1
		}
		return 1
	})
	return sweep.Run(ctx, spec, func(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
		c := base
		for _, i := range order {
			if err := s.set(&c, knobs[i], p.Values[i], p.Label(knobs[i].Name)); err != nil {
				return nil, fmt.Errorf("%s: sweep: %s: %w", s.Name, knobs[i].Name, err)
			}
		}
		*s.Seed(&c) = seed
		r, err := s.Run(ctx, c)
		if err != nil {
			return nil, err
		}
		return s.Measure(r), nil
	})
}
