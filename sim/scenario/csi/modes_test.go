package csi_test

import (
	"testing"
	"time"

	"dsim/sim/scenario/csi"
	"dsim/sim/scenario/internal/scenariotest"
)

// A's backoff knobs do nothing under a backoff kind that does not read
// them, nor the write-read test's sample size with fixtures; in their
// mode they change the run.
func TestModes(t *testing.T) {
	conf, err := csi.PresetConfig("config")
	if err != nil {
		t.Fatal(err)
	}
	conf.Duration = time.Minute
	scenariotest.Modes(t, csi.Scenario(), conf, []scenariotest.Mode{
		{Set: []string{"Upstream.Backoff.Kind", "none"}, Knob: "Upstream.Backoff.Base", Value: "5s", Ignored: true},
		{Set: []string{"Upstream.Backoff.Kind", "none"}, Knob: "Upstream.Backoff.Cap", Value: "2s", Ignored: true},
		{Knob: "Upstream.Backoff.Jitter", Value: "0.5", Ignored: true},
		{Knob: "Upstream.Backoff.Base", Value: "5s"},
		{Set: []string{"Upstream.Backoff.Kind", "exponential"}, Knob: "Upstream.Backoff.Jitter", Value: "0.5"},
	})
	enc, err := csi.PresetConfig("encoding")
	if err != nil {
		t.Fatal(err)
	}
	enc.Duration = time.Minute
	scenariotest.Modes(t, csi.Scenario(), enc, []scenariotest.Mode{
		{Set: []string{"TestData", "fixtures"}, Knob: "TestOrders", Value: "3", Ignored: true},
		{Knob: "TestOrders", Value: "3"},
	})
}
