package interp

import (
	"os"
	"strings"
	"testing"
	"time"

	"dsim/kernel/display"
	"dsim/sim/scenario/elastic"
)

// readmeElastic holds the README's elasticity lines word for word, so the
// compiler checks them (an undefined name, an unused variable);
// TestREADMEElastic checks that they are the README's, spaces aside.
func readmeElastic() error {
	// README begin
	cfg, _ := elastic.PresetConfig("oscillation") // or elastic.Default(): 4 to 20 servers, a ramp from 20 to 80 req/s
	cfg.Cooldown = 7 * time.Minute                // any knob: Deploy, Pattern, Warmup, Step, InStep, Burst, Reserved...
	res, err := elastic.Run(cfg)
	display.Show(res.Verdict())                   // Absorbed, Lagged, Oscillating, Throttled, Starved
	display.Show(res.Summary())                   // p99, instance-hours, dollars, a fixed group's bill beside
	display.Show(res.Figures())                   // instances (or concurrency and the platform's limit), load, latency
	base, _ := elastic.PresetConfig("cost-study") // 100 users thinking about a second, on a group of 6 to 12
	study, err := elastic.CostStudy(base, elastic.StudySpec{Reps: 3})
	display.Show(study.Table()) // 12 configurations, cost against the base, the fronts
	// README end
	return err
}

var _ = readmeElastic

func TestREADMEElastic(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.ReadFile("readme_elastic_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, body, _ := strings.Cut(string(self), "// README begin\n")
	body, _, _ = strings.Cut(body, "\t// README end")
	var want []string
	for _, l := range strings.Split(strings.TrimSpace(body), "\n") {
		want = append(want, strings.Join(strings.Fields(l), " "))
	}
	at := strings.Index(string(readme), "```go\ncfg, _ := elastic.PresetConfig(")
	if at < 0 {
		t.Fatal("README.md has no go block starting with the elastic preset")
	}
	block, _, _ := strings.Cut(string(readme)[at+6:], "```")
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(block), "\n") {
		got = append(got, strings.Join(strings.Fields(l), " ")) // gofmt aligns the comments otherwise
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("README.md's elasticity block:\n%s\nwant (readme_elastic_test.go):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
