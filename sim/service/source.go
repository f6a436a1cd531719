package service

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"dsim/sim"
	"dsim/sim/metrics"
)

// Pattern is the shape of an open-loop load over the run.
type Pattern string

// The load patterns. Rate is the base; Peak the rate at the top.
const (
	Constant   Pattern = "constant"     // Rate throughout
	Ramp       Pattern = "ramp"         // from Rate rising linearly to Peak over Window, then Rate again
	RampUpDown Pattern = "ramp-up-down" // up to Peak at the middle of Window, back to Rate at its end
	Spike      Pattern = "spike"        // Peak in Window, Rate outside
	Diurnal    Pattern = "diurnal"      // a cosine day between Rate and Peak, Period long
	Bursty     Pattern = "bursty"       // random bursts at Peak, exponential lengths of mean BurstMean, calm spells four times as long
	Stepped    Pattern = "schedule"     // Rate until the first of Schedule's steps, then each step's rate
)

// Patterns lists the load patterns.
func Patterns() []Pattern {
	return []Pattern{Constant, Ramp, RampUpDown, Spike, Diurnal, Bursty, Stepped}
}

// Step is one piece of a Schedule: from At on, Rate requests per second.
type Step struct {
	At   time.Duration
	Rate float64
}

// Limits of a load.
const (
	MaxRate   = 1e12 // requests per second
	MaxSteps  = 10_000
	maxBursts = 100_000 // expected bursts of a run; the draw stops at ten times that
)

// Source is an open-loop load: requests arrive as a Poisson process whose
// rate follows Pattern, whatever becomes of the earlier ones, as users of
// a public service do. It sends each request to Target and counts the
// answers. Varying rates are drawn by thinning (Lewis and Shedler, 1979):
// candidates come at the peak rate and each is kept with probability
// rate(t)/peak, so arrivals are Poisson at every instant.
//
// Random streams: NAME/arrivals, NAME/thinning (varying patterns),
// NAME/bursts (Bursty), NAME/keys (Keys.N > 1), NAME/writes (Writes > 0).
type Source struct {
	Name   string
	Target string  // the component every request goes to
	Rate   float64 // requests per second: the base rate
	// Pattern shapes the rate over the run; "" is Constant.
	Pattern Pattern
	// Peak is the rate at the top of a ramp, spike, day or burst.
	Peak float64
	// Window places a Ramp, RampUpDown or Spike. A zero Duration lasts
	// to the end of the run.
	Window sim.Window
	// Period is a Diurnal day's length; zero means the run's Duration.
	Period time.Duration
	// BurstMean is a Bursty burst's mean length; zero means Duration/30.
	BurstMean time.Duration
	// Schedule is the Stepped pattern's steps, in increasing time order.
	Schedule []Step
	// Keys is the popularity of the keys requests ask for.
	Keys Keys
	// Writes is the share of requests that are writes, 0 to 1.
	Writes float64

	SourceStats
	part
	arrivals, thin, keyR, writeR *rand.Rand
	keys                         *sampler
	target                       node
	peak                         float64
	from, to, end                sim.Time // the window, the run's end
	period                       float64  // seconds
	step                         int      // cursors: candidates come in time order
	burst                        int
	bursts                       []sim.Window
	arrive                       func()
}

// SourceStats is what a Source measured.
type SourceStats struct {
	Offered  *metrics.Rate // requests sent, per window
	Answered int64         // requests answered with success
	Failed   int64         // requests that ended otherwise
}

func (*Source) Kind() string                { return "Source" }
func (s *Source) ID() string                { return s.Name }
func (s *Source) wiredTo() (string, string) { return "Target", s.Target }
func (s *Source) targets() []string         { return []string{s.Target} }

