package messaging_test

import (
	"testing"
	"time"

	"dsim/sim/scenario/internal/scenariotest"
	"dsim/sim/scenario/messaging"
)

// A crash's length without crashes, the overflow of an unbounded queue,
// a writer's crash length without a writer or its crashes leave the run
// as it was; the knobs a mode refuses are refused by name; each in its
// mode changes the run.
func TestModes(t *testing.T) {
	base := messaging.Default()
	base.Duration, base.Drain, base.Rate = 10*time.Second, 2*time.Second, 50
	scenariotest.Modes(t, messaging.Scenario(), base, []scenariotest.Mode{
		{Knob: "CrashFor", Value: "2s", Ignored: true},
		{Set: []string{"CrashEvery", "3s"}, Knob: "CrashFor", Value: "2s"},
		{Knob: "Overflow", Value: "drop", Ignored: true},
		{Set: []string{"MaxDepth", "5", "Rate", "400"}, Knob: "Overflow", Value: "drop"},
		{Knob: "WriterCrashFor", Value: "1s", Ignored: true},
		{Set: []string{"WriteMode", "outbox"}, Knob: "WriterCrashFor", Value: "1s", Ignored: true},
		{Set: []string{"WriteMode", "outbox", "WriterCrashEvery", "2s"}, Knob: "WriterCrashFor", Value: "1s"},
		{Knob: "WriterCrashEvery", Value: "2s", Refused: true},
		{Set: []string{"WriteMode", "commit-then-publish"}, Knob: "WriterCrashEvery", Value: "2s"},
		{Set: []string{"WriteMode", "commit-then-publish"}, Knob: "RelayBatch", Value: "5", Refused: true},
		{Set: []string{"WriteMode", "outbox"}, Knob: "RelayBatch", Value: "1"},
		{Knob: "DedupTTL", Value: "1s", Refused: true},
		{Set: []string{"Idempotent", "on", "AckLoss", "0.2", "Keys", "10"}, Knob: "DedupTTL", Value: "1ms"},
		{Knob: "CommitEvery", Value: "10", Refused: true},
		{Set: []string{"Partitions", "4", "CrashEvery", "3s"}, Knob: "CommitEvery", Value: "50"},
		{Knob: "ProducerRetries", Value: "2", Refused: true},
		{Knob: "PublishLoss", Value: "0.1", Refused: true},
		{Set: []string{"WriteMode", "outbox", "ProducerTimeout", "1s"}, Knob: "PublishLoss", Value: "0.1", Refused: true},
		{Set: []string{"ProducerTimeout", "1s"}, Knob: "PublishLoss", Value: "0.1"},
		{Set: []string{"ProducerTimeout", "20ms", "PublishLoss", "0.1"}, Knob: "ProducerRetries", Value: "2"},
	})
}
