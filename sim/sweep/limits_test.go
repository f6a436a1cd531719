package sweep_test

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/sweep"
)

func knob(name string, n int) sweep.Knob {
	k := sweep.Knob{Name: name}
	for i := 0; i < n; i++ {
		k.Values = append(k.Values, float64(i))
	}
	return k
}

// Every count is checked before it is multiplied; errors name the field,
// the value and the limit.
func TestSpecLimits(t *testing.T) {
	one := []sweep.Knob{knob("a", 2)}
	many := make([]sweep.Knob, 10)
	for i := range many {
		many[i] = knob(fmt.Sprint("k", i), 1000)
	}
	points := make([][]float64, sweep.MaxPoints+1)
	for i := range points {
		points[i] = []float64{float64(i)}
	}
	refused(t, tiny, []refusal{
		{sweep.Spec{Knobs: one, Reps: 1 << 62}, "sweep: Reps=4611686018427387904: must be 1..1000000 (MaxRuns)"},
		{sweep.Spec{Knobs: one, Reps: math.MaxInt}, "sweep: Reps=9223372036854775807: must be 1..1000000"},
		{sweep.Spec{Knobs: []sweep.Knob{knob("a", 1000), knob("b", 100)}, Reps: 20}, "sweep: Reps=20: 100000 points × 20 make 2000000 runs; the limit is 1000000 (MaxRuns)"},
		{sweep.Spec{Knobs: many}, "sweep: Knobs=[1000 × 1000 × 1000 × 1000 × 1000 × 1000 × 1000 × 1000 × 1000 × 1000 values]: make a grid of 1e+30 points; the limit is 100000 (MaxPoints)"},
		{sweep.Spec{Knobs: []sweep.Knob{knob("a", sweep.MaxPoints+1)}}, "sweep: Knobs[0].Values=[100001 values]: the limit is 100000 (MaxPoints)"},
		{sweep.Spec{Knobs: make([]sweep.Knob, 65)}, "sweep: Knobs=[65 knobs]: the limit is 64 (MaxKnobs)"},
		{sweep.Spec{Knobs: []sweep.Knob{{Name: "a"}}, Points: points}, "sweep: Points=[100001 points]: the limit is 100000 (MaxPoints)"},
		{sweep.Spec{Knobs: []sweep.Knob{{Name: "a"}}, Points: [][]float64{{1}, {2}, {1}}}, "sweep: Points[2]=[1]: is Points[0] again"},
		{sweep.Spec{Knobs: []sweep.Knob{{Name: "a"}}, Points: [][]float64{{math.Inf(1)}}}, "sweep: Points[0][0]=+Inf: must be finite"},
		{sweep.Spec{Knobs: one, Shard: sweep.Shard{I: 1, N: sweep.MaxRuns + 1}}, "sweep: Shard=1/1000001: want 1 <= I <= N <= 1000000"},
		{sweep.Spec{Knobs: one, Shard: sweep.Shard{I: -1, N: 3}}, "sweep: Shard=-1/3"},
		{sweep.Spec{Knobs: one, Name: "../../x"}, `sweep: Name="../../x": want letters, digits`},
		{sweep.Spec{Knobs: one, Name: "a b"}, `sweep: Name="a b"`},
		{sweep.Spec{Knobs: one, Name: ".hidden"}, `sweep: Name=".hidden"`},
		{sweep.Spec{Knobs: one, Name: "a..b"}, `sweep: Name="a..b": must not hold ".."`},
		{sweep.Spec{Knobs: []sweep.Knob{{Name: "a\x1b[2J", Values: []float64{1}}}}, `sweep: Knobs[0].Name="a\x1b[2J": a knob's name holds control characters`},
		{sweep.Spec{Knobs: []sweep.Knob{{Name: "a", Labels: []string{"x", ""}}}}, `sweep: Knobs[0].Labels[1]="": a label must not be empty`},
		{sweep.Spec{Knobs: []sweep.Knob{{Name: "a", Values: []float64{1, 2, 1}}}}, "sweep: Knobs[0].Values[2]=1: appears twice"},
	})
	ok := sweep.Spec{Name: "a-b_c.1", Knobs: []sweep.Knob{knob("a", 1000), knob("b", 100)}, Reps: 10}
	if err := ok.Validate(); err != nil {
		t.Errorf("a sweep at the limits: %v", err)
	}
}

