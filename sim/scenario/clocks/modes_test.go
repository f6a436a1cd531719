package clocks_test

import (
	"testing"
	"time"

	"dsim/sim/scenario/clocks"
	"dsim/sim/scenario/internal/scenariotest"
)

// The clients' knobs do nothing without clients, nor the time server's
// latency without synchronisation; with them, they change the run.
func TestModes(t *testing.T) {
	base := clocks.Default()
	base.Duration = 3 * time.Second
	scenariotest.Modes(t, clocks.Scenario(), base, []scenariotest.Mode{
		{Knob: "SyncLatency", Value: "exp(50ms)", Ignored: true},
		{Set: []string{"SyncPeriod", "500ms"}, Knob: "SyncLatency", Value: "exp(50ms)"},
		{Knob: "ClientRate", Value: "10", Ignored: true},
		{Knob: "ReadShare", Value: "0.9", Ignored: true},
		{Knob: "Tokens", Value: "on", Ignored: true},
		{Knob: "Timeout", Value: "10ms", Ignored: true},
		{Set: []string{"Clients", "2"}, Knob: "ClientRate", Value: "10"},
		{Set: []string{"Clients", "2"}, Knob: "ReadShare", Value: "0.9"},
		{Set: []string{"Clients", "2"}, Knob: "Tokens", Value: "on"},
		{Set: []string{"Clients", "2"}, Knob: "Timeout", Value: "10ms"},
	})
}
