package queueing

import (
	"fmt"
	"testing"
	"time"
)

// The spike preset doubles the load of 5 servers (ρ 0.6 to 1.2) for two
// minutes: arrivals outrun the servers by 12 - 10 = 2 a second, so about
// 240 requests queue by the spike's end, and the servers then gain
// 10 - 6 = 4 a second on them: a minute to drain. Lesson 01 prints this
// arithmetic beside the runs; every seed agrees with it to a window or so.
func TestSpikeBacklogPeaksAtTheEndAndDrainsInAMinute(t *testing.T) {
	cfg, err := PresetConfig("spike")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Servers != 5 || cfg.ArrivalRate != 6 || cfg.Multiplier != 2 || cfg.ServiceTime.Mean() != 0.5 || cfg.Dependencies != 0 || cfg.Spike.Duration != 2*time.Minute {
		t.Fatalf("the spike preset is not the one lesson 01 describes: %+v", cfg)
	}
	end := cfg.Spike.End()
	for seed := uint64(1); seed <= 8; seed++ {
		cfg.Seed = seed
		r, err := Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		b := r.Backlog()
		if b.PeakAt < end-15*time.Second || b.PeakAt > end+5*time.Second {
			t.Errorf("seed %d: %v, want the peak within 15 s before the spike's end at %v", seed, b, end)
		}
		if b.Peak < 150 || b.Peak > 400 {
			t.Errorf("seed %d: %v, want about 240", seed, b)
		}
		if drain := b.DrainedAt - end; drain < 30*time.Second || drain > 100*time.Second {
			t.Errorf("seed %d: %v, want drained about a minute after %v", seed, b, end)
		}
		if r.Busy.Max() > float64(cfg.Servers) || r.Queue.Max() != b.Peak {
			t.Errorf("seed %d: busy max %v, queue max %v, backlog %v", seed, r.Busy.Max(), r.Queue.Max(), b)
		}
	}
}

// A run whose queue never drains says so.
func TestBacklogNotDrained(t *testing.T) {
	cfg := theoryRun(1, 3, "exp(500ms)") // ρ = 1.5
	cfg.Duration = time.Minute
	r, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if b := r.Backlog(); b.DrainedAt != 0 || b.Peak < 10 {
		t.Errorf("%v", b)
	} else if want := fmt.Sprintf("the queue peaked at %.0f requests at %v and had not drained by the end", b.Peak, b.PeakAt.Round(time.Second)); b.String() != want {
		t.Errorf("%q, want %q", b, want)
	}
}
