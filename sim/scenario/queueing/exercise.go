package queueing

import (
	"fmt"
	"math"
	"strings"
	"time"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/grade"
)

// The exercises of the course's first two lessons (notebooks 00 and 01).
// Each checker runs the model under several seeds, 1, 2, 3, ..., so that
// an answer right by one seed's luck is not called right, and explains its
// verdict with the runs' own numbers.

// exerciseSeeds is how many seeds a checker runs, unless it says otherwise.
const exerciseSeeds = 8

// runSeeds runs cfg under seeds 1..n.
func runSeeds(cfg Config, n int) ([]*Result, error) {
	out := make([]*Result, n)
	for i := range out {
		cfg.Seed = uint64(i + 1)
		r, err := Run(cfg)
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

// couldNotRun is the check of an exercise whose runs failed: a bug, since
// the checkers' configurations are fixed.
func couldNotRun(err error) scenario.Check {
	return scenario.Checkf(false, "the check could not run: %v", err)
}

// meanCI is the mean of xs, the half-width of its 95% confidence interval
// (Student's t) and the standard deviation of the xs; len(xs) >= 2.
func meanCI(xs []float64) (mean, half, sd float64) {
	mean, sd = stat.MeanStdDev(xs, nil)
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(xs) - 1)}.Quantile(0.975)
	return mean, t * sd / math.Sqrt(float64(len(xs))), sd
}

// CheckHealthyServers checks the exercise of lesson 00: the fewest servers
// for which the default load (Default) is Healthy under every one of
// eight seeds. The answer is right when it is Healthy under all eight and
// one server fewer is not.
func CheckHealthyServers(answer int) scenario.Check {
	const most = 100
	switch {
	case answer < 1:
		return scenario.Checkf(false, "answer=%d: set answer to a number of servers, 1 or more, then run the cell again.", answer)
	case answer > most:
		return scenario.Checkf(false, "answer=%d: the default load keeps about one server busy; try far fewer (at most %d).", answer, most)
	}
	at, err := healthyUnder(answer)
	if err != nil {
		return couldNotRun(err)
	}
	if at.healthy < exerciseSeeds {
		return scenario.Checkf(false, "with %s, %d of %d seeds were Healthy; %s. A verdict from one seed can be luck: the answer must hold under every seed.",
			plural(answer, "server"), at.healthy, exerciseSeeds, at.others)
	}
	if answer == 1 {
		return scenario.Checkf(true, "1 server was Healthy under all %d seeds.", exerciseSeeds)
	}
	below, err := healthyUnder(answer - 1)
	if err != nil {
		return couldNotRun(err)
	}
	if below.healthy == exerciseSeeds {
		return scenario.Checkf(false, "%s were Healthy under all %d seeds, and so were %d: fewer will do.", plural(answer, "server"), exerciseSeeds, answer-1)
	}
	return scenario.Checkf(true, "%s were Healthy under all %d seeds (servers %s busy, mean waits %s). With %d, only %d of %d were: %s. One seed alone could have said Healthy or not.",
		plural(answer, "server"), exerciseSeeds, at.busy, at.waits, answer-1, below.healthy, exerciseSeeds, below.others)
}

// healthy is what the default load gave under the exercise's seeds.
type healthy struct {
	healthy     int
	others      string // "seed 1 Strained, seed 7 Overloaded"
	busy, waits string // ranges over the seeds: "30% to 38%"
}

