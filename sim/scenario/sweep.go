package scenario

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"dsim/sim/sweep"
)

// PresetKnob is the sweep knob that starts each run from a preset; the
// other knobs of the point then change it.
const PresetKnob = "Preset"

// SweepUnit is the unit a knob's values take in a sweep: durations in
// seconds, switches 0/1, labels for choices and distributions.
func (k Knob) SweepUnit() string {
	switch k.Kind {
	case Duration:
		return "s"
	case Switch:
		return "0/1"
	case Choice, Dist, Text:
		return ""
	}
	return k.Unit
}

// Sweep runs the scenario over spec, whose knobs name Config fields (and
// "Preset"): each run is base with the point's values set and its own seed.
// Durations are in seconds, switches 0/1; choices and distributions take
// Labels. The spec is checked whole before any run, naming the bad knob.
// The model is compiled, so the runs go in parallel.
func (s Scenario) Sweep(ctx context.Context, base any, spec sweep.Spec) (*sweep.Result, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if _, err := s.Copy(base); err != nil {
		return nil, err
	}
	if err := s.checkSpec(base, spec); err != nil {
		return nil, err
	}
	spec.Name = cmp.Or(spec.Name, s.Name)
	spec.Knobs = slices.Clone(spec.Knobs)
	// The preset goes first, since it replaces the whole configuration.
	order := make([]int, 0, len(spec.Knobs))
	for i, sk := range spec.Knobs {
		if sk.Name == PresetKnob {
			order = append([]int{i}, order...)
			continue
		}
		order = append(order, i)
		if k, _ := s.Knobs.Lookup(sk.Name); sk.Unit == "" && len(sk.Labels) == 0 {
			spec.Knobs[i].Unit = k.SweepUnit()
		}
	}
	return sweep.Run(ctx, spec, func(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
		cfg, err := s.point(base, spec, order, p)
		if err != nil {
			return nil, err
		}
		if err := s.Seed(cfg, seed); err != nil {
			return nil, err
		}
		r, err := s.Run(ctx, value(cfg))
		if err != nil {
			return nil, err
		}
		return r.Metrics, nil
	})
}

// point is base with a point's knob values set, in order.
func (s Scenario) point(base any, spec sweep.Spec, order []int, p sweep.Point) (any, error) {
	cfg, err := s.Copy(base)
	if err != nil {
		return nil, err
	}
	for _, i := range order {
		sk := spec.Knobs[i]
		if sk.Name == PresetKnob {
			c, err := s.Preset(p.Label(sk.Name))
			if err != nil {
				return nil, err
			}
			if cfg, err = s.Copy(c); err != nil {
				return nil, err
			}
			continue
		}
		if err := s.Knobs.SetValue(cfg, sk.Name, p.Values[i], p.Label(sk.Name)); err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

// checkSpec finds the spec's bad knobs before any run: an unknown name, a
// label knob without labels, or a value the knob or the configuration
// refuses.
func (s Scenario) checkSpec(base any, spec sweep.Spec) error {
	bad := func(field string, v any, why string) error {
		return fmt.Errorf("%s: sweep: %s=%v: %s", s.Name, field, v, why)
	}
	for i, sk := range spec.Knobs {
		at := fmt.Sprintf("Knobs[%d]", i)
		if sk.Name == PresetKnob {
			if len(sk.Labels) == 0 {
				return bad(at+".Labels", "[]", "Preset takes Labels: "+strings.Join(s.PresetNames(), ", "))
			}
			for j, l := range sk.Labels {
				if _, err := s.Preset(l); err != nil {
					return bad(fmt.Sprintf("%s.Labels[%d]", at, j), fmt.Sprintf("%q", l), err.Error())
				}
			}
			continue
		}
		k, ok := s.Knobs.Lookup(sk.Name)
		if !ok {
			return bad(at+".Name", fmt.Sprintf("%q", sk.Name), "unknown knob; "+s.Name+" knows "+PresetKnob+", "+strings.Join(s.Knobs.Names(), ", ")+s.Knobs.suggestKnob(sk.Name))
		}
		labelled := k.Labelled()
		if labelled != (len(sk.Labels) > 0) {
			if labelled {
				return bad(at+".Labels", "[]", fmt.Sprintf("%s is a %s: give Labels", k.Name, k.Kind))
			}
			return bad(at+".Labels", sk.Labels, fmt.Sprintf("%s is numeric: give Values", k.Name))
		}
		try := func(field string, shown any, x float64, label string) error {
			cfg, err := s.Copy(base)
			if err == nil {
				err = s.Knobs.SetValue(cfg, sk.Name, x, label)
			}
			if err == nil && s.Validate != nil {
				err = s.Validate(value(cfg))
			}
			if err != nil {
				return bad(field, shown, strings.TrimPrefix(err.Error(), s.Name+": "))
			}
			return nil
		}
		for j, l := range sk.Labels {
			if err := try(fmt.Sprintf("%s.Labels[%d]", at, j), fmt.Sprintf("%q", l), 0, l); err != nil {
				return err
			}
		}
		if labelled {
			continue
		}
		for j, x := range sk.Values {
			if err := try(fmt.Sprintf("%s.Values[%d]", at, j), x, x, ""); err != nil {
				return err
			}
		}
	}
	return nil
}
