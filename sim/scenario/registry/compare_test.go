package registry_test

import (
	"context"
	"strings"
	"testing"

	"dsim/sim/scenario/registry"
)

// A scenario's comparison lays two of its runs side by side, a column per
// run; it refuses a run of another scenario and names that do not match.
func TestCompareLaysRunsSideBySide(t *testing.T) {
	compared := 0
	for _, s := range registry.All() {
		if s.Compare == nil {
			continue
		}
		compared++
		p := s.Presets[0].Name
		cfg, _ := s.Preset(p)
		a, err := s.Run(context.Background(), cfg)
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		tab, figs, err := s.Compare([]string{"one", "two"}, a, a)
		if err != nil || tab == nil || len(tab.Columns) != 3 || tab.Columns[1] != "one" || tab.Columns[2] != "two" {
			t.Errorf("%s: Compare: %v %+v", s.Name, err, tab)
		}
		for _, f := range figs {
			if _, err := f.SVG(); err != nil {
				t.Errorf("%s: comparison figure %s: %v", s.Name, f.Name, err)
			}
		}
		if _, _, err := s.Compare([]string{"one"}, a, a); err == nil || !strings.HasPrefix(err.Error(), s.Name+": ") {
			t.Errorf("%s: one name for two runs: %v", s.Name, err)
		}
		for _, other := range registry.All() {
			if other.Name == s.Name {
				continue
			}
			ocfg, _ := other.Preset(other.Presets[0].Name)
			b, err := other.Run(context.Background(), ocfg)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.Compare([]string{"one", "two"}, a, b); err == nil || !strings.Contains(err.Error(), `run 1 ("two") is not`) {
				t.Errorf("%s: a run of %s: %v", s.Name, other.Name, err)
			}
			break
		}
	}
	if compared < 3 {
		t.Errorf("%d scenarios compare runs; metastable, quorum and crdt do", compared)
	}
}
