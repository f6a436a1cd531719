package raft

import (
	"slices"
	"testing"

	"dsim/sim/lab"
	"dsim/sim/viz"
)

// The timeline's legend names the faults shaded, then the states that
// occur in the run, no others, and lies beneath the lanes.
func TestTimelineLegendListsWhatOccurs(t *testing.T) {
	for _, scenario := range []string{LeaderMinorityPartition, LeaderPause, LeaderCrash} {
		a := availability(t, scenario)
		f, err := Timeline(a.Result, scenario)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, sp := range viz.LabSpans(a.Result) {
			if sp.Label != "" && !slices.Contains(want, sp.Label) {
				want = append(want, sp.Label)
			}
		}
		occurs := map[string]bool{}
		m := a.Result.Monitor.(*Monitor)
		last := map[string]roleChange{}
		for _, c := range m.roles {
			if prev, ok := last[c.node]; ok && c.at > prev.at && prev.at < a.Result.End {
				occurs[prev.role.String()] = true
			}
			last[c.node] = c
		}
		for _, c := range last {
			if c.at < a.Result.End {
				occurs[c.role.String()] = true
			}
		}
		for _, fault := range a.Result.Test.Faults {
			occurs["crashed"] = occurs["crashed"] || fault.Kind == lab.FaultCrash
			occurs["paused"] = occurs["paused"] || fault.Kind == lab.FaultPause
		}
		for _, k := range timelineKinds {
			if occurs[k] {
				want = append(want, k)
			}
		}
		if got := f.LegendEntries(); !slices.Equal(got, want) {
			t.Errorf("%s: the legend lists %q, want %q", scenario, got, want)
		}
		box, _ := f.LegendBox()
		if fr := f.Frame(); box.Top <= fr.Bottom || box.Right-box.Left > fr.Width {
			t.Errorf("%s: the legend at %+v is not beneath the lanes (bottom %.0f) within the width", scenario, box, fr.Bottom)
		}
	}
}
