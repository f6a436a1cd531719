// Package describe is how a scenario package describes itself to the
// contract of package scenario: its descriptor built from its typed Config,
// Run and Result; a preset found by name; runs laid side by side. Scenarios
// never import each other; they share this instead. It is internal, so its
// type parameters never reach a script.
package describe

import (
	"context"
	"fmt"

	"dsim/sim/metrics"
	"dsim/sim/scenario"
)

// Named returns the item of items whose name is name, or an error, prefixed
// with pkg, that lists the names there are.
func Named[T any](pkg string, items []T, name string, nameOf func(T) string) (T, error) {
	var names []string
	for _, it := range items {
		if nameOf(it) == name {
			return it, nil
		}
		names = append(names, nameOf(it))
	}
	var zero T
	return zero, scenario.UnknownPreset(pkg, name, names)
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

// Names lists the names of items, in order: a label knob's labels.
func Names[T any](items []T, nameOf func(T) string) []string {
	ns := make([]string, len(items))
	for i, it := range items {
		ns[i] = nameOf(it)
	}
	return ns
}

// Typed is a scenario's descriptor with its own types: Config C and
// Result R. Scenario erases the types for the front ends.
type Typed[C, R any] struct {
	Name, Purpose string
	Knobs         *scenario.Table
	Presets       []scenario.Preset
	Default       func() C
	Preset        func(name string) (C, error)
	Validate      func(C) error
	Run           func(context.Context, C) (R, error)
	Report        func(R) *scenario.Report
}

// Scenario is the descriptor the registry and the front ends use.
func (t Typed[C, R]) Scenario() scenario.Scenario {
	return scenario.Scenario{
		Name:    t.Name,
		Purpose: t.Purpose,
		Knobs:   t.Knobs,
		Presets: t.Presets,
		Config: func(name string) (any, error) {
			if name == "" {
				return t.Default(), nil
			}
			return t.Preset(name)
		},
		Validate: func(cfg any) error {
			c, err := t.config(cfg)
			if err != nil {
				return err
			}
			return t.Validate(c)
		},
		Run: func(ctx context.Context, cfg any) (*scenario.Report, error) {
			c, err := t.config(cfg)
			if err != nil {
				return nil, err
			}
			r, err := t.Run(ctx, c)
			if err != nil {
				return nil, err
			}
			return t.Report(r), nil
		},
	}
}

// config takes a C or a *C out of an any.
func (t Typed[C, R]) config(cfg any) (C, error) {
	switch c := cfg.(type) {
	case C:
		return c, nil
	case *C:
		if c != nil {
			return *c, nil
		}
	}
	var zero C
	return zero, fmt.Errorf("%s: needs a %T, got %T", t.Name, zero, cfg)
}
