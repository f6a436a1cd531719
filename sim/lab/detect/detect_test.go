package detect

import (
	"context"
	"testing"
	"time"
)

func TestQuick(t *testing.T) {
	for _, c := range []Conditions{{Seed: 1}, {Seed: 1, Latency: "lognormal(20ms, 1)"}, {Seed: 1, Loss: 0.1}, {Seed: 1, PauseEvery: 10 * time.Second}} {
		out, err := Run(context.Background(), Config{Detectors: []Detector{{Kind: Fixed, Timeout: 300 * time.Millisecond}, {Kind: Phi, Threshold: 1}, {Kind: Phi, Threshold: 4}, {Kind: Phi, Threshold: 8}, {Kind: Phi, Threshold: 16}}}, c)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range out {
			t.Logf("%+v", o)
		}
	}
}
