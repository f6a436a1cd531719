package scenariotest

import (
	"context"
	"reflect"
	"testing"

	"dsim/sim/scenario"
)

// Mode is a knob changed in a mode: Set are the knobs that make the mode
// (name, value pairs, applied in order on the base), Knob=Value the
// change, and Ignored whether the table declares the mode to ignore it.
type Mode struct {
	Set     []string
	Knob    string
	Value   string
	Ignored bool
}

// Modes checks each case against the model: a knob the table says the
// mode ignores leaves the run's result as it was, bit for bit, and one it
// says matters changes it. base is a Config value, short to run.
func Modes(t *testing.T, s scenario.Scenario, base any, cases []Mode) {
	t.Helper()
	for _, m := range cases {
		before := configure(t, s, base, m.Set...)
		after := configure(t, s, base, append(append([]string(nil), m.Set...), m.Knob, m.Value)...)
		why, err := s.Knobs.Ignored(after, m.Knob)
		if err != nil {
			t.Fatal(err)
		}
		if (why != "") != m.Ignored {
			t.Errorf("%v %s=%s: Ignored says %q, want ignored %v", m.Set, m.Knob, m.Value, why, m.Ignored)
			continue
		}
		if same := sameRun(t, s, before, after); same != m.Ignored {
			t.Errorf("%v %s=%s: the same result %v, want %v (%s)", m.Set, m.Knob, m.Value, same, m.Ignored, why)
		}
	}
}

// configure is a copy of base with the knobs of kv set.
func configure(t *testing.T, s scenario.Scenario, base any, kv ...string) any {
	t.Helper()
	p, err := s.Copy(base)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if err := s.Knobs.Set(p, kv[i], kv[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return reflect.ValueOf(p).Elem().Interface()
}

// sameRun runs a and b and says whether their results are equal in all
// but the Config they carry: every count, series and histogram, and the
// summary and verdict as text.
func sameRun(t *testing.T, s scenario.Scenario, a, b any) bool {
	t.Helper()
	ra, err := s.Run(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := s.Run(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	if ra.Summary.String() != rb.Summary.String() || ra.Verdict.String() != rb.Verdict.String() {
		return false
	}
	va, vb := reflect.ValueOf(ra.Result).Elem(), reflect.ValueOf(rb.Result).Elem()
	// The results are compared as copies with one Config, so a knob that
	// changes nothing but its own field compares equal.
	ca, cb := reflect.New(va.Type()).Elem(), reflect.New(vb.Type()).Elem()
	ca.Set(va)
	cb.Set(vb)
	if f := cb.FieldByName("Config"); f.IsValid() {
		f.Set(ca.FieldByName("Config"))
	}
	return reflect.DeepEqual(ca.Interface(), cb.Interface())
}
