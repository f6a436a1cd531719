package scenario_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/scenario"
)

type backoff struct {
	Base time.Duration
}

type toy struct {
	Seed     uint64
	Rate     float64
	Servers  int
	Retries  int
	Timeout  time.Duration
	Trigger  sim.Window
	Fast     bool
	Mode     string
	Service  dist.Dist
	Backoff  backoff
	Steps    []int
	Share    float64
	Multiple float64
}

var toyKnobs = scenario.NewTable("toy", toy{}, []string{"Steps: a list set in Go"},
	scenario.Num("Rate", "req/s", "arrivals", 10, 0.001, 1e6).Alias("r"),
	scenario.Int("Servers", "servers", "servers", 4, 1, 100),
	scenario.Int("Retries", "retries", "retries", 3, 1, 20).ZeroMeans("no retries"),
	scenario.Dur("Timeout", "timeout", time.Second, time.Millisecond, time.Hour),
	scenario.Dur("Trigger.Start", "when", 5*time.Second, 0, time.Hour).ZeroMeans("at once"),
	scenario.Dur("Trigger.Duration", "how long", 2*time.Second, time.Millisecond, time.Hour),
	scenario.Bool("Fast", "go fast", false),
	scenario.OneOf("Mode", "mode", "a", "a", "b"),
	scenario.Distribution("Service", "service time", "exp(500ms)", time.Microsecond, time.Hour),
	scenario.Dur("Backoff.Base", "first backoff", 100*time.Millisecond, time.Microsecond, time.Hour),
	scenario.Num("Share", "share", "a share", 0.5, 0, 1).ZeroMeans("none"),
	scenario.Num("Multiple", "", "a number", 0, 0, 10).DerivedFrom("Rate/2"),
)

func TestDefaultsFillCheck(t *testing.T) {
	var c toy
	if err := toyKnobs.Defaults(&c); err != nil {
		t.Fatal(err)
	}
	if c.Rate != 10 || c.Servers != 4 || c.Retries != 3 || c.Timeout != time.Second || c.Trigger.Start != 5*time.Second ||
		c.Mode != "a" || c.Service.String() != "exp(500ms)" || c.Backoff.Base != 100*time.Millisecond || c.Share != 0.5 {
		t.Fatalf("defaults: %+v", c)
	}
	var z toy
	if err := toyKnobs.Fill(&z); err != nil {
		t.Fatal(err)
	}
	// Zero means the default, except where the knob says what zero means.
	if z.Rate != 10 || z.Retries != 0 || z.Trigger.Start != 0 || z.Share != 0 || z.Multiple != 0 {
		t.Fatalf("fill: %+v", z)
	}
	if err := toyKnobs.Check(z); err != nil {
		t.Fatal(err)
	}
	z.Servers = 101
	if err := toyKnobs.Check(&z); err == nil || err.Error() != "toy: Servers=101: must be between 1 and 100 servers" {
		t.Fatalf("check: %v", err)
	}
}

func TestSet(t *testing.T) {
	var c toy
	_ = toyKnobs.Defaults(&c)
	for _, tc := range []struct{ name, text, want string }{
		{"rate", "60/min", "1"},
		{"R", "5", "5"},
		{"Rate", "18000/h", "5"},
		{"base-rate", "1", ""},
		{"share", "10%", "0.1"},
		{"Timeout", "1.5s", "1.5s"},
		{"timeout", "2", "2s"},
		{"trigger-start", "0", "0s"},
		{"TriggerDuration", "3s", "3s"},
		{"fast", "on", "on"},
		{"mode", "b", "b"},
		{"mode", "B", "b"},
		{"servers", "1e1", "10"},
		{"servers", "2.5e1", "25"},
		{"timeout", "1.5e3ms", "1.5s"},
		{"Trigger.Duration", "1h0m0s", "1h"},
		{"service", "250ms", "const(250ms)"},
		{"service", "gamma(1s, 0.5)", "gamma(1s, 0.5)"},
		{"backoff-base", "1s", "1s"},
		{"retries", "0", "0"},
	} {
		err := toyKnobs.Set(&c, tc.name, tc.text)
		if tc.want == "" {
			if err == nil {
				t.Errorf("Set(%s, %s): want an error", tc.name, tc.text)
			}
			continue
		}
		if err != nil {
			t.Errorf("Set(%s, %s): %v", tc.name, tc.text, err)
			continue
		}
		if got, _ := toyKnobs.Get(c, tc.name); got != tc.want {
			t.Errorf("Set(%s, %s): got %s, want %s", tc.name, tc.text, got, tc.want)
		}
	}
}

