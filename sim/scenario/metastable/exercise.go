package metastable

import (
	"fmt"
	"strings"
	"time"

	"dsim/sim"
	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/grade"
)

// The exercises of the retry-storm lessons (notebooks 02 and 08). Each
// checker runs the storm under seeds 1 to exerciseSeeds, so that an answer
// right by one seed's luck is not called right, and explains its verdict
// from the runs' own numbers.

// exerciseSeeds is how many seeds a checker runs.
const exerciseSeeds = 10

// tally is what a configuration gave under the exercise's seeds.
type tally struct {
	runs   []*Result
	by     map[Outcome]int
	listed string // "seed 3 Metastable, seed 7 Metastable"
}

// runTally runs cfg under seeds 1..exerciseSeeds; bad, when given, picks
// the outcomes to list by seed.
func runTally(cfg Config, bad func(Outcome) bool) (tally, error) {
	t := tally{by: map[Outcome]int{}}
	var named []string
	for seed := uint64(1); seed <= exerciseSeeds; seed++ {
		cfg.Seed = seed
		r, err := Run(cfg)
		if err != nil {
			return t, err
		}
		o := r.Verdict().Outcome
		t.runs = append(t.runs, r)
		t.by[o]++
		if bad != nil && bad(o) {
			named = append(named, fmt.Sprintf("seed %d %v", seed, o))
		}
	}
	t.listed = strings.Join(named, ", ")
	return t, nil
}

// counts writes the tally: "Stable 9, Metastable 1".
func (t tally) counts() string {
	var parts []string
	for _, o := range []Outcome{Stable, Recovered, Recovering, Inconclusive, Metastable, Overloaded} {
		if n := t.by[o]; n > 0 {
			parts = append(parts, fmt.Sprintf("%v %d", o, n))
		}
	}
	return strings.Join(parts, ", ")
}

// mean averages f over the runs.
func (t tally) mean(f func(*Result) float64) float64 {
	s := 0.0
	for _, r := range t.runs {
		s += f(r)
	}
	return s / float64(len(t.runs))
}

func couldNotRun(err error) scenario.Check {
	return scenario.Checkf(false, "the check could not run: %v", err)
}

func passed(o Outcome) bool { return o == Stable || o == Recovered }

// timeoutStep is the grain of lesson 02's timeout exercise.
const timeoutStep = 100 * time.Millisecond

// CheckStormTimeout checks lesson 02's exercise: the shortest client
// timeout, in steps of 100 ms, with which the storm preset's spike passes
// (Stable or Recovered) under each of seeds 1 to 10. The answer is right
// when it passes under all ten and 100 ms less does not.
func CheckStormTimeout(answer time.Duration) scenario.Check {
	const most = 10 * time.Second
	switch {
	case answer <= 0:
		return scenario.Checkf(false, "answer=%v: set answer to a timeout such as 1500 * time.Millisecond, then run the cell again.", answer)
	case answer%timeoutStep != 0:
		return scenario.Checkf(false, "answer=%v: give the timeout in steps of 100 ms, such as 1300 * time.Millisecond.", answer)
	case answer > most:
		return scenario.Checkf(false, "answer=%v: far longer than needed; try timeouts between 1 s and 3 s.", answer)
	}
	storm, err := PresetConfig("storm")
	if err != nil {
		return couldNotRun(err)
	}
	at := func(d time.Duration) (tally, error) {
		c := storm
		c.Timeout = d
		return runTally(c, func(o Outcome) bool { return !passed(o) })
	}
	got, err := at(answer)
	if err != nil {
		return couldNotRun(err)
	}
	atCap := storm.Service.Mean() + float64(storm.Capacity)*storm.Slope.Seconds()
	if ok := got.by[Stable] + got.by[Recovered]; ok < exerciseSeeds {
		return scenario.Checkf(false, "with a %v timeout the spike passed under %d of %d seeds (%s). One seed can pass by luck: the answer must hold under every one.",
			answer, ok, exerciseSeeds, got.listed)
	}
	shorter, err := at(answer - timeoutStep)
	if err != nil {
		return couldNotRun(err)
	}
	if shorter.by[Stable]+shorter.by[Recovered] == exerciseSeeds {
		return scenario.Checkf(false, "a %v timeout passed under all %d seeds, and so did %v: a shorter one will do.", answer, exerciseSeeds, answer-timeoutStep)
	}
	low, high := got.runs[0].Queue.Max(), 0.0
	for _, r := range got.runs {
		low, high = min(low, r.Queue.Max()), max(high, r.Queue.Max())
	}
	rate := storm.maxThroughput()
	return scenario.Checkf(true, "a %v timeout passed under all %d seeds; %v did not (%s). The timeout must cover a request's own service with the server full, %.1f s (0.5 s + %d × %v), and its wait behind the queue the spike builds: in these runs that queue peaked at %.0f to %.0f requests, up to %.1f s of work for a server that finishes %.0f a second. With less, the attempts at the back of the queue time out, and their retries keep it full.",
		answer, exerciseSeeds, answer-timeoutStep, shorter.listed, atCap, storm.Capacity, storm.Slope, low, high, high/rate, rate)
}

