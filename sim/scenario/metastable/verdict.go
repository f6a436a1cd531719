package metastable

import (
	"dsim/sim/scenario/internal/tail"
	"fmt"
	"time"
)

// Outcome is the kind of verdict.
type Outcome int

// The verdicts. A window of the run is healthy when at least HealthyShare
// of the requests offered in it were answered in time. Only windows whose
// requests had their whole patience (every timeout and backoff) before the
// end of the run are judged. A run still degraded SettleTime after its
// trigger ended is judged by its feedback loop over the tail of the run
// (doc.go, "The verdict"): is the backlog draining, and is the load alone
// more than the server can finish?
const (
	// Stable: every judged window was healthy, through the trigger too.
	Stable Outcome = iota
	// Recovered: some windows were degraded, and every window from some
	// point on was healthy. RecoveryTime is how long after the trigger
	// ended the last degraded window ended (zero if that was within it).
	Recovered
	// Metastable: degraded at the end although the trigger ended at least
	// SettleTime before, the load alone is less than the server can
	// finish, and the loop sustains itself: the backlog grows, or the
	// clients send more attempts than the server finishes, beyond chance.
	// The retries and the leftover work keep the server overloaded.
	Metastable
	// Overloaded: degraded at the end, and with no trigger at all, or
	// already in the last window before the trigger, or with more new
	// requests after it than the server can finish even without retries:
	// the load or the configuration itself does not work (a timeout
	// shorter than the service time, more load than capacity).
	Overloaded
	// Inconclusive: the run is too short to judge: no window had time to
	// settle, or the trigger ended less than SettleTime before the end, or
	// the tail after it is too short to measure the loop, or the run is at
	// the edge: its backlog neither drains nor grows beyond chance, and
	// its clients send about what the server finishes.
	Inconclusive
	// Recovering: still degraded at the end, but the backlog is draining:
	// the server finishes more than the clients send, retries included.
	// RecoveryTime is the expected time after the trigger ended at which
	// the backlog is served, Remaining the part of it after the run.
	Recovering
)

func (o Outcome) String() string {
	return [...]string{"Stable", "Recovered", "Metastable", "Overloaded", "Inconclusive", "Recovering"}[o]
}

// Verdict is the run's outcome with a one-sentence explanation.
type Verdict struct {
	Outcome Outcome
	// RecoveryTime is how long after the trigger ended the run was healthy
	// again: measured for Recovered, expected for Recovering.
	RecoveryTime time.Duration
	// Remaining, for Recovering, is the expected time after the end of the
	// run until the backlog is served: Backlog / -Drift.
	Remaining time.Duration
	// Backlog and Drift, when the loop was judged (Recovering, Metastable,
	// and Overloaded or Inconclusive after the trigger): the requests held
	// by the server at the end, queued and in service, and the backlog's
	// mean change per second over the tail of the run (negative: draining).
	Backlog int64
	Drift   float64
	Reason  string
}

func (v Verdict) String() string { return v.Outcome.String() + ": " + v.Reason }

// Markdown is the verdict as a notebook shows it: the outcome in bold.
func (v Verdict) Markdown() string { return "**" + v.Outcome.String() + "**: " + v.Reason }

// Verdict judges the run by the rules documented on Outcome and in the
// package doc.
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
	judged := time.Duration(n) * w
	switch {
	case lastBad < 0 && trig:
		return Verdict{Outcome: Stable, Reason: fmt.Sprintf("at least %.0f%% of requests were answered in time in every window, through the trigger (%v to %v).",
			100*c.HealthyShare, from, to)}
	case lastBad < 0:
		return Verdict{Outcome: Stable, Reason: fmt.Sprintf("at least %.0f%% of requests were answered in time in every window.", 100*c.HealthyShare)}
	case lastBad < n-1:
		return r.recovered(lastBad, bad)
	case !trig:
		return Verdict{Outcome: Overloaded, Reason: fmt.Sprintf("with no trigger, only %s of requests were answered in time in the last judged window: the load itself is more than the server takes.", r.share(n-1))}
	case before >= 0 && before < n && !r.healthy(before):
		return Verdict{Outcome: Overloaded, Reason: fmt.Sprintf("already degraded before the trigger began at %v (%s answered in time in the window before it), and still at the end: the load or the configuration itself does not work, with or without the trigger.",
			from, r.share(before))}
	case judged-to >= c.SettleTime:
		if l, ok := r.loop(to); ok {
			return r.judgeLoop(l, to, judged-to)
		}
		return Verdict{Outcome: Inconclusive, Reason: fmt.Sprintf("still degraded %v after the trigger ended at %v, but the rest of the run holds fewer than %d whole %v windows to measure its backlog in; run longer or use a shorter Window.",
			judged-to, to, tail.MinWindows, w)}
	}
	return Verdict{Outcome: Inconclusive, Reason: fmt.Sprintf("still degraded at %v, only %v after the trigger ended (SettleTime=%v); run longer.",
		judged, max(0, judged-to), c.SettleTime)}
}

