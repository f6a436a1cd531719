package detect

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

var ctx = context.Background()

// A crashed node is suspected by every live node, and no later than the
// detector's parameters allow: with latency in [4ms, 6ms] the last
// heartbeat arrives at most 6ms after the crash, the gaps lie within 2ms
// of the interval, so phi's deadline is at most Interval+2ms plus
// Deviations deviations of at most max(MinStdDev, 2ms).
func TestCrashDetectedWithinBound(t *testing.T) {
	cfg := Config{Detectors: []Detector{{Kind: Fixed, Timeout: 300 * time.Millisecond}, {Kind: Fixed, Timeout: time.Second},
		{Kind: Phi, Threshold: 1}, {Kind: Phi, Threshold: 8}, {Kind: Phi, Threshold: 16}}}
	full := cfg.withDefaults()
	const maxLatency = 6 * time.Millisecond
	for seed := uint64(1); seed <= 10; seed++ {
		out, err := Run(ctx, cfg, Conditions{Latency: "uniform(4ms, 6ms)", Seed: seed, Duration: 30 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range out {
			var bound, least time.Duration
			if o.Detector.Kind == Fixed {
				bound, least = o.Detector.Timeout+maxLatency, o.Detector.Timeout-full.Interval
			} else {
				std := max(full.MinStdDev, 2*time.Millisecond)
				bound = maxLatency + full.Interval + 2*time.Millisecond + time.Duration(Deviations(o.Detector.Threshold)*float64(std))
			}
			if o.Missed != 0 || o.Detections != 4 {
				t.Errorf("seed %d %v: %d of 4 live nodes suspected the crashed one, %d missed", seed, o.Detector, o.Detections, o.Missed)
			}
			if o.MaxDetection > bound || o.MeanDetection < least {
				t.Errorf("seed %d %v: detection mean %v max %v, want in [%v, %v]", seed, o.Detector, o.MeanDetection, o.MaxDetection, least, bound)
			}
		}
	}
}

// On a calm network, no detector of the spectrum suspects a live node.
func TestNoFalseSuspicionWhenCalm(t *testing.T) {
	tab, err := Sweep(ctx, Config{Detectors: Spectrum(DefaultInterval)}, []Conditions{{Name: "calm"}}, 5)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range tab.Rows {
		if r.FalsePerHour != 0 || r.Missed != 0 {
			t.Errorf("%v: %.2f false suspicions per node-hour, %d missed; want none", r.Detector, r.FalsePerHour, r.Missed)
		}
	}
}

// Raising phi's threshold lowers the false suspicions and raises the
// detection time, in every kind of trouble, averaged over seeds.
func TestPhiThresholdTradeoff(t *testing.T) {
	thresholds := []float64{1, 2, 4, 8, 16}
	var ds []Detector
	for _, th := range thresholds {
		ds = append(ds, Detector{Kind: Phi, Threshold: th})
	}
	conds := []Conditions{{Name: "jitter", Latency: "lognormal(5ms, 2)"}, {Name: "loss", Loss: 0.1}, {Name: "pauses", PauseEvery: 5 * time.Second}}
	tab, err := Sweep(ctx, Config{Detectors: ds}, conds, 4)
	if err != nil {
		t.Fatal(err)
	}
	for c := range conds {
		rows := tab.Rows[c*len(ds) : (c+1)*len(ds)]
		for i := 1; i < len(rows); i++ {
			prev, r := rows[i-1], rows[i]
			if !(r.FalsePerHour < prev.FalsePerHour) || !(r.MeanDetection > prev.MeanDetection) {
				t.Errorf("%s: %v gives %.1f false/h and detects in %v; %v gives %.1f and %v: want fewer false suspicions and a slower detection",
					r.Conditions, prev.Detector, prev.FalsePerHour, prev.MeanDetection, r.Detector, r.FalsePerHour, r.MeanDetection)
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	c := Conditions{Latency: "lognormal(5ms, 1)", Loss: 0.05, PauseEvery: 5 * time.Second, Seed: 7, Duration: 30 * time.Second}
	cfg := Config{Detectors: Spectrum(DefaultInterval)}
	a, err := Run(ctx, cfg, c)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(ctx, cfg, c)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("same seed, different outcomes:\n%+v\n%+v", a, b)
	}
	c.Seed++
	d, err := Run(ctx, cfg, c)
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(a, d) {
		t.Fatal("seeds 7 and 8 gave the same outcomes")
	}
}

func TestDeviations(t *testing.T) {
	if z := Deviations(1); math.Abs(z-1.2816) > 1e-3 {
		t.Errorf("Deviations(1) = %v, want 1.2816 (the normal 90%% quantile)", z)
	}
	for _, th := range []float64{0.5, 1, 8, 16, 50, MaxThreshold} {
		z := Deviations(th)
		got := PhiOf(time.Second+time.Duration(z*float64(100*time.Millisecond)), time.Second, 100*time.Millisecond)
		if math.Abs(got-th) > 1e-3*th {
			t.Errorf("phi at Deviations(%v)=%v deviations is %v", th, z, got)
		}
	}
}

func TestBadInput(t *testing.T) {
	cases := []struct {
		cfg  Config
		c    Conditions
		want string
	}{
		{Config{Interval: -time.Second}, Conditions{}, "Interval=-1s"},
		{Config{Window: 1}, Conditions{}, "Window=1"},
		{Config{Detectors: []Detector{}}, Conditions{}, "Detectors has 0"},
		{Config{Detectors: []Detector{{Kind: "psychic"}}}, Conditions{}, `Detectors[0].Kind="psychic"`},
		{Config{Detectors: []Detector{{Kind: Phi, Threshold: math.NaN()}}}, Conditions{}, "Threshold=NaN"},
		{Config{Detectors: []Detector{{Kind: Phi, Threshold: 1000}}}, Conditions{}, "Threshold=1000"},
		{Config{Detectors: []Detector{{Kind: Fixed}}}, Conditions{}, "Timeout=0s"},
		{Config{}, Conditions{Nodes: 1}, "Nodes=1"},
		{Config{}, Conditions{Loss: 1}, "Loss=1"},
		{Config{}, Conditions{Latency: "fast"}, `Latency="fast"`},
		{Config{}, Conditions{PauseEvery: time.Millisecond}, "PauseEvery=1ms"},
		{Config{}, Conditions{Duration: time.Second}, "Duration=1s"},
	}
	for _, tc := range cases {
		_, err := Run(ctx, tc.cfg, tc.c)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "detect: ") {
			t.Errorf("Run(%+v, %+v) = %v, want an error naming %s", tc.cfg, tc.c, err, tc.want)
		}
	}
	if _, err := Sweep(ctx, Config{}, Ladder(), 0); err == nil || !strings.Contains(err.Error(), "seeds=0") {
		t.Errorf("Sweep with 0 seeds: %v", err)
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Sweep(done, Config{}, Ladder(), 3); err == nil {
		t.Error("Sweep with a cancelled context returned no error")
	}
}
