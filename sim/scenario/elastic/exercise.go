package elastic

import (
	"fmt"
	"math"
	"strings"
	"time"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/grade"
)

// The lesson's exercises ask a student to predict, run and explain; these
// functions check the answers over ExerciseSeeds seeds, so that no answer
// rests on one lucky run, and say what the runs showed.

// ExerciseSeeds are the seeds every check runs.
func ExerciseSeeds() []uint64 { return []uint64{1, 2, 3, 4, 5} }

// CooldownChoices are the cooldowns the oscillation exercise offers.
func CooldownChoices() []time.Duration {
	return []time.Duration{time.Minute, 3 * time.Minute, 5 * time.Minute, 6 * time.Minute, 7 * time.Minute}
}

// runSeeds runs the named preset with change applied on every exercise
// seed.
func runSeeds(preset string, change func(*Config)) ([]*Result, error) {
	cfg, err := PresetConfig(preset)
	if err != nil {
		return nil, err
	}
	change(&cfg)
	var out []*Result
	for _, seed := range ExerciseSeeds() {
		cfg.Seed = seed
		r, err := Run(cfg)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// CheckCalmCooldown checks a prediction of the shortest of
// CooldownChoices at which the oscillation preset's group (warm-up 5
// minutes, a reading a minute) never reverses, on every seed.
func CheckCalmCooldown(prediction time.Duration) scenario.Check {
	if prediction == 0 {
		return scenario.Checkf(false, "set prediction to one of %s, then run the cell", grade.Durations(CooldownChoices()))
	}
	calm := time.Duration(0)
	var rows []string
	for _, cd := range CooldownChoices() {
		rs, err := runSeeds("oscillation", func(c *Config) { c.Cooldown = cd })
		if err != nil {
			return scenario.Checkf(false, "%v", err)
		}
		var rev []string
		still := true
		for _, r := range rs {
			rev = append(rev, fmt.Sprint(r.Group.Reversals))
			still = still && r.Group.Reversals == 0
		}
		rows = append(rows, fmt.Sprintf("%v: [%s]", cd, strings.Join(rev, " ")))
		if still {
			calm = cd
			break
		}
	}
	evidence := fmt.Sprintf("reversals per seed %v with a cooldown of %s", ExerciseSeeds(), strings.Join(rows, ", "))
	if prediction != calm {
		return scenario.Checkf(false, "the group still reverses at %v on some seed, or already settles at a shorter cooldown; run the preset at each cooldown and count the reversals (%s)", prediction, evidence)
	}
	return scenario.Checkf(true, "from %v on, the scaler decides again only after its launch has warmed up (5m) and served through a whole reading (1m): it sees 3 instances 50%% busy and stays. %s", calm, evidence)
}

// ExplainSpike checks the answer to: in the spike preset the scaler
// launches instances within a minute of the spike's start, so why does
// the p99 soar?
//
//	a: the scaler reads the utilisation only once a minute, so it does not notice a two-minute spike
//	b: the instances launched for it serve only after their 5-minute warm-up, when the 2-minute spike is over; its queue drains on the old instances
//	c: the balancer sends the spike's requests to the instances still warming up, which cannot serve them
//
// The evidence is the spike preset over the seeds.
func ExplainSpike(choice string) scenario.Check {
	const key = "b"
	if c, wrong := grade.Letter(choice, key, "abc", "the instances billed and serving during the spike"); wrong {
		return c
	}
	rs, err := runSeeds("spike", func(*Config) {})
	if err != nil {
		return scenario.Checkf(false, "%v", err)
	}
	holds := true
	var rows []string
	for _, r := range rs {
		c := r.Config
		end := sim.FromDuration(c.Surge.End())
		billed := peakBefore(r.Group.Instances.Series(), end)
		serving := peakBefore(r.Group.Serving.Series(), end)
		_, worst, _ := r.SlowWindows()
		rows = append(rows, fmt.Sprintf("%.0f billed, %.0f serving, worst p99 %v", billed, serving, short(worst)))
		holds = holds && billed > float64(c.Min) && serving <= float64(c.Min) && worst > 10*c.SLO
	}
	evidence := fmt.Sprintf("by the spike's end, over %d seeds: [%s]: the scaler launched at once, but no launch served before the spike was over, and the balancer sends nothing to an instance warming up",
		len(rs), strings.Join(rows, "; "))
	if !holds {
		return scenario.Checkf(false, "the expected answer does not hold on every seed here: %s", evidence)
	}
	return scenario.Checkf(true, "%s", evidence)
}

// peakBefore is s's largest value in windows that start before end.
func peakBefore(s *metrics.Series, end sim.Time) float64 {
	most := 0.0
	for i, t := range s.T {
		if t < end {
			most = max(most, s.V[i])
		}
	}
	return most
}

// CheckDiurnalShare checks a prediction of what the diurnal preset's
// autoscaled group costs as a share of a fixed group sized for its noon
// (0 to 1), within 5 points of the mean over the seeds.
func CheckDiurnalShare(prediction float64) scenario.Check {
	if !(prediction > 0 && prediction <= 1) {
		return scenario.Checkf(false, "set prediction to a share between 0 and 1 (0.5 is half the fixed group's bill), then run the cell")
	}
	rs, err := runSeeds("diurnal", func(*Config) {})
	if err != nil {
		return scenario.Checkf(false, "%v", err)
	}
	sum := 0.0
	var shares []string
	for _, r := range rs {
		s := r.Dollars() / r.FixedDollars()
		sum += s
		shares = append(shares, metrics.Pct(s).String())
	}
	mean := sum / float64(len(rs))
	r := rs[0]
	evidence := fmt.Sprintf("over %d seeds the group cost [%s] of a fixed group of %d ($%.3f), %v on average", len(rs), strings.Join(shares, " "), r.PeakNeeded(), r.FixedDollars(), metrics.Pct(mean))
	if math.Abs(prediction-mean) > 0.05 {
		return scenario.Checkf(false, "%v is more than 5 points from what the runs cost; think of the average of a cosine day against its noon, then of the minimum and the warm-up", metrics.Pct(prediction))
	}
	return scenario.Checkf(true, "the group pays for about the load's average plus its headroom, never below its minimum of %d, against the noon's %d all day: %s", r.Config.Min, r.PeakNeeded(), evidence)
}
