package balance_test

import (
	"testing"
	"time"

	"dsim/sim/scenario/balance"
	"dsim/sim/scenario/internal/scenariotest"
)

// A policy's own knob does nothing under another policy (the choices of
// power-of-choices, the bound of consistent hashing, keys for the
// policies that ignore them, stale loads for those that read none), nor
// the slow servers' knobs without a slowdown; in its mode each changes
// the run.
func TestModes(t *testing.T) {
	base := balance.Default()
	base.Duration = 20 * time.Second
	scenariotest.Modes(t, balance.Scenario(), base, []scenariotest.Mode{
		{Knob: "Choices", Value: "4", Ignored: true},
		{Set: []string{"Policy", "power-of-choices"}, Knob: "Choices", Value: "4"},
		{Knob: "LoadAge", Value: "1s", Ignored: true},
		{Set: []string{"Policy", "consistent-hash"}, Knob: "LoadAge", Value: "1s", Ignored: true},
		{Set: []string{"Policy", "least-outstanding"}, Knob: "LoadAge", Value: "1s"},
		{Set: []string{"Policy", "power-of-choices"}, Knob: "LoadAge", Value: "1s"},
		{Set: []string{"Policy", "sticky"}, Knob: "LoadBound", Value: "1.25", Ignored: true},
		{Set: []string{"Policy", "consistent-hash"}, Knob: "LoadBound", Value: "1.25"},
		{Set: []string{"Policy", "random"}, Knob: "Keys", Value: "10", Ignored: true},
		{Set: []string{"Policy", "least-outstanding"}, Knob: "KeySkew", Value: "1.2", Ignored: true},
		{Set: []string{"Policy", "consistent-hash"}, Knob: "Keys", Value: "10"},
		{Set: []string{"Policy", "sticky"}, Knob: "KeySkew", Value: "1.2"},
		{Knob: "SlowServers", Value: "3", Ignored: true},
		{Knob: "Slow.Start", Value: "5s", Ignored: true},
		{Knob: "Slow.Duration", Value: "5s", Ignored: true},
		{Set: []string{"SlowFactor", "10"}, Knob: "SlowServers", Value: "3"},
		{Set: []string{"SlowFactor", "10"}, Knob: "Slow.Start", Value: "5s"},
		{Set: []string{"SlowFactor", "10"}, Knob: "Slow.Duration", Value: "5s"},
	})
}
