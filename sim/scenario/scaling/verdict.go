package scaling

import (
	"fmt"
	"time"

	"dsim/sim/metrics"
)

// Outcome is where the largest population or parallelism of a run stands.
type Outcome int

const (
	// BelowKnee: the users experiment's largest population is below the
	// knee N*: users mostly wait on themselves (their think time), and
	// throughput still grows about in proportion to them.
	BelowKnee Outcome = iota
	// PastKnee: the largest population is at or past the knee: the
	// bottleneck station is nearly always busy, throughput is pinned near
	// 1/D_max, and each user added adds about D_max to everyone's
	// response time.
	PastKnee
	// Scales: the threads' throughput at the largest p is at least 80% of
	// p times one thread's: the lock is seldom in the way.
	Scales
	// Contended: throughput levels off below linear and stays within 10%
	// of its highest: the lock serialises the threads (Amdahl).
	Contended
	// Retrograde: throughput at the largest p is more than 10% below its
	// highest: adding threads lowered it (the coherency cost of the USL).
	Retrograde
)

// Thresholds of the threads outcomes: the share of linear scaling called
// scaling, and the fall from the peak called retrograde.
const (
	linearShare = 0.8
	retrograde  = 0.9
)

func (o Outcome) String() string {
	return [...]string{"BelowKnee", "PastKnee", "Scales", "Contended", "Retrograde"}[o]
}

// Outcomes lists the outcomes, for sweeps and checks.
func Outcomes() []Outcome { return []Outcome{BelowKnee, PastKnee, Scales, Contended, Retrograde} }

// Verdict is the run's outcome with its explanation.
type Verdict struct {
	Outcome Outcome
	// N is the largest population or parallelism, X its throughput per
	// second and R its mean response time.
	N      int
	X      float64
	R      time.Duration
	Reason string
}

func (v Verdict) String() string { return v.Outcome.String() + ": " + v.Reason }

// Markdown is the verdict for a notebook.
func (v Verdict) Markdown() string { return "**" + v.Outcome.String() + ":** " + v.Reason }

// Verdict judges the run by its largest population or parallelism.
func (r *Result) Verdict() Verdict {
	last := r.Last()
	v := Verdict{N: last.N, X: last.X, R: short(last.R)}
	if r.Config.Experiment == Threads {
		return r.threadsVerdict(v)
	}
	knee, neck := r.Knee()
	net := r.Config.Network()
	b := net.Bottleneck()
	dmax := net.Stations[b].Demand
	if float64(last.N) < knee {
		v.Outcome = BelowKnee
		bound, _ := net.Bounds(last.N)
		v.Reason = fmt.Sprintf("%d users are below the knee N* = %.1f: they mostly think, throughput %.2f/s is %v of the bound N/(D+Z) = %.2f/s, and the response time is %v against the demand D = %v, what it would be with no queueing",
			last.N, knee, last.X, metrics.Pct(last.X/bound), bound, v.R, short(net.Demand()))
		return v
	}
	v.Outcome = PastKnee
	slope := r.slope()
	v.Reason = fmt.Sprintf("%d users are %.1f× the knee N* = %.1f: the %s is %v busy and pins throughput at %.2f/s (1/D_max = %.2f/s); each user added adds about %v to the response time (D_max = %v), now %v (MVA %v, N/X − Z %v)",
		last.N, float64(last.N)/knee, knee, neck, metrics.Pct(last.Busy[b]), last.X, 1/dmax.Seconds(), short(slope), dmax, v.R, short(last.MVA.R), short(last.Law()))
	return v
}

// slope is the response time added per user between the last two points.
func (r *Result) slope() time.Duration {
	n := len(r.Points)
	if n < 2 {
		return 0
	}
	a, b := r.Points[n-2], r.Points[n-1]
	return (b.R - a.R) / time.Duration(b.N-a.N)
}

func (r *Result) threadsVerdict(v Verdict) Verdict {
	peak, x1 := r.Peak(), r.Points[0].X
	fits := fmt.Sprintf("the lock's share of the work is %.3f; fitted %v and %v", r.LockShare(), r.Amdahl, r.USL)
	switch {
	case v.X >= linearShare*float64(v.N)*x1:
		v.Outcome = Scales
		v.Reason = fmt.Sprintf("%d threads serve %.1f/s, %v of %d × one thread's %.2f/s; %s", v.N, v.X, metrics.Pct(v.X/(float64(v.N)*x1)), v.N, x1, fits)
	case v.X >= retrograde*peak.X:
		v.Outcome = Contended
		v.Reason = fmt.Sprintf("%d threads serve %.1f/s, %.1f× one thread and no more than the lock allows (busy %v, 1/L = %.1f/s); %s",
			v.N, v.X, v.X/x1, metrics.Pct(r.Last().Busy[0]), 1/r.Config.Lock.Mean(), fits)
	default:
		v.Outcome = Retrograde
		v.Reason = fmt.Sprintf("throughput peaked at %.1f/s with %d threads and fell to %.1f/s with %d: each hold of the lock grew by %v per other thread; %s (USL peak at p = %.0f)",
			peak.X, peak.N, v.X, v.N, r.Config.Coherency, fits, r.USL.Peak())
	}
	return v
}
