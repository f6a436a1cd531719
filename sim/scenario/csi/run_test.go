package csi

import (
	"context"
	"errors"
	"testing"
	"time"
)

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
