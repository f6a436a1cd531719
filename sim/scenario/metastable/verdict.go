package metastable

import (
	"fmt"
	"time"
)

// Outcome is the kind of verdict.
type Outcome int

// The verdicts. A window of the run is healthy when at least HealthyShare
// of the requests offered in it were answered in time. Only windows whose
// requests had their whole patience (every timeout and backoff) before the
// end of the run are judged.
const (
	// Stable: every judged window was healthy, through the trigger too.
	Stable Outcome = iota
	// Recovered: some windows were degraded, and every window from some
	// point on was healthy. RecoveryTime is how long after the trigger
	// ended the last degraded window ended (zero if that was within it).
	Recovered
	// Metastable: the last judged window was degraded although the trigger
	// had ended at least SettleTime before it. The load alone would be
	// served fine; the retries and the leftover work keep it degraded.
	Metastable
	// Overloaded: degraded at the end, and with no trigger at all, or
	// already in the last window before the trigger: the load or the
	// configuration itself does not work (a timeout shorter than the
	// service time, more load than capacity).
	Overloaded
	// Inconclusive: the run is too short to judge: no window had time to
	// settle, or the trigger ended less than SettleTime before the end.
	Inconclusive
)

func (o Outcome) String() string {
	return [...]string{"Stable", "Recovered", "Metastable", "Overloaded", "Inconclusive"}[o]
}

// Verdict is the run's outcome with a one-sentence explanation.
type Verdict struct {
	Outcome      Outcome
	RecoveryTime time.Duration // for Recovered
	Reason       string
}

func (v Verdict) String() string { return v.Outcome.String() + ": " + v.Reason }

// Markdown is the verdict as a notebook shows it: the outcome in bold.
func (v Verdict) Markdown() string { return "**" + v.Outcome.String() + "**: " + v.Reason }

// Verdict judges the run by the rules documented on Outcome.
func (r *Result) Verdict() Verdict {
	c := r.Config
	w := c.Window
	n := r.judged()
	if n == 0 {
		return Verdict{Outcome: Inconclusive, Reason: fmt.Sprintf("a request can take %v (timeouts and backoffs), so a %v run leaves no window to judge; run longer.",
			c.patience(), c.Duration)}
	}
	lastBad, bad := -1, 0
	for i := 0; i < n; i++ {
		if !r.healthy(i) {
			lastBad = i
			bad++
		}
	}
	from, to, trig := c.trigger()
	before := int(from/w) - 1 // the last window that ends by the trigger's start
	share := func(i int) string { return fmt.Sprintf("%.0f%%", 100*ratio(r.succeededBy[i], r.offeredBy[i])) }
	judged := time.Duration(n) * w
	switch {
	case lastBad < 0 && trig:
		return Verdict{Outcome: Stable, Reason: fmt.Sprintf("at least %.0f%% of requests were answered in time in every window, through the trigger (%v to %v).",
			100*c.HealthyShare, from, to)}
	case lastBad < 0:
		return Verdict{Outcome: Stable, Reason: fmt.Sprintf("at least %.0f%% of requests were answered in time in every window.", 100*c.HealthyShare)}
	case lastBad < n-1:
		healed := time.Duration(lastBad+1) * w
		if !trig {
			return Verdict{Outcome: Recovered, Reason: fmt.Sprintf("with no trigger, %d windows were degraded, the last ending at %v; every window after was healthy.", bad, healed)}
		}
		rec := max(0, healed-to)
		if rec == 0 {
			return Verdict{Outcome: Recovered, Reason: fmt.Sprintf("degraded only during the trigger (%v to %v); healthy again as soon as it ended.", from, to)}
		}
		return Verdict{Outcome: Recovered, RecoveryTime: rec, Reason: fmt.Sprintf("healthy again %v after the trigger ended at %v, and stayed so (%d degraded windows).", rec, to, bad)}
	case !trig:
		return Verdict{Outcome: Overloaded, Reason: fmt.Sprintf("with no trigger, only %s of requests were answered in time in the last judged window: the load itself is more than the server takes.", share(n-1))}
	case before >= 0 && before < n && !r.healthy(before):
		return Verdict{Outcome: Overloaded, Reason: fmt.Sprintf("already degraded before the trigger began at %v (%s answered in time in the window before it), and still at the end: the load or the configuration itself does not work, with or without the trigger.",
			from, share(before))}
	case judged-to >= c.SettleTime:
		return Verdict{Outcome: Metastable, Reason: fmt.Sprintf("the trigger ended at %v, but %v later only %s of requests were answered in time (amplification %.1f×): retries and leftover work keep the server overloaded.",
			to, judged-to, share(n-1), r.windowAmplification(n-1))}
	}
	return Verdict{Outcome: Inconclusive, Reason: fmt.Sprintf("still degraded at %v, only %v after the trigger ended (SettleTime=%v); run longer.",
		judged, max(0, judged-to), c.SettleTime)}
}

// judged is the number of windows the verdict judges: those whose
// requests had their whole patience before the end of the run.
func (r *Result) judged() int {
	end := r.Config.Duration - r.Config.patience()
	n := 0
	for n < len(r.offeredBy) && time.Duration(n+1)*r.Config.Window <= end {
		n++
	}
	return n
}

func (r *Result) healthy(i int) bool {
	return r.offeredBy[i] == 0 || float64(r.succeededBy[i]) >= r.Config.HealthyShare*float64(r.offeredBy[i])
}

// windowAmplification is attempts per offered request in window i.
func (r *Result) windowAmplification(i int) float64 {
	a, o := r.Rates.Attempts.Series(), r.Rates.Offered.Series()
	if i >= a.Len() || i >= o.Len() || o.V[i] == 0 {
		return 0
	}
	return a.V[i] / o.V[i]
}
