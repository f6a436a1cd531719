package balance

import (
	"fmt"
	"math"
	"strings"
	"time"

	"dsim/sim/metrics"
	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/grade"
	"dsim/sim/service"
)

// The lesson's exercises ask a student to predict, run and explain; these
// functions check the answers over ExerciseSeeds seeds, so that no answer
// rests on one lucky run, and say what the runs showed.

// ExerciseSeeds are the seeds every check runs.
func ExerciseSeeds() []uint64 { return []uint64{1, 2, 3, 4, 5} }

// StaleAges are the ages of load information the stale-load exercise
// offers.
func StaleAges() []time.Duration {
	return []time.Duration{100 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second}
}

// p99s runs the named preset with change applied on every exercise seed
// and returns each run's p99 time in system.
func p99s(preset string, change func(*Config)) ([]time.Duration, error) {
	cfg, err := PresetConfig(preset)
	if err != nil {
		return nil, err
	}
	change(&cfg)
	var out []time.Duration
	for _, seed := range ExerciseSeeds() {
		cfg.Seed = seed
		res, err := Run(cfg)
		if err != nil {
			return nil, err
		}
		out = append(out, res.Latency.Quantile(0.99).Duration().Round(time.Millisecond))
	}
	return out, nil
}

// CheckStaleCrossover checks a prediction of the smallest of StaleAges at
// which random choice, which reads no load at all, gives a lower p99 than
// least-outstanding on every seed (the stale-load preset: 8 servers at
// 70% load).
func CheckStaleCrossover(prediction time.Duration) scenario.Check {
	if prediction == 0 {
		return scenario.Checkf(false, "set prediction to one of %s, then run the cell", grade.Durations(StaleAges()))
	}
	random, err := p99s("stale-load", func(c *Config) { c.Policy = service.Random })
	if err != nil {
		return scenario.Checkf(false, "%v", err)
	}
	var rows []string
	crossover := time.Duration(0)
	for _, age := range StaleAges() {
		least, err := p99s("stale-load", func(c *Config) { c.LoadAge = age })
		if err != nil {
			return scenario.Checkf(false, "%v", err)
		}
		beaten := true
		for i := range least {
			beaten = beaten && random[i] < least[i]
		}
		if beaten && crossover == 0 {
			crossover = age
		}
		rows = append(rows, fmt.Sprintf("%v old: %v", age, least))
	}
	evidence := fmt.Sprintf("p99 per seed %v with random choice %v; with least-outstanding on load %s", ExerciseSeeds(), random, strings.Join(rows, ", "))
	if prediction != crossover {
		return scenario.Checkf(false, "random does not first beat least-outstanding at %v on every seed; run the preset with Policy random, then with least-outstanding at each age, and compare (%d seeds each)", prediction, len(ExerciseSeeds()))
	}
	return scenario.Checkf(true, "from %v on, every request of an interval goes to the one server that looked idle at its start: that herd costs more than choosing blindly. %s", crossover, evidence)
}

// ExplainGrayFailure checks the answer to: when s1 runs ten times slower,
// why does round robin's p99 grow for as long as it is slow, while
// least-outstanding's barely moves?
//
//	a: round robin sends the slow server more requests than the others
//	b: the slow server's requests time out and are retried, which adds to its load
//	c: round robin keeps sending the slow server its even share, more than it can serve at a tenth of its speed
//
// The evidence is the gray-failure presets over the seeds.
func ExplainGrayFailure(choice string) scenario.Check {
	const key = "c"
	if c, wrong := grade.Letter(choice, key, "abc", "the calls each server took and at its queue"); wrong {
		return c
	}
	var rrShare, loShare []string
	holds := true
	for _, seed := range ExerciseSeeds() {
		for i, name := range []string{"gray-failure", "gray-failure-least"} {
			cfg, err := PresetConfig(name)
			if err != nil {
				return scenario.Checkf(false, "%v", err)
			}
			cfg.Seed = seed
			res, err := Run(cfg)
			if err != nil {
				return scenario.Checkf(false, "%v", err)
			}
			share, load := res.slowShare(), res.SlowLoad()
			text := fmt.Sprintf("%v (load %.2f)", metrics.Pct(share), load)
			if i == 0 {
				rrShare = append(rrShare, text)
				holds = holds && load > 1 && math.Abs(share-1/float64(cfg.Servers)) < 0.01 && res.Verdict().Outcome == Overloaded
			} else {
				loShare = append(loShare, text)
				holds = holds && res.Verdict().Outcome != Overloaded
			}
		}
	}
	evidence := fmt.Sprintf("over %d seeds the slow server took [%s] of the calls under round robin, an even share, which while slow was more than it could serve (its load above 1), and [%s] under least-outstanding, at most what it could serve; the clients never retry here",
		len(ExerciseSeeds()), strings.Join(rrShare, " "), strings.Join(loShare, " "))
	if !holds {
		return scenario.Checkf(false, "the expected answer does not hold on every seed here: %s", evidence)
	}
	return scenario.Checkf(true, "%s", evidence)
}

// CheckKeysMoved checks a prediction of the share of keys (0 to 1) that
// move when one of the 8 servers leaves a consistent-hash ring (the
// hash-leave preset), within 3 percentage points of the mean over the
// seeds.
func CheckKeysMoved(prediction float64) scenario.Check {
	if !(prediction > 0 && prediction <= 1) {
		return scenario.Checkf(false, "set prediction to a share between 0 and 1 (0.5 is half the keys), then run the cell")
	}
	cfg, err := PresetConfig("hash-leave")
	if err != nil {
		return scenario.Checkf(false, "%v", err)
	}
	var moved []string
	sum := 0.0
	for _, seed := range ExerciseSeeds() {
		cfg.Seed = seed
		res, err := Run(cfg)
		if err != nil {
			return scenario.Checkf(false, "%v", err)
		}
		m, _ := res.KeysMoved()
		sum += m
		moved = append(moved, metrics.Pct(m).String())
	}
	mean := sum / float64(len(ExerciseSeeds()))
	evidence := fmt.Sprintf("over %d seeds [%s] of the keys moved, %v on average; modulo hashing would move %v", len(ExerciseSeeds()), strings.Join(moved, " "), metrics.Pct(mean), metrics.Pct(ModuloMoved(cfg.Servers)))
	if math.Abs(prediction-mean) > 0.03 {
		return scenario.Checkf(false, "%v is more than 3 points from what the runs moved; think about which keys have to move at all", metrics.Pct(prediction))
	}
	return scenario.Checkf(true, "only the keys of the server that left move, about its share of the ring, 1/%d: %s", cfg.Servers, evidence)
}
