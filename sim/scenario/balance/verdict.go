package balance

import (
	"fmt"
	"math"
	"strings"
	"time"

	"dsim/sim/metrics"
)

// Outcome is how well the balancer spread the load.
type Outcome int

const (
	// Balanced: every server kept up (no queue reached 50 calls per slot)
	// and the busiest took at most 1.25 times an even share of the calls.
	Balanced Outcome = iota
	// Uneven: every server kept up, but the busiest took more than 1.25
	// times an even share: keys or sessions piled onto it, or the others
	// took a slow or departed server's share.
	Uneven
	// Overloaded: some server fell behind: its queue reached 50 calls per
	// slot, so a request there waited 50 service times or more (a slow
	// server sent its share, a herd on stale load, a hot session).
	Overloaded
)

func (o Outcome) String() string { return [...]string{"Balanced", "Uneven", "Overloaded"}[o] }

// Outcomes lists the outcomes, for sweeps and checks.
func Outcomes() []Outcome { return []Outcome{Balanced, Uneven, Overloaded} }

// Verdict is the run's outcome with its explanation.
type Verdict struct {
	Outcome Outcome
	// Busiest is the busiest server's calls over an even share; MaxQueue
	// the longest queue any server had, at Longest.
	Busiest  float64
	MaxQueue int
	Longest  string
	P99      time.Duration
	Reason   string
}

func (v Verdict) String() string { return v.Outcome.String() + ": " + v.Reason }

// Markdown is the verdict for a notebook.
func (v Verdict) Markdown() string { return "**" + v.Outcome.String() + ":** " + v.Reason }

// Verdict judges the run by its servers' queues and shares.
func (r *Result) Verdict() Verdict {
	c := r.Config
	b, l := r.Busiest(), r.Longest()
	v := Verdict{Busiest: r.Share(b), MaxQueue: r.Servers[l].MaxQueue, Longest: r.Servers[l].Name,
		P99: short(r.Latency.Quantile(0.99).Duration())}
	var parts []string
	switch {
	case v.MaxQueue >= backlog*c.Slots:
		v.Outcome = Overloaded
		parts = append(parts, fmt.Sprintf("%s fell behind: its queue reached %d calls (%d service times of waiting)", v.Longest, v.MaxQueue, v.MaxQueue/c.Slots))
	case v.Busiest > unevenShare:
		v.Outcome = Uneven
		parts = append(parts, fmt.Sprintf("%s took %.2f× an even share of the calls; the longest queue was %d", r.Servers[b].Name, v.Busiest, v.MaxQueue))
	default:
		v.Outcome = Balanced
		parts = append(parts, fmt.Sprintf("every server kept up (longest queue %d) and the busiest took %.2f× an even share", v.MaxQueue, v.Busiest))
	}
	parts = append(parts, fmt.Sprintf("%s: time in system %v on average, p99 %v", r.policyText(), short(r.Latency.Mean().Duration()), v.P99))
	if c.SlowFactor > 0 {
		who := fmt.Sprintf("the %d servers %g× slower", c.SlowServers, c.SlowFactor)
		if c.SlowServers == 1 {
			who = fmt.Sprintf("s1, %g× slower,", c.SlowFactor)
		}
		parts = append(parts, fmt.Sprintf("%s took %v of the calls", who, metrics.Pct(r.slowShare())))
	}
	if m, ring := r.KeysMoved(); !math.IsNaN(m) {
		parts = append(parts, fmt.Sprintf("when s%d left, %v of the keys moved (its share of the ring: about %v; modulo hashing would move %v)",
			c.Servers, metrics.Pct(m), metrics.Pct(ring), metrics.Pct(ModuloMoved(c.Servers))))
	}
	if r.Failed > 0 {
		parts = append(parts, fmt.Sprintf("%d requests failed with the server that left", r.Failed))
	}
	v.Reason = strings.Join(parts, "; ")
	return v
}

// short rounds d to about four significant digits, so that sentences
// read 3.265s and 534.5ms rather than 3.264656s.
func short(d time.Duration) time.Duration {
	unit := time.Duration(1)
	for x := d; x >= 10_000; x /= 10 {
		unit *= 10
	}
	return d.Round(unit)
}
