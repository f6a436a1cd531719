package detect

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Row is one detector in one set of conditions, over Seeds runs.
type Row struct {
	Conditions    string
	Detector      Detector
	Seeds         int
	Detections    int
	Missed        int
	MeanDetection time.Duration // over every detection of every seed
	MaxDetection  time.Duration
	FalsePerHour  float64 // false suspicions over watch-hours, every seed together
}

// Table is the trade-off: detection time against false suspicions, for
// each detector in each set of conditions, in the order given.
type Table struct {
	Rows []Row
}

// String writes the table with aligned columns, one row a line.
func (t Table) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-12s %-14s %12s %12s %7s %14s\n", "conditions", "detector", "mean detect", "max detect", "missed", "false/node-h")
	for _, r := range t.Rows {
		fmt.Fprintf(&b, "%-12s %-14s %12v %12v %7d %14.2f\n", r.Conditions, r.Detector, r.MeanDetection.Round(time.Millisecond),
			r.MaxDetection.Round(time.Millisecond), r.Missed, r.FalsePerHour)
	}
	return b.String()
}

// MaxSeeds bounds the seeds of a sweep.
const MaxSeeds = 10_000

// Sweep runs every set of conditions with seeds c.Seed+1 .. c.Seed+seeds,
// every detector of cfg on the same heartbeats, and adds up each
// detector's outcomes. A context ends it between runs. It costs seeds
// runs per set of conditions; a two-minute run of five nodes takes a few
// milliseconds.
func Sweep(ctx context.Context, cfg Config, conds []Conditions, seeds int) (Table, error) {
	if seeds < 1 || seeds > MaxSeeds {
		return Table{}, fmt.Errorf("detect: seeds=%d: must be in [1, %d]", seeds, MaxSeeds)
	}
	if err := cfg.Validate(); err != nil {
		return Table{}, err
	}
	cfg = cfg.withDefaults()
	var t Table
	for ci, c := range conds {
		if err := c.Validate(); err != nil {
			return Table{}, fmt.Errorf("detect: conditions[%d] %q: %w", ci, c.Name, err)
		}
		rows := make([]Row, len(cfg.Detectors))
		sums := make([]time.Duration, len(rows))
		falses, hours := make([]float64, len(rows)), make([]float64, len(rows))
		for s := 1; s <= seeds; s++ {
			if err := ctx.Err(); err != nil {
				return Table{}, err
			}
			run := c
			run.Seed = c.Seed + uint64(s)
			out, err := Run(ctx, cfg, run)
			if err != nil {
				return Table{}, err
			}
			for d, o := range out {
				r := &rows[d]
				r.Detections += o.Detections
				r.Missed += o.Missed
				r.MaxDetection = max(r.MaxDetection, o.MaxDetection)
				sums[d] += o.MeanDetection * time.Duration(o.Detections)
				falses[d] += float64(o.FalseSuspicions)
				hours[d] += o.WatchHours
			}
		}
		for d := range rows {
			r := &rows[d]
			r.Conditions, r.Detector, r.Seeds = c.Name, cfg.Detectors[d], seeds
			if r.Detections > 0 {
				r.MeanDetection = sums[d] / time.Duration(r.Detections)
			}
			r.FalsePerHour = falses[d] / hours[d]
		}
		t.Rows = append(t.Rows, rows...)
	}
	return t, nil
}

// Ladder returns conditions that grow worse one way each, from a calm
// network: latency variance (the same 5ms mean, a CV of 1 then 3), loss
// (5% then 20%), and GC-like pauses (200ms every 20s then every 5s per
// node).
func Ladder() []Conditions {
	return []Conditions{
		{Name: "calm"},
		{Name: "jitter cv1", Latency: "lognormal(5ms, 1)"},
		{Name: "jitter cv3", Latency: "lognormal(5ms, 3)"},
		{Name: "loss 5%", Loss: 0.05},
		{Name: "loss 20%", Loss: 0.2},
		{Name: "pause/20s", PauseEvery: 20 * time.Second},
		{Name: "pause/5s", PauseEvery: 5 * time.Second},
	}
}

// Spectrum returns detectors from eager to patient, for an Interval:
// fixed timeouts of 2, 3, 5 and 10 intervals, phi thresholds 1, 2, 4, 8,
// 12 and 16.
func Spectrum(interval time.Duration) []Detector {
	var ds []Detector
	for _, k := range []time.Duration{2, 3, 5, 10} {
		ds = append(ds, Detector{Kind: Fixed, Timeout: k * interval})
	}
	for _, th := range []float64{1, 2, 4, 8, 12, 16} {
		ds = append(ds, Detector{Kind: Phi, Threshold: th})
	}
	return ds
}
