package metastable_test

import (
	"testing"
	"time"

	"dsim/sim/scenario/internal/scenariotest"
	"dsim/sim/scenario/metastable"
)

// The spike's rate does nothing under a constant or scheduled load, and
// the trigger's window nothing without a spike, a ramp, a capacity drop
// or a slowdown; in its mode each changes the run.
func TestModes(t *testing.T) {
	base := metastable.Default()
	base.Duration = 30 * time.Second
	scenariotest.Modes(t, metastable.Scenario(), base, []scenariotest.Mode{
		{Knob: "SpikeRate", Value: "100", Ignored: true},
		{Set: []string{"Pattern", "schedule", "Schedule", "10s:40, 15s:10"}, Knob: "SpikeRate", Value: "100", Ignored: true},
		{Set: []string{"Pattern", "spike"}, Knob: "SpikeRate", Value: "100"},
		{Set: []string{"Pattern", "ramp"}, Knob: "SpikeRate", Value: "100"},
		{Knob: "Trigger.Start", Value: "5s", Ignored: true},
		{Knob: "Trigger.Duration", Value: "5s", Ignored: true},
		{Set: []string{"Pattern", "schedule", "Schedule", "10s:40, 15s:10"}, Knob: "Trigger.Start", Value: "5s", Ignored: true},
		{Set: []string{"Pattern", "spike"}, Knob: "Trigger.Start", Value: "5s"},
		{Set: []string{"CapacityDrop", "0.5"}, Knob: "Trigger.Start", Value: "5s"},
		{Set: []string{"Slowdown", "4"}, Knob: "Trigger.Duration", Value: "5s"},
		{Set: []string{"Clients", "20", "Slowdown", "4"}, Knob: "Trigger.Duration", Value: "5s"},
		{Set: []string{"Clients", "20"}, Knob: "Trigger.Duration", Value: "5s", Ignored: true},
	})
}
