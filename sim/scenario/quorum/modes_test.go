package quorum_test

import (
	"testing"
	"time"

	"dsim/sim/scenario/internal/scenariotest"
	"dsim/sim/scenario/quorum"
)

// A knob the configuration leaves without work (standbys without a sloppy
// quorum, the handoff's interval with neither hints nor asynchronous
// replication, a region's latency with one region, a skew that counters do
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
		{Knob: "Standbys", Value: "3", Ignored: true},
		{Set: []string{"Partition.Duration", "3s", "Partition.Start", "1s"}, Knob: "Standbys", Value: "3", Ignored: true},
		{Set: []string{"Partition.Duration", "3s", "Partition.Start", "1s"}, Knob: "HandoffInterval", Value: "50ms", Ignored: true},
		{Set: []string{"Model", "eventual", "Partition.Duration", "3s", "Partition.Start", "1s"}, Knob: "HandoffInterval", Value: "50ms"},
		{Set: []string{"SloppyQuorum", "on", "Partition.Duration", "3s", "Partition.Start", "1s"}, Knob: "HandoffInterval", Value: "50ms"},
	})
}
