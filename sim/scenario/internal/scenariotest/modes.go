package scenariotest

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"dsim/sim/scenario"
)

// Mode is a knob changed in a mode: Set are the knobs that make the mode
// (name, value pairs, applied in order on the base), Knob=Value the
// change, and Ignored whether the table declares the mode to ignore it.
// Refused marks an ignored knob that Validate refuses in the mode, naming
// it, rather than run in vain.
type Mode struct {
	Set     []string
	Knob    string
	Value   string
	Ignored bool
	Refused bool
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
		if (why != "") != (m.Ignored || m.Refused) {
			t.Errorf("%v %s=%s: Ignored says %q, want ignored %v", m.Set, m.Knob, m.Value, why, m.Ignored || m.Refused)
			continue
		}
		if m.Refused {
			if err := s.Validate(after); err == nil || !strings.Contains(err.Error(), m.Knob+"=") {
				t.Errorf("%v %s=%s: Validate says %v, want a refusal naming %s", m.Set, m.Knob, m.Value, err, m.Knob)
			}
			continue
		}
		if diff := differ(t, s, before, after); (diff == "") != m.Ignored {
			t.Errorf("%v %s=%s: the results differ in %q; want the same %v (%s)", m.Set, m.Knob, m.Value, diff, m.Ignored, why)
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

// differ runs a and b and names the first part of their results that
// differs ("" for none): the summary and verdict as text, then each
// exported field of the Result but the Configs it carries (every count,
// operation, series and histogram). Unexported fields hold the run's
// parts, the network with its configuration, and are left out, as is the
// engine's count of Events: a knob may schedule work that changes
// nothing (a refresh of loads no policy reads).
func differ(t *testing.T, s scenario.Scenario, a, b any) string {
	t.Helper()
	ra, err := s.Run(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := s.Run(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case ra.Summary.String() != rb.Summary.String():
		return "summary"
	case ra.Verdict.String() != rb.Verdict.String():
		return "verdict"
	}
	va, vb := reflect.ValueOf(ra.Result).Elem(), reflect.ValueOf(rb.Result).Elem()
	cfg := reflect.TypeOf(a)
	for i := range va.NumField() {
		f := va.Type().Field(i)
		if f.IsExported() && f.Type != cfg && f.Name != "Events" && !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			return f.Name
		}
	}
	return ""
}
