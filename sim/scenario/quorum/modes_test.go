package quorum_test

import (
	"testing"
	"time"

	"dsim/sim/scenario/internal/scenariotest"
	"dsim/sim/scenario/quorum"
)

// A knob the configuration leaves without work (standbys without a sloppy
// quorum, a region's latency with one region, a skew that counters do
// not read) leaves the run as it was; in its mode it changes it.
func TestModes(t *testing.T) {
	base := quorum.Default()
	base.Duration = 5 * time.Second
	scenariotest.Modes(t, quorum.Scenario(), base, []scenariotest.Mode{
		{Knob: "LocalLatency", Value: "exp(20ms)", Ignored: true},
		{Set: []string{"Regions", "3"}, Knob: "LocalLatency", Value: "exp(20ms)"},
		{Set: []string{"Model", "eventual", "Versioning", "counter"}, Knob: "ClockSkew", Value: "500ms", Ignored: true},
		{Set: []string{"Model", "eventual", "Clients", "1"}, Knob: "ClockSkew", Value: "500ms", Ignored: true},
		{Set: []string{"Model", "eventual"}, Knob: "ClockSkew", Value: "500ms"},
		{Set: []string{"SloppyQuorum", "on", "Partition.Duration", "3s", "Partition.Start", "1s"}, Knob: "Standbys", Value: "4"},
		{Knob: "Partition.Start", Value: "2s", Ignored: true},
		{Set: []string{"Partition.Duration", "2s", "Partition.Start", "1s"}, Knob: "Partition.Start", Value: "3s"},
		{Set: []string{"SkipCheck", "on"}, Knob: "CheckTimeout", Value: "1s", Ignored: true},
	})
	// Standbys without a sloppy quorum are refused, so the warning comes
	// before the error.
	cfg := base
	cfg.Standbys = 3
	if why, _ := quorum.Scenario().Knobs.Ignored(cfg, "Standbys"); why != "it matters only with SloppyQuorum=on; here SloppyQuorum=off" {
		t.Errorf("Standbys without a sloppy quorum: %q", why)
	}
}
