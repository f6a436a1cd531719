package display

import (
	"path/filepath"
	"strings"
	"testing"

	"dsim/sim/scenario/metastable"
)

// Outside a notebook Explore never waits for a browser: it says how to
// explore the run and shows it, static.
func TestExploreOutsideANotebookShowsTheRun(t *testing.T) {
	dir, buf := capture(t)
	cfg, _ := metastable.PresetConfig("storm")
	cfg.RetryBudget = 0.1
	Explore(cfg)
	text := buf.String()
	for _, want := range []string{"not in a notebook", "dsim explore", "/s/metastable?preset=storm&seed=1&retry-budget=0.1", "Recovered", "figure: "} {
		if !strings.Contains(text, want) {
			t.Errorf("Explore printed no %q:\n%s", want, text)
		}
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*.svg")); len(files) < 2 {
		t.Errorf("%d figures written", len(files))
	}
	buf.Reset()
	Explore(42)
	if !strings.Contains(buf.String(), "error: explore: int is not the Config of a scenario") {
		t.Errorf("Explore(42): %s", buf.String())
	}
}
