package sweep_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"dsim/sim/scenario/metastable"
	"dsim/sim/sweep"
	"dsim/sim/viz"
)

// storm runs the retry-storm model at a point: the spike's size and
// length are the knobs.
func storm(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
	cfg := metastable.Default()
	cfg.Seed = seed
	cfg.Pattern = metastable.Spike
	cfg.SpikeRate = p.Get("spike")
	cfg.Trigger.Duration = p.Duration("trigger")
	cfg.Duration = time.Duration(p.Get("minutes")*60) * time.Second
	if cfg.Duration == 0 || p.Get("minutes") != p.Get("minutes") {
		cfg.Duration = 90 * time.Second
	}
	res, err := metastable.Run(cfg)
	if err != nil {
		return nil, err
	}
	return sweep.NewMetrics().
		Share("metastable", res.Verdict().Outcome == metastable.Metastable).
		Set("goodput", float64(res.Succeeded)/float64(res.Requests)).
		Set("amplification", res.Amplification()).
		Latency("latency", res.Latency), nil
}

func spec(workers int) sweep.Spec {
	return sweep.Spec{Name: "storm", Seed: 7, Reps: 3, Workers: workers, Knobs: []sweep.Knob{
		{Name: "spike", Values: []float64{20, 40}, Unit: "req/s"},
		{Name: "trigger", Values: []float64{2, 6, 10}, Unit: "s"},
	}}
}

func run(t *testing.T, s sweep.Spec) *sweep.Result {
	t.Helper()
	res, err := sweep.Run(context.Background(), s, storm)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestWorkersDoNotChangeTheResult(t *testing.T) {
	one := run(t, spec(1))
	all := run(t, spec(0))
	four := run(t, spec(4))
	for _, r := range []*sweep.Result{all, four} {
		if r.Table().Text() != one.Table().Text() || r.LatencyTable("latency").Text() != one.LatencyTable("latency").Text() {
			t.Fatalf("1 worker:\n%v\nmore:\n%v", one.Table(), r.Table())
		}
		if r.Table().CSV() != one.Table().CSV() || r.Table().JSON() != one.Table().JSON() {
			t.Fatal("exports differ")
		}
	}
	if one.Runs() != 18 || !one.Complete() || len(one.Metrics) != 3 {
		t.Errorf("%d runs, metrics %v", one.Runs(), one.Metrics)
	}
}

func TestShardsMergeIntoTheSingleRun(t *testing.T) {
	whole := run(t, spec(2))
	dir := t.TempDir()
	var parts []*sweep.Result
	for i := 1; i <= 3; i++ {
		s := spec(2)
		s.Shard = sweep.Shard{I: i, N: 3}
		part := run(t, s)
		if part.Complete() || part.Runs() != 6 {
			t.Fatalf("shard %d holds %d runs", i, part.Runs())
		}
		path := filepath.Join(dir, sweep.ShardFileName("storm", s.Shard))
		if err := part.WriteFile(path); err != nil {
			t.Fatal(err)
		}
		back, err := sweep.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, back)
	}
	merged, err := sweep.Merge(parts[2], parts[0], parts[1])
	if err != nil {
		t.Fatal(err)
	}
	if merged.Table().Text() != whole.Table().Text() || merged.LatencyTable("latency").Text() != whole.LatencyTable("latency").Text() {
		t.Fatalf("merged:\n%v\nsingle:\n%v", merged.Table(), whole.Table())
	}
	if _, err := sweep.Merge(parts[0], parts[0]); err == nil || !strings.Contains(err.Error(), "part 1 and part 2 are both shard 1/3") {
		t.Errorf("merging a shard twice: %v", err)
	}
	other := spec(1)
	other.Seed = 8
	other.Shard = sweep.Shard{I: 1, N: 3}
	if _, err := sweep.Merge(parts[0], run(t, other)); err == nil || !strings.Contains(err.Error(), "not from the same sweep") {
		t.Errorf("merging another sweep: %v", err)
	}
}