// CheckWhyCancellationFails checks lesson 02's "why" question: cancelling
// abandoned work drops thousands of attempts, yet the storm stays. Why?
//
//	a: cancelled attempts are retried, so cancelling adds load
//	b: it drops too few: most abandoned work never reaches the head of
//	   the queue
//	c: it drops work only before it starts; with the server full a
//	   request's own service takes 1 s, the whole timeout, so the work in
//	   service is wasted too
//	d: nothing the server does can help once every request sends four
//	   attempts
//
// The right one is c. The checker shows it from the model: the storm with
// cancellation under ten seeds, and with a gentler contention slope
// (service at full load 0.9 s, under the timeout), where cancellation
// rescues the runs that stay without it.
func CheckWhyCancellationFails(answer string) scenario.Check {
	a, bad := grade.Choice(answer, "abcd", "answer")
	if bad != nil {
		return *bad
	}
	storm, err := PresetConfig("storm")
	if err != nil {
		return couldNotRun(err)
	}
	with := func(slope time.Duration, cancel bool) (tally, error) {
		c := storm
		c.Slope, c.Cancellation = slope, cancel
		return runTally(c, nil)
	}
	none, err := with(storm.Slope, false)
	if err != nil {
		return couldNotRun(err)
	}
	cancel, err := with(storm.Slope, true)
	if err != nil {
		return couldNotRun(err)
	}
	const gentle = 8 * time.Millisecond
	gentleNone, err := with(gentle, false)
	if err != nil {
		return couldNotRun(err)
	}
	gentleCancel, err := with(gentle, true)
	if err != nil {
		return couldNotRun(err)
	}
	dropped := cancel.mean(func(r *Result) float64 { return float64(r.Dropped) })
	wasted := cancel.mean(func(r *Result) float64 { return ratio(r.Wasted, r.Served) })
	amp, ampNone := cancel.mean((*Result).Amplification), none.mean((*Result).Amplification)
	atCap := storm.Service.Mean() + float64(storm.Capacity)*storm.Slope.Seconds()
	gentleCap := storm.Service.Mean() + float64(storm.Capacity)*gentle.Seconds()
	evidence := fmt.Sprintf("Under %d seeds the storm with cancellation ended %s; it dropped %.0f attempts a run, yet %.0f%% of the work the server finished was still finished after its client gave up.",
		exerciseSeeds, cancel.counts(), dropped, 100*wasted)
	switch a {
	case "a":
		return scenario.Checkf(false, "a client retries when its own timeout fires, whatever the server later does with the abandoned attempt: %.2f attempts per request with cancellation, %.2f without. %s", amp, ampNone, evidence)
	case "b":
		return scenario.Checkf(false, "it drops plenty. %s The waste is in the work it cannot drop.", evidence)
	case "d":
		return scenario.Checkf(false, "the server can help when its work is not wasted anyway: with a slope of %v (service at full load %.2f s, under the %v timeout) the storm stays in %d of %d runs without cancellation and %d with it. %s",
			gentle, gentleCap, storm.Timeout, gentleNone.by[Metastable], exerciseSeeds, gentleCancel.by[Metastable], evidence)
	}
	return scenario.Checkf(true, "%s Cancellation drops an attempt only when it reaches the head of the queue; one that starts is served in full, and with the server full that takes %.2f s (0.5 s + %d × %v), the whole %v timeout after its wait in the queue. Make service at full load %.2f s (a slope of %v) and cancellation pays: the storm stays in %d of %d runs without it, %d with it.",
		evidence, atCap, storm.Capacity, storm.Slope, storm.Timeout, gentleCap, gentle, gentleNone.by[Metastable], exerciseSeeds, gentleCancel.by[Metastable])
}

// CheckRetriesForRecovery checks lesson 08's exercise: the storm preset
// with a spike to 80 requests/s; the largest MaxRetries, of 0 to 3, with
// which every run under seeds 1 to 10 gets out on its own (Stable,
// Recovered, or Recovering: its backlog drains). The answer is right when
// all ten do and one retry more leaves some run Metastable.
func CheckRetriesForRecovery(answer int) scenario.Check {
	const most = 3
	if answer < 0 || answer > most {
		return scenario.Checkf(false, "answer=%d: set answer to a number of retries from 0 to %d, then run the cell again.", answer, most)
	}
	base, err := PresetConfig("storm")
	if err != nil {
		return couldNotRun(err)
	}
	base.SpikeRate = 80
	out := func(o Outcome) bool { return o != Stable && o != Recovered && o != Recovering }
	at := func(retries int) (tally, error) {
		c := base
		c.MaxRetries = retries
		return runTally(c, out)
	}
	got, err := at(answer)
	if err != nil {
		return couldNotRun(err)
	}
	loop := func(retries int) string {
		return fmt.Sprintf("%.0f requests/s × %d attempts = %.0f attempts/s against the %.0f/s the server finishes",
			base.BaseRate, retries+1, base.BaseRate*float64(retries+1), base.maxThroughput())
	}
	if got.listed != "" {
		return scenario.Checkf(false, "with %s: %s (%s). Once every attempt times out, %s.", retries(answer), got.counts(), got.listed, loop(answer))
	}
	if answer < most {
		more, err := at(answer + 1)
		if err != nil {
			return couldNotRun(err)
		}
		if more.listed == "" {
			return scenario.Checkf(false, "with %s every run got out (%s), and with %d too (%s): more retries will do.", retries(answer), got.counts(), answer+1, more.counts())
		}
		return scenario.Checkf(true, "with %s every run got out (%s); with %d, %s. Once every attempt times out, each request sends one attempt more than its retries: %s drains the backlog, while %s feeds it.%s",
			retries(answer), got.counts(), answer+1, more.counts(), loop(answer), loop(answer+1), drainNote(got))
	}
	return scenario.Checkf(true, "with %s, the most the exercise offers, every run got out (%s): %s.", retries(answer), got.counts(), loop(answer))
}