func (s *Source) validate() error {
	run := s.sys.cfg.withDefaults().Duration
	p := s.pattern()
	switch {
	case !slices.Contains(Patterns(), p):
		return bad(s, "Pattern", p, fmt.Sprintf("want one of %v", Patterns()))
	case !(s.Rate >= 0 && s.Rate <= MaxRate):
		return bad(s, "Rate", s.Rate, fmt.Sprintf("must be between 0 and %g requests per second", MaxRate))
	case !(s.Peak >= 0 && s.Peak <= MaxRate):
		return bad(s, "Peak", s.Peak, fmt.Sprintf("must be between 0 and %g requests per second", MaxRate))
	case s.Window.Start < 0 || s.Window.Duration < 0:
		return bad(s, "Window", s.Window, "must not be negative")
	case s.Window.Start >= run && (p == Ramp || p == RampUpDown || p == Spike):
		return bad(s, "Window.Start", s.Window.Start, fmt.Sprintf("must lie inside the run (Duration=%v)", run))
	case s.Period < 0 || s.Period > 0 && s.Period < time.Millisecond:
		return bad(s, "Period", s.Period, "must be at least 1ms")
	case s.BurstMean < 0 || s.BurstMean > 0 && s.BurstMean < time.Microsecond:
		return bad(s, "BurstMean", s.BurstMean, "must be at least 1µs")
	case p == Bursty && run/s.burstMean(run)/5 > maxBursts:
		return bad(s, "BurstMean", s.BurstMean, fmt.Sprintf("gives more than %d bursts over Duration=%v", maxBursts, run))
	case p == Stepped && len(s.Schedule) == 0:
		return bad(s, "Schedule", "none", "the schedule pattern needs at least one step")
	case len(s.Schedule) > MaxSteps:
		return bad(s, "Schedule", fmt.Sprintf("[%d steps]", len(s.Schedule)), fmt.Sprintf("at most %d steps", MaxSteps))
	case !(s.Writes >= 0 && s.Writes <= 1):
		return bad(s, "Writes", s.Writes, "must be a share between 0 and 1")
	}
	prev := time.Duration(-1)
	for i, st := range s.Schedule {
		field := fmt.Sprintf("Schedule[%d]", i)
		switch {
		case st.At <= prev:
			return bad(s, field+".At", st.At, "steps must be in increasing time order, from 0")
		case !(st.Rate >= 0 && st.Rate <= MaxRate):
			return bad(s, field+".Rate", st.Rate, fmt.Sprintf("must be between 0 and %g requests per second", MaxRate))
		}
		prev = st.At
	}
	if err := s.Keys.validate(s, "Keys"); err != nil {
		return err
	}
	if s.peakRate() == 0 {
		return bad(s, "Rate", s.Rate, "the load never sends: give it a rate above 0")
	}
	return nil
}

func (s *Source) pattern() Pattern {
	if s.Pattern == "" {
		return Constant
	}
	return s.Pattern
}

func (s *Source) burstMean(run time.Duration) time.Duration {
	if s.BurstMean == 0 {
		return max(run/30, time.Microsecond)
	}
	return s.BurstMean
}

// peakRate is the highest rate of the pattern, the rate of the candidates.
func (s *Source) peakRate() float64 {
	switch s.pattern() {
	case Constant:
		return s.Rate
	case Stepped:
		p := s.Rate
		for _, st := range s.Schedule {
			p = math.Max(p, st.Rate)
		}
		return p
	}
	return math.Max(s.Rate, s.Peak)
}

func (s *Source) start() {
	sys := s.sys
	w := sys.window
	s.Offered = metrics.NewRate(s.Name+" offered", w)
	s.arrivals = sys.rand(s.Name + "/arrivals")
	s.target = sys.node(s.Target)
	s.peak = s.peakRate()
	s.end = sys.sim.Horizon()
	s.from = sim.FromDuration(s.Window.Start)
	s.to = s.end
	if s.Window.Duration > 0 {
		s.to = min(s.end, sim.FromDuration(s.Window.End()))
	}
	if s.pattern() != Constant {
		s.thin = sys.rand(s.Name + "/thinning")
	}
	s.period = s.end.Seconds()
	if s.Period > 0 {
		s.period = s.Period.Seconds()
	}
	if s.pattern() == Bursty {
		s.bursts = drawBursts(sys.rand(s.Name+"/bursts"), s.end, sim.FromDuration(s.burstMean(sys.cfg.withDefaults().Duration)))
	}
	if s.Keys.N > 1 {
		s.keys = newSampler(s.Keys)
		s.keyR = sys.rand(s.Name + "/keys")
	}
	if s.Writes > 0 {
		s.writeR = sys.rand(s.Name + "/writes")
	}
	s.arrive = s.onArrive
}

