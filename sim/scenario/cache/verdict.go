package cache

import (
	"dsim/sim/scenario/internal/show"
	"dsim/sim/scenario/internal/tail"
	"fmt"
	"time"
)

// Outcome is the kind of verdict.
type Outcome int

// The verdicts. A window of the run is healthy when at least HealthyShare
// of the requests offered in it were answered in time; only windows whose
// requests had their whole patience (every timeout and backoff) before
// the end are judged. A run still degraded SettleTime after the flush is
// judged by its feedback loop over the rest of the run (doc.go, "The
// verdict").
const (
	// Stable: every judged window was healthy, through the flush too.
	Stable Outcome = iota
	// Degraded: with no flush, some windows were degraded (a stampede on
	// an expiring key, say) but not the end of the run.
	Degraded
	// Recovered: degraded after the flush, healthy again from some point
	// to the end. RecoveryTime is how long after the flush.
	Recovered
	// Recovering: still degraded at the end, but the database's backlog
	// is draining beyond chance.
	Recovering
	// Metastable: still degraded at the end, SettleTime or more after the
	// flush, though the database could serve the misses of the cache as
	// warm as it was before it; and the loop sustains itself: the
	// database's backlog grows, or it is sent more than it finishes,
	// beyond chance.
	Metastable
	// Overloaded: degraded at the end, with no flush, or already before
	// it, or with more misses than the database can serve even at the
	// hit ratio the cache had before the flush.
	Overloaded
	// Inconclusive: the run is too short to judge, or at the edge.
	Inconclusive
)

func (o Outcome) String() string {
	return [...]string{"Stable", "Degraded", "Recovered", "Recovering", "Metastable", "Overloaded", "Inconclusive"}[o]
}

// Verdict is the run's outcome with a one-sentence explanation.
type Verdict struct {
	Outcome Outcome
	// RecoveryTime is how long after the flush the run was healthy again
	// (Recovered), or is expected to be (Recovering).
	RecoveryTime time.Duration
	// Degraded counts the degraded windows among Judged.
	Degraded, Judged int
	Reason           string
}

func (v Verdict) String() string { return v.Outcome.String() + ": " + v.Reason }

// Markdown is the verdict as a notebook shows it: the outcome in bold.
func (v Verdict) Markdown() string { return "**" + v.Outcome.String() + "**: " + v.Reason }

// Verdict judges the run by the rules documented on Outcome and in the
// package doc.
func (r *Result) Verdict() Verdict {
	c := r.Config
	n := r.judged()
	if n == 0 {
		return Verdict{Outcome: Inconclusive, Reason: fmt.Sprintf("a request can take %v (timeouts and backoffs), so a %v run leaves no window to judge; run longer.",
			c.patience(), c.Duration)}
	}
	v := Verdict{Judged: n}
	lastBad, worst := -1, 0
	for i := 0; i < n; i++ {
		if !r.healthy(i) {
			lastBad = i
			v.Degraded++
			if r.share(i) < r.share(worst) || r.healthy(worst) {
				worst = i
			}
		}
	}
	cacheText := r.cacheText()
	w := c.Window
	switch {
	case lastBad < 0:
		v.Outcome = Stable
		v.Reason = fmt.Sprintf("at least %.0f%% of requests were answered in time in every window; %s", 100*c.HealthyShare, cacheText)
		if c.flushed() {
			v.Reason = fmt.Sprintf("at least %.0f%% of requests were answered in time in every window, through the flush at %v; %s", 100*c.HealthyShare, c.FlushAt, cacheText)
		}
		return v
	case !c.flushed() && lastBad < n-1:
		v.Outcome = Degraded
		v.Reason = fmt.Sprintf("%d of %d windows were degraded, the worst at %v with %s of its requests answered in time; the last was healthy. %s",
			v.Degraded, n, time.Duration(worst)*w, show.Percent(r.share(worst)), cacheText)
		return v
	case !c.flushed():
		v.Outcome = Overloaded
		v.Reason = fmt.Sprintf("with no flush, only %s of requests were answered in time in the last judged window: the database cannot serve this load through this cache. %s",
			show.Percent(r.share(n-1)), cacheText)
		return v
	}
	before := int(c.FlushAt/w) - 1
	switch {
	case before >= 0 && before < n && !r.healthy(before):
		v.Outcome = Overloaded
		v.Reason = fmt.Sprintf("already degraded before the flush at %v (%s answered in time in the window before it): the load or the configuration does not work, flush or not.",
			c.FlushAt, show.Percent(r.share(before)))
		return v
	case lastBad < n-1:
		healed := time.Duration(lastBad+1) * w
		v.Outcome, v.RecoveryTime = Recovered, max(0, healed-c.FlushAt)
		v.Reason = fmt.Sprintf("the flush at %v degraded %d windows; healthy again %v after it, and stayed so; %s", c.FlushAt, v.Degraded, v.RecoveryTime, cacheText)
		return v
	}
	judged := time.Duration(n) * w
	if judged-c.FlushAt < c.SettleTime {
		v.Outcome = Inconclusive
		v.Reason = fmt.Sprintf("still degraded at %v, only %v after the flush (SettleTime=%v); run longer.", judged, judged-c.FlushAt, c.SettleTime)
		return v
	}
	l, ok := r.loop()
	if !ok {
		v.Outcome = Inconclusive
		v.Reason = fmt.Sprintf("still degraded %v after the flush at %v, but the rest of the run holds fewer than %d whole %v windows to measure its loop in; run longer.",
			judged-c.FlushAt, c.FlushAt, tail.MinWindows, w)
		return v
	}
	return r.judgeLoop(v, l)
}

