package csi

import (
	"fmt"
	"strings"
	"time"

	"dsim/sim/dist"
	"dsim/sim/metrics"
	"dsim/sim/scenario"
)

// The lesson's exercises are checked here, over several seeds, so that an
// answer right by the luck of one run is not called right and the
// notebook's exercise cell does not hold its answer.

// StoredTwice counts the orders B stored more than once: a retry of an
// order B had already applied. The loud ones among them were stored
// anyway after A gave up.
func (r *Result) StoredTwice() int {
	n := 0
	for _, o := range r.Orders {
		if o.Stored > 1 {
			n++
		}
	}
	return n
}

// AttemptsOver is the share of B's finished attempts that took longer
// than t: those A, waiting t, gave up on while B went on working.
func (r *Result) AttemptsOver(t time.Duration) float64 {
	over := 0
	for _, b := range r.BTimes {
		if b > t {
			over++
		}
	}
	return metrics.Ratio(int64(over), int64(len(r.BTimes)))
}

// The config exercise: make every order of the config scenario count
// exactly once. A right answer, on each of seeds 1 to FixSeeds: fewer
// than FixMaxLoud of the orders fail loudly, and B stores none twice; A
// waits at most FixMaxTimeout per attempt (a checkout cannot wait longer)
// and keeps at least FixMinRetries retries (for the lost messages and
// restarts this run does not show).
const (
	FixSeeds      = 5
	FixMaxLoud    = 0.01
	FixMaxTimeout = 60 * time.Second
	FixMinRetries = 3
)

// ConfigFix is an answer to the config exercise: what A and B change.
type ConfigFix struct {
	Timeout    time.Duration // A's wait for one attempt
	Retries    int           // A's retries after a timeout
	Idempotent bool          // B applies an order it already stored only once
}

// Apply returns cfg with the fix.
func (f ConfigFix) Apply(cfg Config) Config {
	cfg.Upstream.Timeout, cfg.Upstream.Retries, cfg.Downstream.Idempotent = f.Timeout, f.Retries, f.Idempotent
	return cfg
}

// CheckConfigFix runs the config preset with the fix on seeds 1 to
// FixSeeds and says whether every order counted exactly once.
func CheckConfigFix(f ConfigFix) scenario.Check {
	switch {
	case f.Timeout <= 0:
		return scenario.Checkf(false, "set Timeout, A's wait per attempt (at most %v).", FixMaxTimeout)
	case f.Timeout > FixMaxTimeout:
		return scenario.Checkf(false, "Timeout=%v: a checkout waits at most %v for one attempt.", f.Timeout, FixMaxTimeout)
	case f.Retries < FixMinRetries:
		return scenario.Checkf(false, "Retries=%d: keep at least %d; they are there for lost messages and restarts, which this run does not show.", f.Retries, FixMinRetries)
	}
	base, err := PresetConfig("config")
	if err != nil {
		return scenario.Checkf(false, "%v", err)
	}
	var bad []string
	orders, louds, twice, attempts := 0, 0, 0, 0.0
	for seed := uint64(1); seed <= FixSeeds; seed++ {
		cfg := f.Apply(base)
		cfg.Seed = seed
		res, err := Run(cfg)
		if err != nil {
			return scenario.Checkf(false, "%v", err)
		}
		n, l, d := len(res.Orders), res.Louds, res.StoredTwice()
		orders, louds, twice = orders+n, louds+l, twice+d
		attempts += res.AttemptsOver(f.Timeout)
		if float64(l) >= FixMaxLoud*float64(n) || d > 0 {
			bad = append(bad, fmt.Sprintf("seed %d: %d of %d orders failed loudly (%s), %d stored twice", seed, l, n, metrics.Pct(metrics.Ratio(int64(l), int64(n))), d))
		}
	}
	over := metrics.Pct(attempts / FixSeeds)
	if len(bad) > 0 {
		why := fmt.Sprintf("B is not idempotent: an attempt A gave up on still completes on B, so its retry stores the order again; no timeout up to %v outlasts B's slowest orders.", FixMaxTimeout)
		if f.Idempotent {
			why = fmt.Sprintf("B applies each order once, but with a %v timeout %s of B's attempts run over it, and orders that run over on every attempt fail loudly.", f.Timeout, over)
		}
		return scenario.Checkf(false, "%s. %s The target, on each seed: under %s loud, none stored twice.", strings.Join(bad, "; "), why, metrics.Pct(FixMaxLoud))
	}
	return scenario.Checkf(true, "over %d seeds, %d of %d orders failed loudly and none was stored twice. B applies an order once however often A sends it "+
		"(an idempotence key: the order's id), so A may retry safely; a timeout of %v leaves %s of B's attempts running over, and with %d retries almost every order "+
		"finishes. A longer timeout alone cannot do it: B's time has a long tail (%v plus %v per item, times a random factor), and an attempt A gave up on still completes.",
		FixSeeds, louds, orders, f.Timeout, over, f.Retries, base.Downstream.BaseLatency, base.Downstream.PerItem)
}

