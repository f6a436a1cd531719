package scaling

import (
	"fmt"
	"math"
	"time"

	"dsim/sim/metrics"
	"dsim/sim/theory/mva"
)

// Result is what a run produced: one Point per population (users) or
// parallelism (threads), and for threads the two laws fitted to them.
type Result struct {
	Config Config // with defaults filled in
	Points []Point
	// Amdahl and USL are the laws fitted to the threads experiment's
	// throughput (zero for the users experiment).
	Amdahl, USL Fit
	Events      int64 // events the engine ran, over every point
}

// Point is one population or parallelism: the simulation and exact MVA.
type Point struct {
	// N is the users, or the threads p.
	N int
	// X is the measured throughput, answers per second over the run after
	// its first think time; R the mean response time, from a request's
	// send to its answer, think time excluded.
	X float64
	R time.Duration
	// Think is the mean think time Z (the threads' own work).
	Think time.Duration
	// Busy is each station's measured utilisation (web, database, disk;
	// or the lock).
	Busy []float64
	// MVA is exact Mean Value Analysis of the same network.
	MVA    mva.Point
	events int64
}

// Law is the response time by the interactive response-time law from the
// measured throughput, R = N/X − Z.
func (p Point) Law() time.Duration {
	if !(p.X > 0) {
		return 0
	}
	return time.Duration((float64(p.N)/p.X - p.Think.Seconds()) * float64(time.Second))
}

// OffX, OffR and OffLaw are the simulation's throughput and response
// time against MVA's, and its response time against the law's, as
// relative differences (+0.01 is 1% above).
func (p Point) OffX() float64   { return p.X/p.MVA.X - 1 }
func (p Point) OffR() float64   { return p.R.Seconds()/p.MVA.R.Seconds() - 1 }
func (p Point) OffLaw() float64 { return p.R.Seconds()/p.Law().Seconds() - 1 }

// Last is the point of the largest population or parallelism.
func (r *Result) Last() Point { return r.Points[len(r.Points)-1] }

// Worst is the largest of |OffX|, |OffR| (against MVA) and |OffLaw| over
// the points.
func (r *Result) Worst() (x, resp, law float64) {
	for _, p := range r.Points {
		x, resp, law = max(x, math.Abs(p.OffX())), max(resp, math.Abs(p.OffR())), max(law, math.Abs(p.OffLaw()))
	}
	return x, resp, law
}

// Knee is N* = (D+Z)/D_max of the users experiment's network, and the
// bottleneck station's name.
func (r *Result) Knee() (float64, string) {
	net := r.Config.Network()
	return net.Knee(), net.Stations[net.Bottleneck()].Name
}

// LockShare is the share of a request's work spent holding the lock at
// one thread, L/(W+L): the serial fraction Amdahl's σ should find.
func (r *Result) LockShare() float64 {
	w, l := r.Config.Work.Mean(), r.Config.Lock.Mean()
	return l / (w + l)
}

// Peak is the point of highest measured throughput.
func (r *Result) Peak() Point {
	best := r.Points[0]
	for _, p := range r.Points {
		if p.X > best.X {
			best = p
		}
	}
	return best
}

// Summary is the table of headline numbers.
func (r *Result) Summary() *metrics.Table {
	c := r.Config
	if c.Experiment == Threads {
		t := metrics.NewTable(fmt.Sprintf("Scaling: up to %d threads sharing a lock (seed %d)", c.Threads, c.Seed), "p", "X (/s)", "MVA X (/s)", "R", "lock busy", "Amdahl X", "USL X")
		for _, p := range r.Points {
			t.Add(p.N, round(p.X), round(p.MVA.X), short(p.R), metrics.Pct(p.Busy[0]), round(r.Amdahl.At(float64(p.N))), round(r.USL.At(float64(p.N))))
		}
		t.Note("lock's share of the work %.3f; fitted %v; %v", r.LockShare(), r.Amdahl, r.USL)
		t.Note("%v", r.Verdict())
		return t
	}
	knee, neck := r.Knee()
	t := metrics.NewTable(fmt.Sprintf("Scaling: up to %d users, think %v (seed %d)", c.Users, c.Think, c.Seed),
		"N", "X (/s)", "MVA X (/s)", "R", "MVA R", "N/X − Z", "web busy", "database busy", "disk busy")
	for _, p := range r.Points {
		t.Add(p.N, round(p.X), round(p.MVA.X), short(p.R), short(p.MVA.R), short(p.Law()),
			metrics.Pct(p.Busy[0]), metrics.Pct(p.Busy[1]), metrics.Pct(p.Busy[2]))
	}
	x, resp, law := r.Worst()
	t.Note("knee N* = %.1f (bottleneck: %s); simulation against MVA at most %.1f%% off in X, %.1f%% in R; R against N/X − Z at most %.2f%% off",
		knee, neck, 100*x, 100*resp, 100*law)
	t.Note("%v", r.Verdict())
	return t
}

func round(x float64) float64 { return math.Round(x*1000) / 1000 }

// short rounds d to about four significant digits, so that sentences
// read 1.425s and 534.5ms rather than 1.424656s.
func short(d time.Duration) time.Duration {
	unit := time.Duration(1)
	for x := d; x >= 10_000; x /= 10 {
		unit *= 10
	}
	return d.Round(unit)
}
