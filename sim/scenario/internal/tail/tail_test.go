package tail

import (
	"math/rand/v2"
	"testing"
	"time"
)

// The chance threshold does what it says: a backlog that only wanders (a
// random walk with no drift) reads as draining about 2.5% of the time.
func TestDriftFalseAlarms(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const walks = 4000
	alarms := 0
	steps := make([]float64, 80)
	for k := 0; k < walks; k++ {
		for i := range steps {
			steps[i] = 10 * rng.NormFloat64()
		}
		m, se := MeanSE(steps)
		tr := Trend{From: 0, To: 80 * time.Second, Drift: m, DriftSE: se}
		if tr.Draining() {
			alarms++
		}
	}
	share := float64(alarms) / walks
	t.Logf("false alarms: %.1f%%", 100*share)
	if share < 0.01 || share > 0.04 {
		t.Errorf("a driftless backlog read as draining in %.1f%% of walks, want about 2.5%%", 100*share)
	}
}

// A backlog falling steadily drains, and its remaining time is the
// backlog over the drift; one growing is growing; a tail too short is
// refused.
func TestMeasure(t *testing.T) {
	const w = time.Second
	level := make([]float64, 20)
	in, out := make([]float64, 20), make([]float64, 20)
	for i := range level {
		level[i] = 1000 - 10*float64(i) + float64(i%2) // -10/s, with a wobble
		in[i], out[i] = 50, 60+float64(i%3)
	}
	first, last, ok := Windows(5*time.Second, 20*time.Second, w, len(level))
	if !ok || first != 5 || last != 20 {
		t.Fatalf("Windows: %d, %d, %v", first, last, ok)
	}
	tr := Measure(first, last, w, func(i int) float64 { return level[i+1] - level[i] }, in, out)
	if !tr.Draining() || tr.Growing() || tr.Overfed() {
		t.Fatalf("a falling backlog: %+v", tr)
	}
	if r := tr.Remaining(800); r < 75*time.Second || r > 85*time.Second {
		t.Errorf("800 left at about 10/s: %v", r)
	}
	if _, _, ok := Windows(16*time.Second, 20*time.Second, w); ok {
		t.Error("four windows were taken for a tail")
	}
	if r := (Trend{Drift: -1e-30}).Remaining(1 << 40); r != MaxRemaining {
		t.Errorf("a backlog that barely falls: %v, want MaxRemaining", r)
	}
}
