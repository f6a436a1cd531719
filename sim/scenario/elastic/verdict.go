package elastic

import (
	"fmt"
	"strings"
	"time"

	"dsim/sim/metrics"
	"dsim/sim/service"
)

// Outcome is how the capacity followed the load.
type Outcome int

const (
	// Absorbed: every window's p99 met the SLO and nothing was throttled:
	// capacity kept up with the load.
	Absorbed Outcome = iota
	// Lagged: some window's p99 missed the SLO: capacity came too late
	// (a spike faster than the warm-up, cold starts) or stopped at Max.
	Lagged
	// Oscillating: the group scaled out and in again and again (three
	// reversals or more) under a load that did not ask for it.
	Oscillating
	// Throttled: the platform's concurrency limit refused requests: the
	// demand outgrew the burst and its growth so far, or the reserve.
	Throttled
	// Starved: the neighbouring function was throttled while this one's
	// reserved concurrency sat partly idle.
	Starved
)

func (o Outcome) String() string {
	return [...]string{"Absorbed", "Lagged", "Oscillating", "Throttled", "Starved"}[o]
}

// Outcomes lists the outcomes, for sweeps and checks.
func Outcomes() []Outcome { return []Outcome{Absorbed, Lagged, Oscillating, Throttled, Starved} }

// Verdict is the run's outcome with its explanation.
type Verdict struct {
	Outcome     Outcome
	SlowWindows int           // windows whose p99 missed the SLO
	Worst       time.Duration // the worst window's p99
	P99         time.Duration
	Reversals   int64
	Throttled   int64 // this function's requests throttled
	Dollars     float64
	Reason      string
}

func (v Verdict) String() string { return v.Outcome.String() + ": " + v.Reason }

// Markdown is the verdict for a notebook.
func (v Verdict) Markdown() string { return "**" + v.Outcome.String() + ":** " + v.Reason }

// Verdict judges the run: throttling first (the neighbour's, then its
// own), then oscillation, then the SLO.
func (r *Result) Verdict() Verdict {
	c := r.Config
	n, worst, at := r.SlowWindows()
	v := Verdict{SlowWindows: n, Worst: short(worst), P99: short(r.P99()), Throttled: r.Failed, Dollars: r.Dollars()}
	if r.Group != nil {
		v.Reversals = r.Group.Reversals
	}
	var parts []string
	nb := r.Neighbour
	switch {
	case nb != nil && nb.Throttled > 0 && c.Reserved > 0 && r.Fn.Concurrency.Max() < float64(c.Reserved):
		v.Outcome = Starved
		parts = append(parts, fmt.Sprintf("the neighbour had %d throttled (%v of its calls): the %d reserved for this function are set aside, though it never ran more than %.0f at once",
			nb.Throttled, metrics.Pct(metrics.Ratio(nb.Throttled, nb.Calls)), c.Reserved, r.Fn.Concurrency.Max()))
	case r.Failed > 0:
		v.Outcome = Throttled
		parts = append(parts, fmt.Sprintf("%d requests (%v) were throttled from %v: the calls asked at once outgrew the platform's limit (burst %d, +%d a minute)",
			r.Failed, metrics.Pct(r.ThrottledShare()), r.Fn.FirstThrottle.Round(time.Second), c.Burst, c.Growth))
	case v.Reversals >= oscillating:
		v.Outcome = Oscillating
		why := fmt.Sprintf("each launch served only after its %v warm-up, and the scaler, with a %v cooldown, decided again on utilisation read before it", c.Warmup, c.Cooldown)
		if c.Policy == service.TargetTracking {
			why = fmt.Sprintf("with a %v cooldown the scaler acted on every reading, and readings swung across the band's edges", c.Cooldown)
		}
		parts = append(parts, fmt.Sprintf("the group reversed %d times (%d launched, %d terminated): %s",
			v.Reversals, r.Group.Launches, r.Group.Terminations, why))
	case n > 0:
		v.Outcome = Lagged
		parts = append(parts, fmt.Sprintf("%d windows missed the p99 SLO of %v, the worst %v at %v", n, c.SLO, v.Worst, at.Round(time.Second)))
	default:
		v.Outcome = Absorbed
		parts = append(parts, fmt.Sprintf("every window met the p99 SLO of %v (the worst %v)", c.SLO, v.Worst))
	}
	parts = append(parts, fmt.Sprintf("p99 %v over the run", v.P99))
	if r.Group != nil {
		parts = append(parts, fmt.Sprintf("%.2f instance-hours, $%.3f (a fixed group of %d for the peak: $%.3f)", r.InstanceHours, v.Dollars, r.PeakNeeded(), r.FixedDollars()))
	} else {
		parts = append(parts, fmt.Sprintf("%v of the calls started cold; $%.4f", metrics.Pct(r.Fn.ColdShare()), v.Dollars))
	}
	v.Reason = strings.Join(parts, "; ")
	return v
}