func TestSetRefuses(t *testing.T) {
	var c toy
	_ = toyKnobs.Defaults(&c)
	for _, tc := range []struct{ name, text, want string }{
		{"Rate", "0", "toy: Rate=0: must be between 0.001 and 1e+06 req/s (leave it unset for the default, 10)"},
		{"Rate", "NaN", "toy: Rate=NaN: want a finite number"},
		{"Rate", "1e400", "want a finite number"},
		{"Rate", "5/fortnight", `unknown period "fortnight"`},
		{"Servers", "2.5", "toy: Servers=2.5: want a whole number"},
		{"Servers", "99999999999", "want a whole number"},
		{"Timeout", "-1s", "toy: Timeout=-1s: must be between 1ms and 1h"},
		{"Timeout", "0", "(leave it unset for the default, 1s)"},
		{"Timeout", "1e300", "toy: Timeout=1e300: out of range: beyond any duration (about 292 years); must be between 1ms and 1h"},
		{"Timeout", "1e9h", "toy: Timeout=1e9h: out of range: beyond any duration (about 292 years); must be between 1ms and 1h"},
		{"Timeout", "9999999999h", "out of range"},
		{"Timeout", "NaN", "toy: Timeout=NaN: NaN is not a number"},
		{"Timeout", "soon", "want a duration such as 1.5s"},
		{"Timeout", "1e4", "toy: Timeout=2h46m40s: must be between 1ms and 1h"},
		{"Trigger.Duration", "1000000h", "toy: Trigger.Duration=1000000h: must be between 1ms and 1h"},
		{"Trigger.Duration", "2562047h47m", "toy: Trigger.Duration=2562047h47m: must be between 1ms and 1h"},
		{"Servers", "1.5", "toy: Servers=1.5: want a whole number"},
		{"Servers", "1e-3", "want a whole number"},
		{"mode", "A ", ""},
		{"mode", "cc", "toy: Mode=cc: want one of a, b"},
		{"service", "NaN", "toy: Service=NaN: NaN is not a number; want a distribution such as"},
		{"service", "+Inf", "Inf is not a number"},
		{"fast", "maybe", "want on or off"},
		{"mode", "c", "toy: Mode=c: want one of a, b"},
		{"service", "exp(2h)", "its mean must be between 1µs and 1h"},
		{"service", "exp(5)", "give a distribution of durations"},
		{"service", "nope(", "toy: Service=nope("},
		{"Steps", "1", `toy: unknown knob "Steps"`},
		{"Rate", strings.Repeat("1", 5000), "at most 4096"},
	} {
		err := toyKnobs.Set(&c, tc.name, tc.text)
		if tc.want == "" {
			if err != nil {
				t.Errorf("Set(%s, %.20s): %v", tc.name, tc.text, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Set(%s, %.20s): got %v, want %q", tc.name, tc.text, err, tc.want)
		}
	}
	if err := toyKnobs.Set(c, "Rate", "1"); err == nil || !strings.Contains(err.Error(), "needs a *scenario_test.toy") {
		t.Errorf("Set on a value: %v", err)
	}
}

func TestSetValue(t *testing.T) {
	var c toy
	_ = toyKnobs.Defaults(&c)
	if err := toyKnobs.SetValue(&c, "Timeout", 2.5, ""); err != nil || c.Timeout != 2500*time.Millisecond {
		t.Fatalf("duration in seconds: %v %v", err, c.Timeout)
	}
	if err := toyKnobs.SetValue(&c, "Fast", 1, ""); err != nil || !c.Fast {
		t.Fatalf("switch: %v", err)
	}
	if err := toyKnobs.SetValue(&c, "Fast", 2, ""); err == nil {
		t.Fatal("switch 2 accepted")
	}
	if err := toyKnobs.SetValue(&c, "Servers", 1.5, ""); err == nil {
		t.Fatal("1.5 servers accepted")
	}
	if err := toyKnobs.SetValue(&c, "Mode", 0, "b"); err != nil || c.Mode != "b" {
		t.Fatalf("choice: %v", err)
	}
}

func TestTableRefusesMistakes(t *testing.T) {
	for _, tc := range []struct {
		knob scenario.Knob
		want string
	}{
		{scenario.Num("Nope", "", "", 1, 0, 2), "no exported field Nope"},
		{scenario.Int("Rate", "", "", 1, 0, 2), "a count knob cannot set a field of type float64"},
		{scenario.Num("Rate", "", "", 5, 0, 2), "default 5 must be between 0 and 2"},
		{scenario.OneOf("Mode", "", "c", "a", "b"), "default c want one of a, b"},
	} {
		func() {
			defer func() {
				r := recover()
				if r == nil || !strings.Contains(fmt.Sprint(r), tc.want) {
					t.Errorf("%s: got %v, want a panic naming %q", tc.knob.Name, r, tc.want)
				}
			}()
			scenario.NewTable("toy", toy{}, []string{"Seed", "Servers", "Retries", "Timeout", "Trigger", "Fast", "Mode", "Service", "Backoff", "Steps", "Share", "Multiple", "Rate"}, tc.knob)
		}()
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "neither knobs nor listed") {
			t.Errorf("a field left out: %v", r)
		}
	}()
	scenario.NewTable("toy", toy{}, nil, scenario.Num("Rate", "", "", 1, 0, 2))
}

func TestFlagNames(t *testing.T) {
	for name, want := range map[string]string{
		"BaseRate": "base-rate", "Backoff.Base": "backoff-base", "Trigger.Start": "trigger-start",
		"ServiceCV": "service-cv", "CVRatio": "cv-ratio", "MaxQueue": "max-queue", "R": "r", "Upstream.MaxItems": "upstream-max-items",
	} {
		if got := (scenario.Knob{Name: name}).Flag(); got != want {
			t.Errorf("%s: flag %s, want %s", name, got, want)
		}
	}
}

func TestDoc(t *testing.T) {
	doc := toyKnobs.Doc().Text()
	for _, want := range []string{"Rate", "-rate", "req/s", "0.001 to 1e+06", "Retries", "1 to 20; 0: no retries", "Rate/2", "mean 1µs to 1h", "a, b"} {
		if !strings.Contains(doc, want) {
			t.Errorf("doc lacks %q:\n%s", want, doc)
		}
	}
}