func TestConfidenceInterval(t *testing.T) {
	s := sweep.Spec{Knobs: []sweep.Knob{{Name: "x", Values: []float64{1}}}, Reps: 5, Workers: 1}
	vals := map[uint64]float64{}
	for rep := 0; rep < 5; rep++ {
		vals[sweep.RunSeed(0, []float64{1}, rep)] = float64(rep + 1)
	}
	res, err := sweep.Run(context.Background(), s, func(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
		return sweep.NewMetrics().Set("v", vals[seed]), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	st := res.Stat(0, "v")
	// 1..5: mean 3, sd sqrt(2.5), t(0.975, 4) = 2.776445.
	want := 2.776445105 * math.Sqrt(2.5) / math.Sqrt(5)
	if st.N != 5 || st.Mean != 3 || math.Abs(st.HalfWidth()-want) > 1e-6 {
		t.Errorf("%+v, half-width %v, want %v", st, st.HalfWidth(), want)
	}
}

// A percentage's interval is Student's t cut to [0, 100]: 0% in four runs
// and 100% in one has a mean of 20% and a t interval from -35.5% to
// 75.5%; no mean of percentages lies below 0, so the interval starts
// there. Bands and the table (which gives the ends, as for a share) agree;
// a plain number keeps its whole interval.
func TestPercentIntervalStaysWithin0And100(t *testing.T) {
	s := sweep.Spec{Knobs: []sweep.Knob{{Name: "x", Values: []float64{1}}}, Reps: 5, Workers: 1}
	first := sweep.RunSeed(0, []float64{1}, 0)
	res, err := sweep.Run(context.Background(), s, func(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
		v := 0.0
		if seed == first {
			v = 100
		}
		return sweep.NewMetrics().Set("wasted (%)", v).Set("wasted", v), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	half := 2.776445105 * math.Sqrt(2000) / math.Sqrt(5) // sd of {100,0,0,0,0} is √2000
	if st := res.Stat(0, "wasted"); math.Abs(st.Lower-(20-half)) > 1e-6 || st.Lower > -35 {
		t.Fatalf("plain number: %+v, want the t interval 20 ± %.2f", st, half)
	}
	st := res.Stat(0, "wasted (%)")
	if st.Mean != 20 || st.Lower != 0 || math.Abs(st.Upper-(20+half)) > 1e-6 {
		t.Fatalf("percentage: %+v, want mean 20 in [0, %.4f]", st, 20+half)
	}
	bands, _, err := res.Bands("wasted (%)", "x", "")
	if err != nil {
		t.Fatal(err)
	}
	if b := bands[0]; b.Lower[0] != 0 || b.Upper[0] != st.Upper {
		t.Errorf("band from %v to %v, want %v to %v", b.Lower[0], b.Upper[0], st.Lower, st.Upper)
	}
	if csv := res.Table().CSV(); !strings.Contains(csv, "wasted (%),95% from,to,wasted,± 95%") {
		t.Errorf("table columns: %s", csv)
	}
}

// A share's interval is Wilson's: it stays within [0, 1], and is not
// zero-width when every run agrees. The values are the textbook ones
// (Brown, Cai and DasGupta 2001) for 0, 2 and 5 of 5.
func TestShareInterval(t *testing.T) {
	s := sweep.Spec{Knobs: []sweep.Knob{{Name: "ones", Values: []float64{0, 2, 5}}}, Reps: 5, Workers: 1}
	reps := map[uint64]int{}
	for _, ones := range s.Knobs[0].Values {
		for rep := 0; rep < 5; rep++ {
			reps[sweep.RunSeed(0, []float64{ones}, rep)] = rep
		}
	}
	res, err := sweep.Run(context.Background(), s, func(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
		return sweep.NewMetrics().Share("hit", reps[seed] < p.Int("ones")), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range [][3]float64{{0, 0, 0.43449}, {0.4, 0.11762, 0.76928}, {1, 0.56551, 1}} {
		st := res.Stat(i, "hit")
		if st.Mean != want[0] || math.Abs(st.Lower-want[1]) > 1e-5 || math.Abs(st.Upper-want[2]) > 1e-5 {
			t.Errorf("%v of 5: %+v, want mean %v in [%v, %v]", i, st, want[0], want[1], want[2])
		}
	}
	var buf bytes.Buffer
	if err := res.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := sweep.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if back.Stat(1, "hit") != res.Stat(1, "hit") {
		t.Errorf("read back: %+v, want %+v", back.Stat(1, "hit"), res.Stat(1, "hit"))
	}
}

func TestGridAndPoints(t *testing.T) {
	s := sweep.Spec{Workers: 1, Reps: 1, Knobs: []sweep.Knob{{Name: "a", Values: []float64{1, 2}}, {Name: "mode", Labels: []string{"fifo", "lifo"}}}}
	res, err := sweep.Run(context.Background(), s, func(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
		return sweep.NewMetrics().Set("a", p.Get("a")), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	for _, p := range res.Points {
		seen = append(seen, p.String())
	}
	if strings.Join(seen, "; ") != "a=1, mode=fifo; a=1, mode=lifo; a=2, mode=fifo; a=2, mode=lifo" {
		t.Errorf("grid order: %v", seen)
	}
	if len(res.Points) != 4 {
		t.Errorf("%d points", len(res.Points))
	}
	s.Points = [][]float64{{5, 1}, {6, 0}}
	res, err = sweep.Run(context.Background(), s, func(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
		return sweep.NewMetrics().Set("a", p.Get("a")), nil
	})
	if err != nil || len(res.Points) != 2 || res.Points[1].Label("mode") != "fifo" {
		t.Errorf("explicit points: %v %v", err, res.Points)
	}
}

func TestErrorsNameThePointAndSeed(t *testing.T) {
	s := sweep.Spec{Name: "bad", Workers: 2, Reps: 2, Knobs: []sweep.Knob{{Name: "x", Values: []float64{1, 2, 3}}}}
	_, err := sweep.Run(context.Background(), s, func(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
		if p.Get("x") == 2 {
			return nil, errors.New("boom")
		}
		return sweep.NewMetrics(), nil
	})
	if err == nil || !strings.Contains(err.Error(), "run at x=2, rep 0 (seed ") || !strings.Contains(err.Error(), "boom") {
		t.Errorf("error: %v", err)
	}
	_, err = sweep.Run(context.Background(), s, func(p sweep.Point, seed uint64) (*sweep.Metrics, error) { panic("oops") })
	if err == nil || !strings.Contains(err.Error(), "panic: oops") {
		t.Errorf("panic: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := sweep.Run(ctx, spec(1), storm); err == nil || !strings.Contains(err.Error(), "stopped after") {
		t.Errorf("cancelled: %v", err)
	}
}

// refusal is a spec that Run refuses, and what its error says.
type refusal struct {
	s    sweep.Spec
	want string
}

// refused checks that Run refuses each spec before running fn, naming
// what is wrong.
func refused(t *testing.T, fn sweep.Func, cases []refusal) {
	t.Helper()
	for _, c := range cases {
		_, err := sweep.Run(context.Background(), c.s, fn)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want %q", err, c.want)
		}
	}
}

func TestValidation(t *testing.T) {
	refused(t, storm, []refusal{
		{sweep.Spec{}, "sweep: Knobs=[]"},
		{sweep.Spec{Knobs: []sweep.Knob{{Values: []float64{1}}}}, "sweep: Knobs[0].Name"},
		{sweep.Spec{Knobs: []sweep.Knob{{Name: "a", Values: []float64{1}}, {Name: "a", Values: []float64{2}}}}, `sweep: Knobs[1].Name="a": appears twice`},
		{sweep.Spec{Knobs: []sweep.Knob{{Name: "a"}}}, "sweep: Knobs[0].Values=[]"},
		{sweep.Spec{Knobs: []sweep.Knob{{Name: "a", Values: []float64{math.NaN()}}}}, "sweep: Knobs[0].Values[0]=NaN"},
		{sweep.Spec{Knobs: []sweep.Knob{{Name: "a", Values: []float64{1}}}, Reps: -1}, "sweep: Reps=-1"},
		{sweep.Spec{Knobs: []sweep.Knob{{Name: "a", Values: []float64{1}}}, Workers: -1}, "sweep: Workers=-1"},
		{sweep.Spec{Knobs: []sweep.Knob{{Name: "a", Values: []float64{1}}}, Shard: sweep.Shard{I: 4, N: 3}}, "sweep: Shard=4/3"},
		{sweep.Spec{Knobs: []sweep.Knob{{Name: "a"}}, Points: [][]float64{{1, 2}}}, "sweep: Points[0]=[1 2]: has 2 values for 1 knobs"},
	})
	for _, s := range []string{"0/3", "4/3", "1-3", "x", "1/0", "-1/3", "1/1000001", "9999999999999999999999/1"} {
		if _, err := sweep.ParseShard(s); err == nil {
			t.Errorf("ParseShard(%q) accepted", s)
		}
	}
	if sh, err := sweep.ParseShard("2/5"); err != nil || sh != (sweep.Shard{I: 2, N: 5}) {
		t.Errorf("ParseShard(2/5) = %v, %v", sh, err)
	}
}

func TestFigures(t *testing.T) {
	res := run(t, spec(2))
	h, err := viz.SweepHeatmap(res, "metastable", "trigger", "spike")
	if err != nil {
		t.Fatal(err)
	}
	l, err := viz.SweepLines(res, "goodput", "trigger", "spike")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []interface{ SVG() ([]byte, error) }{h, l} {
		if _, err := f.SVG(); err != nil {
			t.Error(err)
		}
	}
	if _, err := viz.SweepHeatmap(res, "metastable", "nope", "spike"); err == nil {
		t.Error("an unknown knob was accepted")
	}
	if _, err := viz.SweepHeatmap(res, "metastabel", "trigger", "spike"); err == nil || !strings.Contains(err.Error(), `no metric "metastabel"`) {
		t.Errorf("an unknown metric: %v", err)
	}
	// The pivot holds the heatmap's numbers: the mean over a cell's runs.
	pv, err := res.Pivot("metastable", "trigger", "spike")
	if err != nil {
		t.Fatal(err)
	}
	if got := len(pv.Rows); got != 2 || len(pv.Columns) != 4 || pv.Columns[1] != "2 s" {
		t.Fatalf("pivot %d rows, columns %q", got, pv.Columns)
	}
	for _, p := range res.Points {
		row := slices.Index([]float64{20, 40}, p.Get("spike"))
		col := 1 + slices.Index([]float64{2, 6, 10}, p.Get("trigger"))
		if got, want := pv.Rows[row][col].(float64), res.Stat(p.Index, "metastable").Mean; got != want {
			t.Errorf("%v: pivot %v, stat %v", p, got, want)
		}
	}
}

// A compiled run function runs on several workers at once.
func TestCompiledFunctionsRunInParallel(t *testing.T) {
	var inFlight, most atomic.Int64
	s := sweep.Spec{Workers: 4, Reps: 8, Knobs: []sweep.Knob{{Name: "x", Values: []float64{1}}}}
	_, err := sweep.Run(context.Background(), s, func(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
		n := inFlight.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
		inFlight.Add(-1)
		return sweep.NewMetrics(), nil
	})
	if err != nil || most.Load() < 2 {
		t.Errorf("at most %d runs at once (%v)", most.Load(), err)
	}
}
