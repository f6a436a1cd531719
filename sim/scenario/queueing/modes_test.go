package queueing_test

import (
	"testing"
	"time"

	"dsim/sim/scenario/internal/scenariotest"
	"dsim/sim/scenario/queueing"
)

// A knob the chosen pattern or the absence of dependencies ignores leaves
// the run as it was; in its mode it changes it.
func TestModes(t *testing.T) {
	base := queueing.Default()
	base.Duration, base.ArrivalRate, base.DependencyFailure = time.Minute, 8, 0.2
	scenariotest.Modes(t, queueing.Scenario(), base, []scenariotest.Mode{
		{Knob: "Multiplier", Value: "5", Ignored: true},
		{Set: []string{"Pattern", "ramp-up"}, Knob: "Multiplier", Value: "5"},
		{Set: []string{"Pattern", "diurnal"}, Knob: "Spike.Start", Value: "10s", Ignored: true},
		{Set: []string{"Pattern", "spike"}, Knob: "Spike.Start", Value: "10s"},
		{Set: []string{"Pattern", "spike"}, Knob: "Spike.Duration", Value: "30s"},
		{Set: []string{"Pattern", "bursty"}, Knob: "DiurnalPeriod", Value: "10s", Ignored: true},
		{Set: []string{"Pattern", "diurnal"}, Knob: "DiurnalPeriod", Value: "10s"},
		{Set: []string{"Pattern", "spike"}, Knob: "BurstMean", Value: "1s", Ignored: true},
		{Set: []string{"Pattern", "bursty"}, Knob: "BurstMean", Value: "1s"},
		{Set: []string{"Dependencies", "0"}, Knob: "DependencyLatency", Value: "exp(10ms)", Ignored: true},
		{Set: []string{"Dependencies", "0"}, Knob: "DependencyFailure", Value: "0.5", Ignored: true},
		{Set: []string{"Dependencies", "0"}, Knob: "MaxRetries", Value: "3", Ignored: true},
		{Set: []string{"Dependencies", "0"}, Knob: "CircuitBreaker", Value: "on", Ignored: true},
		{Knob: "DependencyLatency", Value: "exp(10ms)"},
		{Set: []string{"Breaker.Threshold", "0.1"}, Knob: "CircuitBreaker", Value: "on"},
		{Set: []string{"DependencyFailure", "0"}, Knob: "MaxRetries", Value: "3", Ignored: true},
		{Knob: "MaxRetries", Value: "3"},
		{Knob: "Backoff.Base", Value: "1s", Ignored: true},
		{Set: []string{"MaxRetries", "3", "Backoff.Kind", "none"}, Knob: "Backoff.Cap", Value: "200ms", Ignored: true},
		{Set: []string{"MaxRetries", "3"}, Knob: "Backoff.Base", Value: "1s"},
		{Set: []string{"MaxRetries", "3", "Backoff.Kind", "full-jitter"}, Knob: "Backoff.Jitter", Value: "0.5", Ignored: true},
		{Set: []string{"MaxRetries", "3"}, Knob: "Backoff.Jitter", Value: "0.5"},
		{Knob: "Breaker.Window", Value: "5", Ignored: true},
		{Set: []string{"Dependencies", "0", "CircuitBreaker", "on"}, Knob: "Breaker.Threshold", Value: "0.1", Ignored: true},
		{Set: []string{"CircuitBreaker", "on"}, Knob: "Breaker.Threshold", Value: "0.1"},
	})
}
