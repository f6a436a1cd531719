package crdt_test

import (
	"testing"

	"dsim/sim/scenario/crdt"
	"dsim/sim/scenario/internal/scenariotest"
)

// Skewed clocks do nothing to a type without LWW stamps, the share of
// adds nothing to a type of one operation, the elements nothing to a
// counter or a register, the gossip's fan-out and deltas nothing without
// gossip rounds (deltas without them are refused), a partition's start
// nothing without a partition; in its mode each changes the run.
func TestModes(t *testing.T) {
	base := crdt.Default()
	gossip := []string{"GossipPeriod", "300ms", "MergeProbability", "0.05", "Replicas", "5"}
	scenariotest.Modes(t, crdt.Scenario(), base, []scenariotest.Mode{
		{Knob: "ClockSkew", Value: "10ms", Ignored: true},
		{Set: []string{"Type", "or-set"}, Knob: "ClockSkew", Value: "10ms", Ignored: true},
		{Set: []string{"Type", "mv-register"}, Knob: "ClockSkew", Value: "10ms", Ignored: true},
		{Set: []string{"Type", "lww-register", "Replicas", "5", "OpRate", "100"}, Knob: "ClockSkew", Value: "500ms"},
		{Set: []string{"Type", "lww-map", "Replicas", "5", "OpRate", "100"}, Knob: "ClockSkew", Value: "500ms"},
		{Knob: "AddRatio", Value: "0.2", Ignored: true},
		{Set: []string{"Type", "g-set"}, Knob: "AddRatio", Value: "0.2", Ignored: true},
		{Set: []string{"Type", "lww-register"}, Knob: "AddRatio", Value: "0.2", Ignored: true},
		{Set: []string{"Type", "pn-counter"}, Knob: "AddRatio", Value: "0.2"},
		{Set: []string{"Type", "or-set"}, Knob: "AddRatio", Value: "0.2"},
		{Knob: "Elements", Value: "50", Ignored: true},
		{Set: []string{"Type", "pn-counter"}, Knob: "Elements", Value: "50", Ignored: true},
		{Set: []string{"Type", "mv-register"}, Knob: "Elements", Value: "50", Ignored: true},
		{Set: []string{"Type", "g-set"}, Knob: "Elements", Value: "50"},
		{Set: []string{"Type", "lww-map"}, Knob: "Elements", Value: "50"},
		{Set: []string{"GossipPeriod", "0s"}, Knob: "Fanout", Value: "2", Ignored: true},
		{Set: gossip, Knob: "Fanout", Value: "3"},
		{Set: []string{"GossipPeriod", "0s"}, Knob: "Delta", Value: "on", Refused: true},
		{Set: gossip, Knob: "Delta", Value: "on"},
		{Knob: "FullEvery", Value: "2", Ignored: true},
		{Set: append([]string{"Delta", "on"}, gossip...), Knob: "FullEvery", Value: "2"},
		{Knob: "Partition.Start", Value: "1s", Ignored: true},
		{Set: []string{"Partition.Duration", "2s"}, Knob: "Partition.Start", Value: "1s"},
	})
}