// The "why" question of the config scenario: why do orders of 1 to 4
// items fail, when their mean time on B (26 to 29s) is under A's 30s
// timeout? The choices, as the lesson lists them:
//
//	a: the network delays or drops their messages;
//	b: B's time for an order is its mean times a random factor drawn for
//	   each attempt; for small orders the mean sits just under the
//	   timeout, so many attempts run over it, A retries, and B, which never
//	   learns that A gave up, stores the order twice;
//	c: B's queue is full, and B refuses them;
//	d: small orders carry names B cannot decode.
const WhyRuns = 5

// SmallItems is the largest order the "why" question asks about.
const SmallItems = 4

// CheckWhySmallOrdersFail checks the chosen explanation ("a" to "d")
// against the config preset on seeds 1 to WhyRuns, and the same runs with
// B's time per order without its random factor.
func CheckWhySmallOrdersFail(choice string) scenario.Check {
	base, err := PresetConfig("config")
	if err != nil {
		return scenario.Checkf(false, "%v", err)
	}
	var small, smallFailed, twice, timedOut, queue, text, steadyFailed, fives, fivesSteady int
	for seed := uint64(1); seed <= WhyRuns; seed++ {
		cfg := base
		cfg.Seed = seed
		res, err := Run(cfg)
		if err != nil {
			return scenario.Checkf(false, "%v", err)
		}
		cfg.Downstream.LatencyNoise = dist.Const(1)
		steady, err := Run(cfg)
		if err != nil {
			return scenario.Checkf(false, "%v", err)
		}
		for _, o := range res.Orders {
			if o.Items > SmallItems || o.Outcome == OK {
				continue
			}
			smallFailed++
			switch {
			case o.Cause == "stored twice":
				twice++
			case o.Cause == "timed out":
				timedOut++
			case o.Cause == "queue full":
				queue++
			case strings.HasPrefix(o.Cause, "customer") || strings.HasPrefix(o.Cause, "note"):
				text++
			}
		}
		for _, o := range steady.Orders {
			switch {
			case o.Items <= SmallItems:
				small++
				if o.Outcome != OK {
					steadyFailed++
				}
			case o.Items == SmallItems+1:
				fives++
				if o.Outcome != OK {
					fivesSteady++
				}
			}
		}
	}
	facts := fmt.Sprintf("Over %d runs of the config preset, %d of %d orders of 1 to %d items failed (%s): %d were stored twice, %d timed out on every attempt, %d were refused by a full queue, %d had text changed.",
		WhyRuns, smallFailed, small, SmallItems, metrics.Pct(metrics.Ratio(int64(smallFailed), int64(small))), twice, timedOut, queue, text)
	steady := fmt.Sprintf("With B's time fixed at its mean (no random factor), %d of them failed (and %d of the %d orders of %d items, whose mean of 30s plus the network's trip is just over the timeout).",
		steadyFailed, fivesSteady, fives, SmallItems+1)
	switch strings.ToLower(strings.TrimSpace(choice)) {
	case "b":
		b := base.Downstream
		return scenario.Checkf(true, "%s %s The order's contents set only the mean, %v + %v per item; the factor drawn for each attempt, %v, decides whether an attempt outlasts A's %v. "+
			"A timed-out attempt still completes on B, and so does the retry: stored twice, with no error anywhere. Such a failure is a matter of chance, with odds set by the order's size.",
			facts, steady, b.BaseLatency, b.PerItem, b.LatencyNoise, base.Upstream.Timeout)
	case "a":
		return scenario.Checkf(false, "%s The network takes %v each way for every message and loses none: it cannot tell one small order from another. %s", facts, base.NetworkDelay, steady)
	case "c":
		return scenario.Checkf(false, "%s B has %d workers for about %g orders a second: its queue never fills.", facts, base.Downstream.Workers, base.Rate)
	case "d":
		return scenario.Checkf(false, "%s Both sides use the same schema and encoding here: no text changes.", facts)
	case "":
		return scenario.Checkf(false, "choose one of the explanations: set why to \"a\", \"b\", \"c\" or \"d\".")
	}
	return scenario.Checkf(false, "%q is not one of the choices: set why to \"a\", \"b\", \"c\" or \"d\".", choice)
}