// judgeLoop tells a draining backlog (Recovering) from a cache too small
// for the database even warm (Overloaded) and a loop that sustains itself
// (Metastable); a run at the edge is Inconclusive.
func (r *Result) judgeLoop(v Verdict, l loop) Verdict {
	c := r.Config
	still := fmt.Sprintf("the cache was flushed at %v; at the end %s of requests were answered in time", c.FlushAt, show.Percent(r.share(r.judged()-1)))
	state := fmt.Sprintf("from %v to %v the hit ratio was %s (%s before the flush), and the clients made %.0f attempts/s for %.0f requests/s; the database was sent %.0f queries/s and finished %.0f/s",
		l.From, l.To, show.Percent(l.hit), show.Percent(l.warm), l.attempts, l.offered, l.dbIn, l.dbOut)
	switch {
	case l.Draining():
		v.Outcome = Recovering
		v.RecoveryTime = r.End - c.FlushAt + l.remaining
		v.Reason = fmt.Sprintf("%s, but the database's backlog is draining: %s, and its backlog fell by %.0f/s to %d. Expected healthy again about %v after the flush; run longer to see it.",
			still, state, -l.Drift, l.backlog, v.RecoveryTime)
	case l.overloaded():
		v.Outcome = Overloaded
		v.Reason = fmt.Sprintf("%s: %s. Even at the hit ratio it had before the flush, the cache would send the database %.0f misses/s, more than the %.0f/s it can finish.",
			still, state, l.warmLoad, l.capacity)
	case l.sustained():
		v.Outcome = Metastable
		v.Reason = fmt.Sprintf("%s, and the loop sustains itself: %s, and %s. The cache as warm as before the flush would send it only %.0f misses/s, under the %.0f/s it can finish: %s",
			still, state, l.moved(), l.warmLoad, l.capacity, r.loopCause(l))
	default:
		v.Outcome = Inconclusive
		v.Reason = fmt.Sprintf("%s, and the run is at the edge: %s, and the database's backlog of %d moved by %+.0f/s, within chance of zero. Run longer to tell whether it drains.",
			still, state, l.backlog, l.Drift)
	}
	return v
}

// loopCause names what keeps the cache cold and the database overloaded.
func (r *Result) loopCause(l loop) string {
	c := r.Config
	var parts []string
	if c.LookAside && r.Unfilled > 0 {
		parts = append(parts, fmt.Sprintf("the database's answers come after the clients gave up, and a look-aside cache is filled only by a client still waiting (%d answers filled nothing)", r.Unfilled))
	}
	if l.attempts > 1.05*l.offered {
		parts = append(parts, fmt.Sprintf("every timeout comes back as a retry (%.1f attempts per request)", l.attempts/l.offered))
	}
	if len(parts) == 0 {
		return "the backlog left by the flush keeps every answer late."
	}
	s := parts[0]
	for _, p := range parts[1:] {
		s += "; and " + p
	}
	return s + "."
}

// cacheText is what the cache did, for the verdict's sentence.
func (r *Result) cacheText() string {
	c := r.Config
	s := fmt.Sprintf("steady hit ratio %.1f%%", 100*r.SteadyHitRatio())
	if r.CheApplies() {
		s += fmt.Sprintf(" (Che's approximation: %.1f%%)", 100*r.Che.HitRatio)
	}
	if r.Writes > 0 {
		s += fmt.Sprintf(", %s of hits stale", show.Percent(r.StaleShare()))
	}
	if c.TTL > 0 {
		s += fmt.Sprintf(", database peak %.0f queries/s against %.0f/s on average", r.PeakDBRate(), r.Series.DBArrived.Mean())
	}
	return s + "."
}

// share is the share of window i's requests answered in time.
func (r *Result) share(i int) float64 { return show.Ratio(r.answeredBy[i], r.offeredBy[i]) }

// judged is the number of windows the verdict judges: those whose
// requests had their whole patience before the end of the run.
func (r *Result) judged() int {
	end := r.End - r.Config.patience()
	n := 0
	for n < len(r.offeredBy) && time.Duration(n+1)*r.Config.Window <= end {
		n++
	}
	return n
}

func (r *Result) healthy(i int) bool {
	return r.offeredBy[i] == 0 || float64(r.answeredBy[i]) >= r.Config.HealthyShare*float64(r.offeredBy[i])
}
