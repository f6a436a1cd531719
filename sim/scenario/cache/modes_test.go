package cache_test

import (
	"testing"
	"time"

	"dsim/sim/scenario/cache"
	"dsim/sim/scenario/internal/scenariotest"
)

// The write policy does nothing without writes, the settling time
// nothing without a flush, the backoff nothing without retries, early
// refresh nothing without a TTL; in its mode each changes the run.
func TestModes(t *testing.T) {
	base := cache.Default()
	base.Duration, base.Rate = 15*time.Second, 500
	// The storm preset's retry storm after a flush, shortened: still
	// degraded at the end, 10s after the flush.
	storm := []string{"Skew", "0.6", "Capacity", "30000", "Warm", "on", "LookAside", "on", "DBSlots", "2", "DBService", "exp(3.6ms)",
		"Timeout", "20ms", "MaxRetries", "3", "FlushAt", "5s"}
	scenariotest.Modes(t, cache.Scenario(), base, []scenariotest.Mode{
		{Knob: "WritePolicy", Value: "write-back", Ignored: true},
		{Set: []string{"Writes", "0.2"}, Knob: "WritePolicy", Value: "write-around"},
		{Knob: "SettleTime", Value: "1s", Ignored: true},
		{Set: storm, Knob: "SettleTime", Value: "1s"},
		{Set: storm, Knob: "Backoff.Base", Value: "1ms"},
		{Knob: "EarlyRefresh", Value: "1", Ignored: true},
		{Set: []string{"TTL", "1s"}, Knob: "EarlyRefresh", Value: "1"},
		{Knob: "Backoff.Base", Value: "1ms", Ignored: true},
		{Set: []string{"MaxRetries", "2", "Backoff.Kind", "none"}, Knob: "Backoff.Base", Value: "1ms", Ignored: true},
	})
}
