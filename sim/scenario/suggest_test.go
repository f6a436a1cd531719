package scenario_test

import (
	"strings"
	"testing"

	"dsim/sim/scenario"
)

func TestClosest(t *testing.T) {
	presets := []string{"lan", "wan", "wan-weak", "partition-strong", "partition-eventual", "sloppy-quorum"}
	for _, c := range []struct {
		name string
		of   []string
		want string
	}{
		{"partition-eventul", presets, "partition-eventual"},
		{"Partition-Eventual", presets, "partition-eventual"}, // case does not count
		{"partition_strong", presets, "partition-strong"},
		{"sloppyquorum", presets, "sloppy-quorum"},
		{"wna", presets, "wan"},          // a swap is one edit
		{"lan", presets, "lan"},          // itself
		{"wan-wek", presets, "wan-weak"}, // nearer than wan
		{"partition", presets, ""},       // the start of two
		{"slop", presets, "sloppy-quorum"},
		{"xyz", presets, ""},
		{"q", presets, ""},
		{"", presets, ""},
		{"storm", nil, ""},
		{"timout", []string{"timeout", "think-time"}, "timeout"},
		{"tieout", []string{"timeout"}, "timeout"},
		{"tmo", []string{"timeout"}, ""}, // too far
		{strings.Repeat("a", 100), []string{strings.Repeat("a", 99)}, ""},
	} {
		if got := scenario.Closest(c.name, c.of); got != c.want {
			t.Errorf("Closest(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestSuggestions(t *testing.T) {
	var c toy
	for _, tc := range []struct {
		err  error
		want string
	}{
		{toyKnobs.Set(&c, "Timout", "1s"), `toy: unknown knob "Timout" (want one of Rate, Servers,`},
		{toyKnobs.Set(&c, "Timout", "1s"), `; did you mean Timeout?`},
		{toyKnobs.Set(&c, "backof-base", "1s"), `; did you mean Backoff.Base?`},
		{toyKnobs.Set(&c, "zzz", "1s"), `Multiple)`},
		{scenario.UnknownPreset("toy", "strom", []string{"storm", "recovery"}), `toy: unknown preset "strom" (want one of storm, recovery); did you mean storm?`},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%v: want %q", tc.err, tc.want)
		}
	}
	if err := toyKnobs.Set(&c, "zzz", "1"); strings.Contains(err.Error(), "did you mean") {
		t.Errorf("a name near nothing: %v", err)
	}
	for _, f := range []struct{ name, want string }{
		{"timout", "-timeout"}, {"R", "-rate"}, {"serves", "-servers"}, {"sed", "-seed"}, {"prest", "-preset"}, {"triger-start", "-trigger-start"}, {"qqq", ""},
	} {
		if got := toyKnobs.SuggestFlag(f.name, "preset", "seed", "out"); got != f.want {
			t.Errorf("SuggestFlag(%q) = %q, want %q", f.name, got, f.want)
		}
	}
}
