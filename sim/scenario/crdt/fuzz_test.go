package crdt_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/scenario/crdt"
)

// FuzzConfig sets knobs from text, as the command line does, then
// validates and runs: whatever the text, the answer is an error naming a
// knob or a run, never a panic or a hang.
func FuzzConfig(f *testing.F) {
	for _, seed := range [][6]string{
		{"Window", "1ns", "MaxTime", "24h", "GossipPeriod", "1ms"},
		{"Partition.Start", "1000h", "Partition.Duration", "1000h", "Type", "or-set"},
		{"NetworkDelay", "pareto(1ms, 1.1)", "Loss", "0.99", "Delta", "on"},
		{"OpRate", "0.001/min", "Operations", "100000", "Elements", "1"},
		{"Replicas", "64", "Fanout", "63", "FullEvery", "1"},
		{"ClockSkew", "1h", "Type", "lww-map", "MergeProbability", "1"},
		{"NetworkDelay", "0s", "GossipPeriod", "0", "MergeProbability", "0"},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3], seed[4], seed[5])
	}
	k := crdt.Scenario().Knobs
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2, k3, v3 string) {
		c := crdt.Default()
		for _, kv := range [][2]string{{k1, v1}, {k2, v2}, {k3, v3}} {
			if err := k.Set(&c, kv[0], kv[1]); err != nil {
				if !strings.HasPrefix(err.Error(), "crdt: ") {
					t.Fatalf("an error without the prefix: %v", err)
				}
				return
			}
		}
		if err := c.Validate(); err != nil {
			if !strings.HasPrefix(err.Error(), "crdt: ") || !strings.Contains(err.Error(), "=") {
				t.Fatalf("an error that names no field: %v", err)
			}
			return
		}
		// Valid configurations may be long runs; a deadline keeps the
		// fuzzer moving, and interruption is an answer.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if _, err := crdt.RunContext(ctx, c); err != nil && !errors.Is(err, sim.ErrInterrupted) && !strings.HasPrefix(err.Error(), "crdt: ") {
			t.Fatalf("%v", err)
		}
	})
}
