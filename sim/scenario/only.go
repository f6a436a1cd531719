package scenario

import (
	"fmt"
	"slices"
	"strings"
)

// checkOnly checks a knob's conditions: each on another knob of the
// table, with values that knob can take.
func (t *Table) checkOnly(k Knob) error {
	for _, c := range k.Only {
		if c.Any == nil {
			if err := t.checkCondition(k, c); err != nil {
				return err
			}
			continue
		}
		if len(c.Any) < 2 || c.Field != "" || c.Values != nil {
			return fmt.Errorf("condition %v: either needs two alternatives or more, and nothing beside them", c)
		}
		for _, a := range c.Any {
			if a.Any != nil {
				return fmt.Errorf("condition %v: alternatives do not nest", c)
			}
			if err := t.checkCondition(k, a); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkCondition checks one rule: on another knob, with values it takes.
func (t *Table) checkCondition(k Knob, c Condition) error {
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
		alts := c.Any
		if alts == nil {
			alts = []Condition{c}
		}
		held := false
		here := make([]string, len(alts))
		for i, a := range alts {
			v, err := t.Get(cfg, a.Field)
			if err != nil {
				return "", err
			}
			here[i] = a.Field + "=" + v
			held = held || slices.Contains(a.Values, v) != a.Not
		}
		if !held {
			return fmt.Sprintf("it matters only with %v; here %s", c, strings.Join(here, ", ")), nil
		}
	}
	return "", nil
}

// OnlyText says in flags when the knob has an effect, for help and
// documentation: "only with -experiment users", "only with -deploy
// servers and -policy step", "only with -retry-budget other than 0",
// "only with either -pattern spike or ramp, or -slowdown other than 1",
// in parentheses beside other rules; "" when it always has one.
func (k Knob) OnlyText() string {
	if len(k.Only) == 0 {
		return ""
	}
	parts := make([]string, len(k.Only))
	for i, c := range k.Only {
		if c.Any == nil {
			parts[i] = c.flagText()
			continue
		}
		alts := make([]string, len(c.Any))
		for j, a := range c.Any {
			alts[j] = a.flagText()
		}
		parts[i] = "either " + strings.Join(alts, ", or ")
		if len(k.Only) > 1 {
			parts[i] = "(" + parts[i] + ")"
		}
	}
	return "only with " + strings.Join(parts, " and ")
}

// flagText is a rule in flags: "-pattern spike or ramp", "-slowdown other
// than 1".
func (c Condition) flagText() string {
	vals := strings.Join(c.Values, " or ")
	if c.Not {
		vals = "other than " + vals
	}
	return "-" + flagName(c.Field) + " " + vals
}

// docText is the knob's doc with when it matters: "attempts the breaker
// remembers (only with -circuit-breaker on)".
func (k Knob) docText() string {
	if only := k.OnlyText(); only != "" {
		return k.Doc + " (" + only + ")"
	}
	return k.Doc
}