// recovered is the verdict of a run healthy from window lastBad+1 to the end.
func (r *Result) recovered(lastBad, bad int) Verdict {
	healed := time.Duration(lastBad+1) * r.Config.Window
	from, to, trig := r.Config.trigger()
	if !trig {
		return Verdict{Outcome: Recovered, Reason: fmt.Sprintf("with no trigger, %d windows were degraded, the last ending at %v; every window after was healthy.", bad, healed)}
	}
	rec := max(0, healed-to)
	if rec == 0 {
		return Verdict{Outcome: Recovered, Reason: fmt.Sprintf("degraded only during the trigger (%v to %v); healthy again as soon as it ended.", from, to)}
	}
	return Verdict{Outcome: Recovered, RecoveryTime: rec, Reason: fmt.Sprintf("healthy again %v after the trigger ended at %v, and stayed so (%d degraded windows).", rec, to, bad)}
}

// judgeLoop tells a draining backlog (Recovering) from one the load alone
// sustains (Overloaded) and one the retries sustain (Metastable); a run
// at the edge, where neither shows beyond chance, is Inconclusive.
func (r *Result) judgeLoop(l loop, to, since time.Duration) Verdict {
	v := Verdict{Backlog: l.backlog, Drift: l.Drift}
	still := fmt.Sprintf("the trigger ended at %v; %v later %s of requests were answered in time", to, since, r.share(r.judged()-1))
	loopText := fmt.Sprintf("from %v to %v, %.1f requests/s made %.1f attempts/s (%s) against %.1f/s finished",
		l.From, l.To, l.offered, l.attempts, times(l.attempts/l.offered), l.served)
	switch {
	case l.Draining():
		v.Outcome, v.Remaining = Recovering, l.remaining
		v.RecoveryTime = r.Config.Duration + l.remaining - to
		v.Reason = fmt.Sprintf("%s, but the backlog is draining: %s, and the backlog fell by %.1f/s to %d. Expected healthy again in about %v, %v after the trigger ended; run longer to see it.",
			still, loopText, -l.Drift, l.backlog, l.remaining, v.RecoveryTime)
		if l.backlog == 0 {
			v.Reason = fmt.Sprintf("%s, but the backlog drained: %s, and the backlog fell by %.1f/s until it was served, by the end of the run, %v after the trigger ended; run longer to see the windows after it healthy.",
				still, loopText, -l.Drift, v.RecoveryTime)
		}
	case l.overloaded():
		v.Outcome = Overloaded
		v.Reason = fmt.Sprintf("%s: %s. The new requests alone are more than the %.1f/s the server can finish, retries or not.", still, loopText, l.capacity)
	case l.sustained():
		v.Outcome = Metastable
		v.Reason = fmt.Sprintf("%s, and the loop sustains itself: %s, and %s. The load alone is under the %.1f/s the server can finish: retries and leftover work keep it overloaded.",
			still, loopText, l.moved(), l.capacity)
	default:
		v.Outcome = Inconclusive
		v.Reason = fmt.Sprintf("%s, and the run is at the edge: %s, and the backlog of %d moved by %+.1f/s, within chance of zero. Run longer to tell whether it drains.",
			still, loopText, l.backlog, l.Drift)
	}
	return v
}

// moved says how a sustained backlog moved: "the backlog grew by 9.1/s to
// 2016", or "the backlog held at 91 (+0.1/s): the 9.1 attempts/s more than
// the server finished were turned away or dropped".
func (l loop) moved() string {
	if l.Growing() {
		return fmt.Sprintf("the backlog grew by %.1f/s to %d", l.Drift, l.backlog)
	}
	return fmt.Sprintf("the backlog held at %d (%+.1f/s): the %.1f attempts/s more than the server finished were turned away or dropped",
		l.backlog, l.Drift, l.Surplus)
}

// share is the share of window i's requests answered in time, as text.
func (r *Result) share(i int) string {
	return fmt.Sprintf("%.0f%%", 100*ratio(r.succeededBy[i], r.offeredBy[i]))
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