func retries(n int) string {
	if n == 1 {
		return "1 retry"
	}
	return fmt.Sprintf("%d retries", n)
}

// drainNote says how long draining runs are expected to take.
func drainNote(t tally) string {
	var lo, hi time.Duration
	n := 0
	for _, r := range t.runs {
		if v := r.Verdict(); v.Outcome == Recovering {
			if n == 0 || v.RecoveryTime < lo {
				lo = v.RecoveryTime
			}
			hi = max(hi, v.RecoveryTime)
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" Draining is slow: %d runs were still Recovering at the end, expected healthy again %v to %v after the trigger.", n, lo, hi)
}

// CheckWhyBelowCapacityTips checks lesson 08's "why" question: a spike to
// 45 requests/s, below the 50/s the server finishes, leaves the storm
// behind when it lasts 12 s in most runs. Why?
//
//	a: the spike's Poisson arrivals average more than 50 a second
//	b: at 45/s about 41 requests are in service, each taking about 0.93 s,
//	   close to the 1 s timeout; the slowest already take longer, time out
//	   and come back as retries, which add load and contention: the loop
//	   starts below capacity
//	c: contention lowers the server's capacity below 45/s
//	d: any spike at 90% of capacity tips a server, retries or not
//
// The right one is b. The checker shows it from the model: the spike
// under ten seeds, with and without retries, and the steady 45/s load
// with clients that never time out.
func CheckWhyBelowCapacityTips(answer string) scenario.Check {
	a, bad := grade.Choice(answer, "abcd", "answer")
	if bad != nil {
		return *bad
	}
	storm, err := PresetConfig("storm")
	if err != nil {
		return couldNotRun(err)
	}
	const rate, length = 45, 12 * time.Second
	spike := storm
	spike.SpikeRate, spike.Trigger.Duration = rate, length
	tipped, err := runTally(spike, nil)
	if err != nil {
		return couldNotRun(err)
	}
	noRetries := spike
	noRetries.MaxRetries = 0
	alone, err := runTally(noRetries, nil)
	if err != nil {
		return couldNotRun(err)
	}
	steady := storm
	steady.Pattern, steady.BaseRate, steady.Timeout, steady.MaxRetries = Constant, rate, time.Hour, 0
	calm, err := runTally(steady, nil)
	if err != nil {
		return couldNotRun(err)
	}
	inService := calm.mean(func(r *Result) float64 { return r.InFlight.Mean() })
	took := calm.mean(func(r *Result) float64 { return r.Latency.Mean().Duration().Seconds() })
	slower := calm.mean(func(r *Result) float64 { return r.slowerThan(storm.Timeout) })
	served := calm.mean(func(r *Result) float64 { return float64(r.Served) / r.Config.Duration.Seconds() })
	offered := tipped.mean(func(r *Result) float64 {
		from, to, _ := r.Config.trigger()
		return r.Rates.Offered.Series().Between(sim.FromDuration(from), sim.FromDuration(to))
	})
	evidence := fmt.Sprintf("A %v spike to %d/s left the storm behind in %d of %d runs.", length, rate, tipped.by[Metastable], exerciseSeeds)
	switch a {
	case "a":
		return scenario.Checkf(false, "%s Its arrivals averaged %.1f a second over the spike, as a Poisson load of %d/s should.", evidence, offered, rate)
	case "c":
		return scenario.Checkf(false, "%s With clients that never time out, the server finishes a steady %d/s without trouble (%.1f a second served): its capacity at full load is %.0f/s.", evidence, rate, served, storm.maxThroughput())
	case "d":
		return scenario.Checkf(false, "%s Without retries the same spike ended %s: no run stayed down. The retries are the loop.", evidence, alone.counts())
	}
	return scenario.Checkf(true, "%s At a steady %d/s, with clients that never time out, %.1f requests are in service on average and a request takes %.2f s; %.0f%% take longer than the %v timeout. With the storm's clients each of those comes back as a retry, which adds load and makes every request slower. Without retries the same spike ended %s. The edge is the time a request takes against the timeout, not the load against capacity.",
		evidence, rate, inService, took, 100*slower, storm.Timeout, alone.counts())
}
