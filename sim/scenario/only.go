package scenario

import (
	"fmt"
	"slices"
)

// checkOnly checks a knob's conditions: each on another knob of the
// table, with values that knob can take.
func (t *Table) checkOnly(k Knob) error {
	for _, c := range k.Only {
		i, ok := t.byName[normal(c.Field)]
		if !ok || t.knobs[i].Name != c.Field {
			return fmt.Errorf("condition %v: no knob %s", c, c.Field)
		}
		if t.knobs[i].Name == k.Name || len(c.Values) == 0 {
			return fmt.Errorf("condition %v: on itself, or with no value", c)
		}
		other := t.knobs[i]
		for _, v := range c.Values {
			val, err := other.parse(v)
			if other.Kind == Text || err != nil || other.format(val) != v {
				return fmt.Errorf("condition %v: %q is not how %s's values are written", c, v, other.Name)
			}
		}
	}
	return nil
}

// Ignored says why the knob called name has no effect in cfg, naming the
// first of its conditions (Knob.Only) that does not hold and the value
// that breaks it ("it matters only with Experiment=users; here threads"),
// or "" when it has one. Front ends warn when a user sets such a knob.
func (t *Table) Ignored(cfg any, name string) (string, error) {
	k, _, err := t.find(cfg, false, name)
	if err != nil {
		return "", err
	}
	for _, c := range k.Only {
		v, err := t.Get(cfg, c.Field)
		if err != nil {
			return "", err
		}
		if slices.Contains(c.Values, v) == c.Not {
			return fmt.Sprintf("it matters only with %v; here %s=%s", c, c.Field, v), nil
		}
	}
	return "", nil
}