func healthyUnder(servers int) (healthy, error) {
	cfg := Default()
	cfg.Servers = servers
	runs, err := runSeeds(cfg, exerciseSeeds)
	if err != nil {
		return healthy{}, err
	}
	var h healthy
	var others []string
	busyLo, busyHi, waitLo, waitHi := math.Inf(1), math.Inf(-1), time.Duration(math.MaxInt64), time.Duration(0)
	for i, r := range runs {
		if v := r.Verdict(); v.Outcome == Healthy {
			h.healthy++
		} else {
			others = append(others, fmt.Sprintf("seed %d was %v", i+1, v.Outcome))
		}
		u, w := r.Utilisation(), round(r.Wait.Mean().Duration())
		busyLo, busyHi = math.Min(busyLo, u), math.Max(busyHi, u)
		waitLo, waitHi = min(waitLo, w), max(waitHi, w)
	}
	h.others = strings.Join(others, ", ")
	h.busy = fmt.Sprintf("%.0f%% to %.0f%%", 100*busyLo, 100*busyHi)
	h.waits = fmt.Sprintf("%v to %v", waitLo, waitHi)
	return h, nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// CheckWhyOneServerWaits checks lesson 00's "why" question: with one
// server the default load's requests wait about as long as their own
// holding time, though the server is idle a third of the time. Why?
//
//	a: one server cannot keep up: a request a second, each 0.7 s of work,
//	   is more than it can serve
//	b: requests arrive at random: some come close together and queue
//	   behind each other, while at other times the server idles
//	c: failed dependency calls are retried, and the retries pile up work
//
// The answer is b; the check explains each choice from eight runs.
func CheckWhyOneServerWaits(answer string) scenario.Check {
	a, bad := grade.Choice(answer, "abc", "answer")
	if bad != nil {
		return *bad
	}
	cfg := Default()
	cfg.Servers = 1
	runs, err := runSeeds(cfg, exerciseSeeds)
	if err != nil {
		return couldNotRun(err)
	}
	var busy, wait, hold float64
	var arrived, finished, waited, retries, calls, callFailures int64
	for _, r := range runs {
		busy += r.Utilisation() / exerciseSeeds
		wait += r.Wait.Mean().Seconds() / exerciseSeeds
		hold += r.MeanHolding().Seconds() / exerciseSeeds
		arrived, finished, waited = arrived+r.Arrivals, finished+r.Completed+r.Failed, waited+r.Waited
		retries, calls, callFailures = retries+r.Retries, calls+r.DependencyCalls, callFailures+r.DependencyFailures
	}
	switch a {
	case "a":
		return scenario.Checkf(false, "over %d seeds the server was busy %.0f%% of the time and idle the rest, and it finished %.1f%% of the requests that arrived (the others were still queued or in service at the end): it keeps up. Something else makes requests wait.",
			exerciseSeeds, 100*busy, 100*float64(finished)/float64(arrived))
	case "c":
		return scenario.Checkf(false, "the default makes no retries (MaxRetries=%d): the %d runs made %d. Only %.1f%% of dependency calls failed, and a failed call ends its request as failed, adding no work.",
			cfg.MaxRetries, exerciseSeeds, retries, 100*float64(callFailures)/float64(calls))
	}
	pk, _, err := cfg.MGCWait()
	if err != nil {
		return couldNotRun(err)
	}
	return scenario.Checkf(true, "arrivals are random (Poisson), so they bunch: over %d seeds %.0f%% of requests arrived while the server was busy, close to its utilisation of %.0f%%, and queued behind the ones before them. The idle time falls between bunches and cannot be saved for later. Requests waited %v on average against %v of holding; Pollaczek–Khinchine's formula for one server predicts %v.",
		exerciseSeeds, 100*float64(waited)/float64(arrived), 100*busy, round(seconds(wait)), round(seconds(hold)), round(pk))
}

// whySeeds is how many runs the "why do runs vary" check compares: the
// twelve of lesson 01's first table.
const whySeeds = 12

// varianceConfig is lesson 01's first experiment: M/M/4 at utilisation
// 0.9 (7.2 requests a second, 0.5 s each), two virtual hours per run.
func varianceConfig() Config {
	return theoryRun(4, 7.2, "exp(500ms)")
}

// CheckWhyRunsVary checks lesson 01's "why" question: single two-hour
// runs of M/M/4 at utilisation 0.9 (seeds 1 to 12) miss Erlang C's mean
// wait by up to a fifth, though each holds about 50,000 requests. Why?
//
//	a: the simulation is biased: it waits less than M/M/4 should
//	b: each run starts with an empty queue, and its first minutes' short
//	   waits pull its mean down
//	c: consecutive requests wait together: one long busy period delays
//	   thousands of them, so a run's waits hold far fewer independent
//	   samples than requests
//	d: 50,000 independent waits are too few to pin a mean within 10%
//
// The answer is c; the check explains each choice from the twelve runs.
func CheckWhyRunsVary(answer string) scenario.Check {
	a, bad := grade.Choice(answer, "abcd", "answer")
	if bad != nil {
		return *bad
	}
	cfg := varianceConfig()
	runs, err := runSeeds(cfg, whySeeds)
	if err != nil {
		return couldNotRun(err)
	}
	m, err := cfg.Theory()
	if err != nil {
		return couldNotRun(err)
	}
	theory := m.wq()
	means := make([]float64, len(runs))
	var oneSD, count float64
	above, most := 0, 0.0
	for i, r := range runs {
		means[i] = r.Wait.Mean().Seconds()
		oneSD += r.Wait.Histogram().StdDev() / 1e9 / whySeeds
		count += float64(r.Wait.Count()) / whySeeds
		if means[i] > theory {
			above++
			most = math.Max(most, means[i]/theory-1)
		}
	}
	mean, half, sd := meanCI(means)
	independent := oneSD / math.Sqrt(count)
	factor := sd / independent
	d := func(s float64) time.Duration { return round(seconds(s)) }
	switch a {
	case "a":
		return scenario.Checkf(false, "the %d runs average %v ± %v (95%% interval), and Erlang C's %v lies %s it; %d runs waited longer than theory and %d shorter. A biased model would miss on one side.",
			whySeeds, d(mean), d(half), d(theory), insideOrNot(mean, half, theory), above, whySeeds-above)
	case "b":
		return scenario.Checkf(false, "starting empty can only shorten a run's waits, yet %d of the %d runs waited longer than Erlang C's %v, one by %.0f%%; and the runs' average, %v ± %v, meets theory. The empty start is small beside the spread.",
			above, whySeeds, d(theory), 100*most, d(mean), d(half))
	case "d":
		return scenario.Checkf(false, "were a run's %.0f waits independent, its mean would vary by about %v (one wait's standard deviation, %v, over √%.0f); the runs' means vary by %v, %.0f times as much. The count is not what limits a run.",
			count, d(independent), d(oneSD), count, d(sd), factor)
	}
	return scenario.Checkf(true, "the runs' means vary by %v (standard deviation), %.0f times what %.0f independent waits would give (%v): a busy period delays thousands of requests together, so a two-hour run holds only about %.0f independent samples. Runs under different seeds are independent, and their average pins the mean: %v ± %v against Erlang C's %v.",
		d(sd), factor, count, d(independent), count/(factor*factor), d(mean), d(half), d(theory))
}

func insideOrNot(mean, half, x float64) string {
	if math.Abs(x-mean) <= half {
		return "inside"
	}
	return "outside"
}

// The exercise of lesson 01: 600 requests a minute, 0.5 s each
// (exponential), and a mean wait of at most 100 ms.
const (
	targetRate    = 10.0 // per second
	targetService = 500 * time.Millisecond
	targetWait    = 100 * time.Millisecond
)

// CheckServersForTarget checks lesson 01's exercise: the fewest servers
// that keep the mean wait at most 100 ms for 600 requests a minute of
// 0.5 s each (exponential, no dependencies). Each count runs for an hour
// under eight seeds; the answer is right when the mean of its runs meets
// the target and one server fewer does not.
func CheckServersForTarget(answer int) scenario.Check {
	const most = 1000
	switch {
	case answer < 1:
		return scenario.Checkf(false, "answer=%d: set answer to a number of servers, 1 or more, then run the cell again.", answer)
	case answer > most:
		return scenario.Checkf(false, "answer=%d: far more than 10 requests a second of 0.5 s need; try fewer (at most %d).", answer, most)
	}
	at, err := waitWith(answer)
	if err != nil {
		return couldNotRun(err)
	}
	if !at.meets {
		return scenario.Checkf(false, "with %s the mean wait over %d seeds is %s, above the %v target.", plural(answer, "server"), exerciseSeeds, at, targetWait)
	}
	if answer == 1 {
		return scenario.Checkf(true, "1 server: mean wait %s.", at)
	}
	below, err := waitWith(answer - 1)
	if err != nil {
		return couldNotRun(err)
	}
	if below.meets {
		return scenario.Checkf(false, "%s meet the target with a mean wait of %s, but %d do too: %s. Fewer will do.", plural(answer, "server"), at, answer-1, below)
	}
	return scenario.Checkf(true, "%s: mean wait %s over %d seeds, within the %v target; %d: %s. Going from %d to %d servers cuts the wait %.1f-fold: %.0f servers would be busy all the time (ρ = 1), and near there each server counts.",
		plural(answer, "server"), at, exerciseSeeds, targetWait, answer-1, below, answer-1, answer, below.mean/at.mean, targetRate*targetService.Seconds())
}

// targetRuns is what one server count gave in the exercise.
type targetRuns struct {
	mean, half float64 // seconds
	theory     string
	meets      bool
}

func (t targetRuns) String() string {
	return fmt.Sprintf("%v ± %v (Erlang C: %s)", round(seconds(t.mean)), round(seconds(t.half)), t.theory)
}

func waitWith(servers int) (targetRuns, error) {
	cfg := theoryRun(servers, targetRate, fmt.Sprintf("exp(%v)", targetService))
	cfg.Duration = time.Hour
	runs, err := runSeeds(cfg, exerciseSeeds)
	if err != nil {
		return targetRuns{}, err
	}
	waits := make([]float64, len(runs))
	for i, r := range runs {
		waits[i] = r.Wait.Mean().Seconds()
	}
	var t targetRuns
	t.mean, t.half, _ = meanCI(waits)
	t.meets = t.mean <= targetWait.Seconds()
	t.theory = fmt.Sprintf("ρ = %.2f ≥ 1, the queue grows without end", targetRate*targetService.Seconds()/float64(servers))
	if m, err := cfg.Theory(); err == nil {
		t.theory = round(m.Wq()).String()
	}
	return t, nil
}