func (s *Source) begin() { s.schedule() }

// drawBursts draws the Bursty pattern's bursts: calm spells with mean
// 4×mean and bursts with mean `mean`, both exponential.
func drawBursts(r *rand.Rand, end, mean sim.Time) []sim.Window {
	var out []sim.Window
	t := sim.Seconds(r.ExpFloat64() * 4 * mean.Seconds())
	for t < end && len(out) < 10*maxBursts {
		d := sim.Seconds(r.ExpFloat64() * mean.Seconds())
		out = append(out, sim.Window{Start: t.Duration(), Duration: (min(t+d, end) - t).Duration()})
		t += d + sim.Seconds(r.ExpFloat64()*4*mean.Seconds())
	}
	return out
}

// Bursts returns the Bursty pattern's bursts, once the run has started.
func (s *Source) Bursts() []sim.Window { return s.bursts }

// RateAt is the pattern's rate at t, per second. The run calls it with
// times in increasing order; it may be called after the run in any order.
func (s *Source) RateAt(t sim.Time) float64 {
	switch s.pattern() {
	case Ramp:
		if t >= s.from && t < s.to {
			x := float64(t-s.from) / float64(s.to-s.from)
			return s.Rate + (s.Peak-s.Rate)*x
		}
	case RampUpDown:
		if t >= s.from && t < s.to {
			x := float64(t-s.from) / float64(s.to-s.from)
			return s.Rate + (s.Peak-s.Rate)*(1-math.Abs(2*x-1))
		}
	case Spike:
		if t >= s.from && t < s.to {
			return s.Peak
		}
	case Diurnal:
		phase := 2 * math.Pi * t.Seconds() / s.period
		return s.Rate + (s.Peak-s.Rate)*(1-math.Cos(phase))/2
	case Bursty:
		if s.burst > 0 && (s.burst >= len(s.bursts) || s.bursts[s.burst-1].Start > t.Duration()) {
			s.burst = 0 // called out of order, after the run
		}
		for s.burst < len(s.bursts) && s.bursts[s.burst].End() <= t.Duration() {
			s.burst++
		}
		if s.burst < len(s.bursts) && s.bursts[s.burst].Contains(t) {
			return s.Peak
		}
	case Stepped:
		if s.step > 0 && sim.FromDuration(s.Schedule[s.step-1].At) > t {
			s.step = 0
		}
		for s.step < len(s.Schedule) && sim.FromDuration(s.Schedule[s.step].At) <= t {
			s.step++
		}
		if s.step > 0 {
			return s.Schedule[s.step-1].Rate
		}
	}
	return s.Rate
}

// schedule draws the next arrival by thinning and sets its event.
func (s *Source) schedule() {
	t := s.sys.sim.Now()
	constant := s.pattern() == Constant
	for {
		t += sim.Seconds(s.arrivals.ExpFloat64() / s.peak)
		if t >= s.end {
			return
		}
		if constant || s.thin.Float64()*s.peak < s.RateAt(t) {
			break
		}
	}
	s.sys.sim.At(t, s.arrive)
}

func (s *Source) onArrive() {
	s.schedule()
	c := s.sys.newCall(nil, s)
	if s.keys != nil {
		c.key = s.keys.draw(s.keyR)
	}
	if s.writeR != nil {
		c.write = s.writeR.Float64() < s.Writes
	}
	s.Offered.Add(c.start, 1)
	s.target.accept(c)
}

func (s *Source) answered(c *call) {
	if c.status == ok {
		s.Answered++
	} else {
		s.Failed++
	}
	s.sys.release(c)
}

func (s *Source) close(end sim.Time) { s.Offered.Close(end) }

func (s *Source) row(t *metrics.Table) {
	sent := s.Offered.Total()
	t.Add(s.Name, "Source", sent, s.Answered, s.Failed, nil, nil, nil, nil,
		fmt.Sprintf("%s load, %s", s.pattern(), metrics.Pct(metrics.Ratio(s.Answered, sent))))
}
