package scaling

import (
	"fmt"
	"math"
	"strings"

	"dsim/sim/scenario"
)

// The lesson's exercises ask a student to predict, run and explain; these
// functions check the answers over ExerciseSeeds seeds, so that no answer
// rests on one lucky run, and say what the runs showed.

// ExerciseSeeds are the seeds every check runs.
func ExerciseSeeds() []uint64 { return []uint64{1, 2, 3, 4, 5} }

// runs runs the named preset on every exercise seed.
func runs(preset string) ([]*Result, error) {
	cfg, err := PresetConfig(preset)
	if err != nil {
		return nil, err
	}
	var out []*Result
	for _, seed := range ExerciseSeeds() {
		cfg.Seed = seed
		res, err := Run(cfg)
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	return out, nil
}

// CheckFasterDisk checks a prediction of the throughput, in requests per
// second, of 60 users once the disk is four times faster (the faster-disk
// preset), within 5% of the mean over the seeds.
func CheckFasterDisk(prediction float64) scenario.Check {
	if !(prediction > 0) {
		return scenario.Checkf(false, "set prediction to a throughput in requests per second, then run the cell")
	}
	rs, err := runs("faster-disk")
	if err != nil {
		return scenario.Checkf(false, "%v", err)
	}
	var xs []string
	sum := 0.0
	for _, r := range rs {
		sum += r.Last().X
		xs = append(xs, fmt.Sprintf("%.2f", r.Last().X))
	}
	mean := sum / float64(len(rs))
	_, neck := rs[0].Knee()
	evidence := fmt.Sprintf("over %d seeds 60 users got [%s] requests/s, %.2f on average", len(rs), strings.Join(xs, " "), mean)
	if math.Abs(prediction/mean-1) > 0.05 {
		return scenario.Checkf(false, "%.2f/s is more than 5%% from what the runs gave; which station is busiest once the disk takes 10ms?", prediction)
	}
	return scenario.Checkf(true, "the %s, at 30ms a request, is now the bottleneck: throughput cannot pass 1/30ms = 33.3/s however fast the disk is; %s", neck, evidence)
}

// CheckSerialFraction checks a prediction of the serial fraction σ that
// Amdahl's law, fitted to the lock preset's throughput, finds: within 10%
// of the mean fit over the seeds.
func CheckSerialFraction(prediction float64) scenario.Check {
	if !(prediction > 0 && prediction < 1) {
		return scenario.Checkf(false, "set prediction to a share between 0 and 1, then run the cell")
	}
	rs, err := runs("lock")
	if err != nil {
		return scenario.Checkf(false, "%v", err)
	}
	var fits []string
	sum := 0.0
	for _, r := range rs {
		sum += r.Amdahl.Sigma
		fits = append(fits, fmt.Sprintf("%.3f", r.Amdahl.Sigma))
	}
	mean := sum / float64(len(rs))
	evidence := fmt.Sprintf("over %d seeds the fit gave σ = [%s], %.3f on average; the lock's share of the work is %.3f", len(rs), strings.Join(fits, " "), mean, rs[0].LockShare())
	if math.Abs(prediction/mean-1) > 0.10 {
		return scenario.Checkf(false, "σ = %.3f is more than 10%% from the fits; what share of a request's time is spent holding the lock?", prediction)
	}
	return scenario.Checkf(true, "the lock is the serial part: a request holds it for 20ms of its 100ms; %s", evidence)
}

// ExplainRetrograde checks the answer to: in the coherency preset, why
// does throughput fall as threads are added past about 8, where in the
// lock preset it levels off?
//
//	a: the threads' own work slows down as more of them run at once
//	b: every hold of the lock grows with the threads, and the lock, always busy, then serves fewer requests a second
//	c: requests time out and are retried, adding load
//
// The evidence is the coherency preset over the seeds: at the largest p
// the lock is always busy and the throughput is 1/(L + (p−1)·Coherency).
func ExplainRetrograde(choice string) scenario.Check {
	choice = strings.ToLower(strings.TrimSpace(choice))
	switch {
	case choice == "":
		return scenario.Checkf(false, "set choice to one of the letters a, b, c, then run the cell")
	case choice != "a" && choice != "b" && choice != "c":
		return scenario.Checkf(false, "%q is not one of the letters a, b, c", choice)
	case choice != "b":
		return scenario.Checkf(false, "the model bears %s out nowhere: a thread's own work is a draw from Work whatever p is, and nothing times out or retries; look at the lock's utilisation and at how long each hold lasts", choice)
	}
	rs, err := runs("coherency")
	if err != nil {
		return scenario.Checkf(false, "%v", err)
	}
	holds := true
	var rows []string
	for _, r := range rs {
		last := r.Last()
		hold := r.Config.Lock.Mean() + float64(last.N-1)*r.Config.Coherency.Seconds()
		holds = holds && last.Busy[0] > 0.99 && math.Abs(last.X*hold-1) < 0.05 && r.Verdict().Outcome == Retrograde
		rows = append(rows, fmt.Sprintf("%.1f/s (lock busy %.1f%%)", last.X, 100*last.Busy[0]))
	}
	c := rs[0].Config
	hold := c.Lock.Mean() + float64(c.Threads-1)*c.Coherency.Seconds()
	evidence := fmt.Sprintf("over %d seeds %d threads got [%s]: each hold lasts %.1fms (20ms + %d × %v), so the lock serves at most 1/%.1fms = %.1f/s",
		len(rs), c.Threads, strings.Join(rows, ", "), 1000*hold, c.Threads-1, c.Coherency, 1000*hold, 1/hold)
	if !holds {
		return scenario.Checkf(false, "the expected answer does not hold on every seed here: %s", evidence)
	}
	return scenario.Checkf(true, "%s; the USL's κ term is this cost, growing with p(p−1) in the deviation from linearity", evidence)
}
