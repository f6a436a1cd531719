package scenario_test

import (
	"strings"
	"testing"
	"time"

	"dsim/sim/dist"
	"dsim/sim/scenario"
)

type forms struct {
	Seed    uint64
	Rate    float64
	Growth  int
	Memory  int
	Loss    float64
	Share   float64
	Service dist.Dist
	Noise   dist.Dist
}

var formKnobs = scenario.NewTable("forms", forms{}, nil,
	scenario.Num("Rate", "req/s", "arrivals", 10, 0.001, 1e6),
	scenario.Int("Growth", "calls/min", "growth", 500, 1, 1e7),
	scenario.Int("Memory", "MB", "memory", 1024, 128, 10240),
	scenario.Num("Loss", "chance", "loss", 0, 0, 0.99).ZeroMeans("none"),
	scenario.Num("Share", "share", "a share", 0.5, 0, 1),
	scenario.Distribution("Service", "service time", "exp(500ms)", time.Microsecond, time.Hour),
	scenario.Knob{Name: "Noise", Kind: scenario.Dist, Doc: "a factor", Default: "lognormal(1, 0.25)", Min: 0.01, Max: 100},
)

// Every form the help and the knob table promise reads as its value.
func TestValueForms(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"Rate", "300/min", "5"},
		{"Rate", "18000/h", "5"},
		{"Rate", "5/s", "5"},
		{"Growth", "600", "600"},
		{"Growth", "10/s", "600"},
		{"Growth", "30000/h", "500"},
		{"Growth", "500/min", "500"},
		{"Memory", "512", "512"},
		{"Memory", "512MB", "512"},
		{"Memory", "512 MiB", "512"},
		{"Memory", "2GB", "2048"},
		{"Memory", "1GiB", "1024"},
		{"Memory", "1.5gb", "1536"},
		{"Loss", "5%", "0.05"},
		{"Loss", "0.05", "0.05"},
		{"Share", "25 %", "0.25"},
		{"Service", "0.5", "const(500ms)"},
		{"Service", "2", "const(2s)"},
		{"Service", "250ms", "const(250ms)"},
		{"Service", "gamma(500ms, 0.5)", "gamma(500ms, 0.5)"},
		{"Noise", "1.2", "const(1.2)"},
	} {
		var c forms
		_ = formKnobs.Defaults(&c)
		if err := formKnobs.Set(&c, tc.name, tc.text); err != nil {
			t.Errorf("Set(%s, %q): %v", tc.name, tc.text, err)
			continue
		}
		if got, _ := formKnobs.Get(c, tc.name); got != tc.want {
			t.Errorf("Set(%s, %q): got %s, want %s", tc.name, tc.text, got, tc.want)
		}
	}
}

func TestValueFormsRefused(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"Growth", "1/min/s", "want a whole number"},
		{"Growth", "1/7s", "want a whole number calls/min, or with its period (5/s)"},
		{"Growth", "1.5", "want a whole number"},
		{"Memory", "1.0001GB", "want a whole number of MB, or a size such as 512MB or 2GB (1 GB = 1024 MB)"},
		{"Memory", "1GB/s", "want a whole number"},
		{"Memory", "12 furlongs", "want a whole number"},
		{"Memory", "64MB", "forms: Memory=64: must be between 128 and 10240 MB"},
		{"Memory", "1TB", "must be between 128 and 10240 MB"},
		{"Rate", "5%", "want a finite number req/s, or with its period (300/min)"},
		{"Loss", "5%%", "or a percentage (10%)"},
		{"Loss", "150%", "must be between 0 and 0.99"},
		{"Service", "-1", "forms: Service=const(-1s)"},
		{"Service", "1e300", "forms: Service=1e300"},
		{"Noise", "500ms", "forms: Noise=const(500ms): give a distribution of plain numbers"},
	} {
		var c forms
		_ = formKnobs.Defaults(&c)
		err := formKnobs.Set(&c, tc.name, tc.text)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Set(%s, %q): got %v, want %q", tc.name, tc.text, err, tc.want)
		}
	}
}
