package csi

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzKnobs sets one knob of the default configuration from any text (as
// the command line does), then validates and, when the configuration is
// valid, runs a second of it: nothing may panic, a refusal names the
// package and the field, and Run takes what Validate took.
func FuzzKnobs(f *testing.F) {
	for i, k := range knobs.Knobs() {
		def, _ := knobs.Get(Default(), k.Name)
		f.Add(uint8(i), def)
		f.Add(uint8(i), "0")
		f.Add(uint8(i), "-1")
	}
	f.Add(uint8(4), "pareto(1ms, 0.5)")
	f.Add(uint8(28), "normal(1, 10)")
	f.Add(uint8(28), "mix(0.5: const(0.01), 0.5: const(100))")
	f.Fuzz(func(t *testing.T, i uint8, text string) {
		all := knobs.Knobs()
		k := all[int(i)%len(all)]
		c := Default()
		if err := knobs.Set(&c, k.Name, text); err != nil {
			if !strings.HasPrefix(err.Error(), "csi: "+k.Name+"=") {
				t.Fatalf("Set(%s, %q): %v", k.Name, text, err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			if !strings.HasPrefix(err.Error(), "csi: ") {
				t.Fatalf("Validate after %s=%q: %v", k.Name, text, err)
			}
			return
		}
		c.Duration, c.Rate, c.Window = time.Second, min(c.Rate, 10), 0
		if c.Downstream.BaseLatency > time.Second || c.Downstream.PerItem > 10*time.Millisecond {
			return // a slow B makes a long run, not a crash
		}
		if _, err := Run(c); err != nil && strings.HasPrefix(err.Error(), "csi: ") {
			t.Fatalf("Run after %s=%q refused what Validate took: %v", k.Name, text, err)
		}
	})
}

// The zero Config is a valid one: every knob takes its default or says
// what zero means.
func TestZeroConfigRuns(t *testing.T) {
	res, err := Run(Config{Duration: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if res.Config.Upstream.Retries != 0 || res.Config.Downstream.Workers != 64 || res.Config.NetworkDelay.String() != "const(1ms)" {
		t.Errorf("zero config filled as %+v", res.Config)
	}
}

// A cancelled context stops the run with its error.
func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cfg, _ := PresetConfig("api")
	if _, err := RunContext(ctx, cfg); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want the context's error", err)
	}
}