// A run's report is checked as it is filed; the error names the run and
// the metric.
func TestRunChecksReports(t *testing.T) {
	spec := sweep.Spec{Name: "checks", Reps: 3, Workers: 2, Knobs: []sweep.Knob{{Name: "x", Values: []float64{1, 2}}}}
	cases := []struct {
		fn   sweep.Func
		want string
	}{
		{func(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
			return sweep.NewMetrics().Set("x", math.Inf(1)), nil
		}, `reports: metric "x"=+Inf: must be finite (NaN for no value)`},
		{func(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
			return sweep.NewMetrics().Set("goodput (%)", 100.5), nil
		}, `metric "goodput (%)"=100.5: a percentage`},
		{func(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
			return sweep.NewMetrics().Share("hit", true).Set("hit", 0.5), nil
		}, `metric "hit"=0.5: a share (Metrics.Share) must be 0 or 1`},
		{func(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
			if p.Get("x") == 1 {
				return sweep.NewMetrics().Set("a", 1).Set("b", 2), nil
			}
			return sweep.NewMetrics().Set("b", 2).Set("a", 1), nil
		}, `come in one order in run`}, // which run comes first varies
		{func(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
			if p.Get("x") == 1 {
				return sweep.NewMetrics().Share("a", true), nil
			}
			return sweep.NewMetrics().Set("a", 1), nil
		}, `metric "a" is`},
		{func(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
			m := sweep.NewMetrics()
			for i := 0; i <= sweep.MaxMetrics; i++ {
				m.Set(fmt.Sprint("m", i), 1)
			}
			return m, nil
		}, `metric "m256": more than 256 metric names (MaxMetrics)`},
		{func(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
			return sweep.NewMetrics().Set("bell\a", 1), nil
		}, `metric "bell\a": a name holds control characters`},
	}
	for _, c := range cases {
		_, err := sweep.Run(context.Background(), spec, c.fn)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "sweep checks: run at x=") {
			t.Errorf("got %v, want %q", err, c.want)
		}
	}
	// NaN is a run with no value: fine, and left out of the mean.
	res, err := sweep.Run(context.Background(), spec, func(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
		v := math.NaN()
		if seed%2 == 0 {
			v = 1
		}
		return sweep.NewMetrics().Set("v", v), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if st := res.Stat(0, "v"); st.N > 0 && st.Mean != 1 {
		t.Errorf("NaN counted: %+v", st)
	}
}

// Results that grow past the memory limit stop the sweep, whatever the
// number of workers; under it, nothing changes.
func TestMemoryLimit(t *testing.T) {
	defer sweep.SetLimits(8<<10, sweep.MaxFileBytes, 64<<20)()
	for _, workers := range []int{1, 4} {
		spec := tinySpec(sweep.Shard{})
		spec.Workers = workers
		_, err := sweep.Run(context.Background(), spec, tiny)
		if err == nil || !strings.Contains(err.Error(), "sweep tiny: stopped after") || !strings.Contains(err.Error(), "; the limit is 8.0 KiB (MaxMemory): use fewer points, runs or latency histograms") {
			t.Errorf("%d workers: %v", workers, err)
		}
	}
}

// held is the heap a sweep's result holds, measured after a collection.
func held(t testing.TB, spec sweep.Spec, fn sweep.Func) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res, err := sweep.Run(context.Background(), spec, fn)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(res)
	return float64(after.HeapAlloc) - float64(before.HeapAlloc)
}

// leanLatency is one latency histogram every lean run reports: Metrics
// copies it (packed), so runs may share it, and the test stays quick.
var leanLatency = func() *metrics.Latency {
	l := metrics.NewLatency("latency", sim.Second)
	for i := 0; i < 500; i++ {
		l.Record(0, sim.Time(i*i)*sim.Microsecond)
	}
	return l
}()

// lean reports what tiny does, quickly.
func lean(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
	return sweep.NewMetrics().Share("slow", seed%2 == 0).Set("goodput (%)", float64(seed%100)).
		Set("amplification", 1).Set("a", 2).Set("b", 3).Latency("latency", leanLatency), nil
}

// perRun is the heap held per run: the difference between sweeps of one
// point with reps and 2 × reps runs, so the point's histogram cancels.
func perRun(t testing.TB, reps int) float64 {
	spec := func(reps int) sweep.Spec {
		return sweep.Spec{Name: "held", Reps: reps, Workers: 2, Knobs: []sweep.Knob{{Name: "x", Values: []float64{1}}}}
	}
	return (held(t, spec(2*reps), lean) - held(t, spec(reps), lean)) / float64(reps)
}

// A sweep keeps no run's histogram: each is merged into its point's as
// the run finishes, so a run costs its numbers, not the 190 KB of a dense
// histogram.
func TestMemoryPerRun(t *testing.T) {
	per := perRun(t, 2000)
	t.Logf("%.0f bytes held per run (5 metrics and a latency histogram each)", per)
	if per > 400 {
		t.Errorf("%.0f bytes held per run", per)
	}
}

// BenchmarkSweepMemory reports the heap a result holds per run (five
// metrics and a latency histogram each) and per point of the retry storm
// (its metrics and its latency histogram, packed).
func BenchmarkSweepMemory(b *testing.B) {
	stormSpec := func(n int) sweep.Spec {
		k := sweep.Knob{Name: "spike"}
		for i := 0; i < n; i++ {
			k.Values = append(k.Values, float64(20+5*i))
		}
		return sweep.Spec{Name: "held", Seed: 1, Reps: 1, Knobs: []sweep.Knob{k, {Name: "trigger", Values: []float64{6}}}}
	}
	for i := 0; i < b.N; i++ {
		b.ReportMetric(perRun(b, 5000), "B-held/run")
		b.ReportMetric((held(b, stormSpec(16), storm)-held(b, stormSpec(8), storm))/8, "B-held/storm-point")
	}
}
