package service

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"dsim/sim"
	"dsim/sim/metrics"
)

// ScalingPolicy is how an Autoscaler sizes its group.
type ScalingPolicy string

// The scaling policies.
const (
	// TargetTracking, when the utilisation leaves the band from ScaleInAt
	// to ScaleOutAt, sizes the group to ceil(serving × utilisation /
	// ScaleOutAt) instances, those still warming up included: the size
	// that brings the utilisation back to ScaleOutAt (AWS's target
	// tracking; Bondi, ch. 8).
	TargetTracking ScalingPolicy = "target-tracking"
	// StepScaling launches Step instances (or a Steps entry's, for a
	// larger breach) when the utilisation is above ScaleOutAt and
	// terminates Step when it is below ScaleInAt, blind to the instances
	// warming up: simple and step scaling, which rely on Cooldown to see
	// one action's effect before the next.
	StepScaling ScalingPolicy = "step"
)

// ScalingPolicies lists the scaling policies.
func ScalingPolicies() []ScalingPolicy { return []ScalingPolicy{TargetTracking, StepScaling} }

// ScalingStep is one step of StepScaling: at a utilisation at or above
// Above, launch Add instances.
type ScalingStep struct {
	Above float64
	Add   int
}

// Autoscaler sizes a group of servers: the Backends of the Balancer named
// Group, every one a Server, are the instances the group may run, and the
// autoscaler launches and terminates them, as an auto-scaling group
// behind a load balancer does (Gorton, "Foundations of Scalable Systems",
// ch. 5 and 8).
//
// The rules:
//   - Every Period it reads the group's utilisation over the period past:
//     the busy slot-seconds of the instances serving, over their
//     slot-seconds in service. Instances warming up are not in it.
//   - Unless a scaling action came less than Cooldown ago, it acts by
//     Policy, between Min and Max instances.
//   - A launched instance is billed at once and takes calls after Warmup
//     (boot, caches, a health check). Instances launch in Backends order
//     and terminate in reverse, those warming up first.
//   - A terminated instance takes no new calls and stops being billed at
//     once; the calls it holds still finish (its connection draining is
//     free).
//
// It measures instances billed and serving over time, instance-hours,
// launches, terminations and reversals: actions in the opposite direction
// to the one before, the mark of a group that oscillates.
type Autoscaler struct {
	Name   string
	Group  string        // a Balancer whose Backends are Servers
	Policy ScalingPolicy // "" is TargetTracking
	// Min and Max bound the instances, warming or serving: Min from 1,
	// Max up to the group's backends; zero Max means all of them.
	// Initial is how many serve at the start; zero means Min.
	Min, Max, Initial int
	// ScaleOutAt and ScaleInAt are the utilisation thresholds, shares of
	// the slots busy; zero means 0.7 and 0.4 (Gorton, ch. 5).
	ScaleOutAt, ScaleInAt float64
	// Step is the instances StepScaling adds or removes per action; zero
	// means 1. Steps, in increasing Above, override Step for scaling out
	// when the utilisation is at or above their Above.
	Step  int
	Steps []ScalingStep
	// Period is how often the utilisation is read, 1ms to 1h; zero means
	// a minute. Warmup is from a launch to the first call, up to an hour.
	// Cooldown is how long after an action no other is taken, up to a
	// day.
	Period, Warmup, Cooldown time.Duration

	AutoscalerStats
	part
	lb      *Balancer
	servers []*Server
	state   []instance
	since   []sim.Time // when each began serving
	mark    []float64  // each one's busy slot-seconds at the last reading
	timers  []sim.Timer
	readyFn []func()

	most                int // Max, defaults filled in
	warming, serving    int
	lastRead, lastActed sim.Time
	acted               bool
	direction           int
	end                 sim.Time
}

// AutoscalerStats is what an Autoscaler measured.
type AutoscalerStats struct {
	Instances *metrics.Gauge // billed: warming up and serving
	Serving   *metrics.Gauge // taking calls
	// Utilisation is the group's utilisation at each reading.
	Utilisation *metrics.Series
	Launches    int64 // instances launched
	// Terminations counts instances terminated, warming or serving.
	Terminations int64
	Reversals    int64 // actions opposite to the one before
}

type instance uint8

const (
	stopped instance = iota
	warming
	serving
)

func (*Autoscaler) Kind() string                { return "Autoscaler" }
func (a *Autoscaler) ID() string                { return a.Name }
func (a *Autoscaler) wiredTo() (string, string) { return "Group", a.Group }
func (a *Autoscaler) targets() []string         { return nil }

func (a *Autoscaler) policy() ScalingPolicy {
	if a.Policy == "" {
		return TargetTracking
	}
	return a.Policy
}

// settings are the fields with their defaults filled in.
func (a *Autoscaler) settings() (out, in float64, step int, period time.Duration) {
	out, in, step, period = a.ScaleOutAt, a.ScaleInAt, a.Step, a.Period
	if out == 0 {
		out = 0.7
	}
	if in == 0 {
		in = 0.4
	}
	if step == 0 {
		step = 1
	}
	if period == 0 {
		period = time.Minute
	}
	return out, in, step, period
}

func (a *Autoscaler) validate() error {
	out, in, _, _ := a.settings()
	switch {
	case !slices.Contains(ScalingPolicies(), a.policy()):
		return bad(a, "Policy", a.Policy, fmt.Sprintf("want one of %v", ScalingPolicies()))
	case a.Min < 1 || a.Min > MaxBackends:
		return bad(a, "Min", a.Min, fmt.Sprintf("must be between 1 and %d instances", MaxBackends))
	case a.Max != 0 && a.Max < a.Min:
		return bad(a, "Max", a.Max, fmt.Sprintf("must be at least Min=%d (0: every backend)", a.Min))
	case a.Initial != 0 && (a.Initial < a.Min || a.Max != 0 && a.Initial > a.Max):
		return bad(a, "Initial", a.Initial, fmt.Sprintf("must be between Min=%d and Max (0: Min)", a.Min))
	case !(out > 0 && out <= 1):
		return bad(a, "ScaleOutAt", a.ScaleOutAt, "must be a utilisation in (0, 1] (0: 0.7)")
	case !(in >= 0 && in < out):
		return bad(a, "ScaleInAt", a.ScaleInAt, fmt.Sprintf("must be at least 0 and below ScaleOutAt=%v (0: 0.4)", out))
	case a.Step < 0 || a.Step > MaxBackends:
		return bad(a, "Step", a.Step, fmt.Sprintf("must be between 1 and %d instances (0: 1)", MaxBackends))
	case len(a.Steps) > 100:
		return bad(a, "Steps", fmt.Sprintf("[%d steps]", len(a.Steps)), "at most 100")
	case len(a.Steps) > 0 && a.policy() != StepScaling:
		return bad(a, "Steps", fmt.Sprintf("[%d steps]", len(a.Steps)), fmt.Sprintf("only the %s policy takes steps", StepScaling))
	case a.Period < 0 || a.Period > time.Hour || a.Period != 0 && a.Period < time.Millisecond:
		return bad(a, "Period", a.Period, "must be between 1ms and 1h (0: 1m)")
	case a.Warmup < 0 || a.Warmup > time.Hour:
		return bad(a, "Warmup", a.Warmup, "must be between 0 and 1h")
	case a.Cooldown < 0 || a.Cooldown > 24*time.Hour:
		return bad(a, "Cooldown", a.Cooldown, "must be between 0 and 24h")
	}
	for i, s := range a.Steps {
		field := fmt.Sprintf("Steps[%d]", i)
		switch {
		case !(s.Above >= 0 && s.Above <= 1):
			return bad(a, field+".Above", s.Above, "must be a utilisation between 0 and 1")
		case i > 0 && !(s.Above > a.Steps[i-1].Above):
			return bad(a, field+".Above", s.Above, fmt.Sprintf("must be above Steps[%d].Above=%v: steps go up", i-1, a.Steps[i-1].Above))
		case s.Add < 1 || s.Add > MaxBackends:
			return bad(a, field+".Add", s.Add, fmt.Sprintf("must be between 1 and %d instances", MaxBackends))
		}
	}
	return nil
}

// checkGroup checks what the autoscaler acts on, once every name is known:
// a balancer of servers, no other autoscaler on it, room for Max and
// Initial.
func (a *Autoscaler) checkGroup() error {
	c, ok := a.sys.byName[a.Group]
	if !ok {
		return bad(a, "Group", a.Group, fmt.Sprintf("no component has that name (have %s)", a.sys.names()))
	}
	lb, ok := c.(*Balancer)
	if !ok {
		return bad(a, "Group", a.Group, fmt.Sprintf("is a %s: an autoscaler acts on the backends of a Balancer", c.Kind()))
	}
	for i, name := range lb.Backends {
		if b, ok := a.sys.byName[name]; ok {
			if _, ok := b.(*Server); !ok {
				return bad(a, "Group", a.Group, fmt.Sprintf("its Backends[%d] %q is a %s: every instance must be a Server", i, name, b.Kind()))
			}
		}
	}
	for _, o := range a.sys.comps {
		if other, ok := o.(*Autoscaler); ok && other != a && other.Group == a.Group {
			return bad(a, "Group", a.Group, fmt.Sprintf("Autoscaler %q acts on it already", other.Name))
		}
	}
	n := len(lb.Backends)
	switch {
	case a.Min > n:
		return bad(a, "Min", a.Min, fmt.Sprintf("is more than the %d backends of %q", n, a.Group))
	case a.Max > n:
		return bad(a, "Max", a.Max, fmt.Sprintf("is more than the %d backends of %q", n, a.Group))
	case a.Initial > n:
		return bad(a, "Initial", a.Initial, fmt.Sprintf("is more than the %d backends of %q", n, a.Group))
	}
	return nil
}

func (a *Autoscaler) start() {
	sys := a.sys
	w := sys.window
	a.Instances = metrics.NewGauge(a.Name+" instances", "instances", w)
	a.Serving = metrics.NewGauge(a.Name+" serving", "instances", w)
	a.Utilisation = metrics.NewSeries(a.Name+" utilisation", "share")
	a.lb = sys.byName[a.Group].(*Balancer)
	n := len(a.lb.Backends)
	a.most = a.Max
	a.most = cmp.Or(a.most, n)
	initial := a.Initial
	if initial == 0 {
		initial = a.Min
	}
	a.servers = make([]*Server, n)
	a.state, a.since, a.mark = make([]instance, n), make([]sim.Time, n), make([]float64, n)
	a.timers, a.readyFn = make([]sim.Timer, n), make([]func(), n)
	a.lb.off = make([]bool, n)
	for j, name := range a.lb.Backends {
		a.servers[j] = sys.byName[name].(*Server)
		j := j
		a.readyFn[j] = func() { a.ready(j) }
		if j < initial {
			a.state[j] = serving
		} else {
			a.lb.off[j] = true
		}
	}
	a.serving = initial
	a.Instances.Set(0, float64(initial))
	a.Serving.Set(0, float64(initial))
	_, _, _, period := a.settings()
	every := sim.FromDuration(period)
	sys.sim.Every(sys.sim.Now()+every, every, a.evaluate)
}

// read is the group's utilisation since the last reading, NaN when no
// instance served.
func (a *Autoscaler) read(now sim.Time) float64 {
	busy, capacity := 0.0, 0.0
	for j, s := range a.servers {
		if a.state[j] != serving {
			continue
		}
		area := s.Busy.Integral(now)
		busy += area - a.mark[j]
		a.mark[j] = area
		capacity += float64(s.Slots) * (now - max(a.since[j], a.lastRead)).Seconds()
	}
	a.lastRead = now
	if capacity <= 0 {
		return math.NaN()
	}
	return busy / capacity
}

// evaluate reads the utilisation and acts on it.
func (a *Autoscaler) evaluate() {
	now := a.sys.sim.Now()
	u := a.read(now)
	if math.IsNaN(u) {
		return
	}
	a.Utilisation.Add(now, u)
	if a.acted && now-a.lastActed < sim.FromDuration(a.Cooldown) {
		return
	}
	out, in, step, _ := a.settings()
	have := a.warming + a.serving
	change := 0
	switch {
	case u > out && a.policy() == TargetTracking:
		change = a.size(u, out) - have
	case u > out:
		change = step
		for _, s := range a.Steps {
			if u >= s.Above {
				change = s.Add
			}
		}
	case u < in && a.policy() == TargetTracking:
		change = min(a.size(u, out)-have, 0)
	case u < in:
		change = -step
	}
	change = max(a.Min, min(a.most, have+change)) - have
	if change == 0 {
		return
	}
	dir := 1
	if change < 0 {
		dir = -1
	}
	if a.direction != 0 && dir != a.direction {
		a.Reversals++
	}
	a.direction, a.acted, a.lastActed = dir, true, now
	if change > 0 {
		a.launch(now, change)
	} else {
		a.terminate(now, -change)
	}
}

// size is the instances that bring utilisation u of the serving ones to
// target.
func (a *Autoscaler) size(u, target float64) int {
	return int(math.Ceil(float64(a.serving)*u/target - 1e-9))
}

// launch starts n stopped instances, first in Backends order.
func (a *Autoscaler) launch(now sim.Time, n int) {
	warm := sim.FromDuration(a.Warmup)
	for j := 0; j < len(a.state) && n > 0; j++ {
		if a.state[j] != stopped {
			continue
		}
		n--
		a.Launches++
		a.state[j] = warming
		a.warming++
		a.Instances.Add(now, 1)
		a.timers[j] = a.sys.sim.After(warm, a.readyFn[j])
	}
}

// ready puts a warmed-up instance in service.
func (a *Autoscaler) ready(j int) {
	now := a.sys.sim.Now()
	a.state[j] = serving
	a.warming--
	a.serving++
	a.since[j], a.mark[j] = now, a.servers[j].Busy.Integral(now)
	a.lb.off[j] = false
	a.Serving.Add(now, 1)
}

// terminate stops n instances, the last launched first, warming ones
// before serving ones.
func (a *Autoscaler) terminate(now sim.Time, n int) {
	for _, st := range []instance{warming, serving} {
		for j := len(a.state) - 1; j >= 0 && n > 0; j-- {
			if a.state[j] != st {
				continue
			}
			n--
			a.Terminations++
			a.state[j] = stopped
			a.lb.off[j] = true
			a.Instances.Add(now, -1)
			if st == warming {
				a.timers[j].Stop()
				a.warming--
			} else {
				a.serving--
				a.Serving.Add(now, -1)
			}
		}
	}
}

func (a *Autoscaler) close(end sim.Time) {
	a.end = end
	a.Instances.Close(end)
	a.Serving.Close(end)
}

// InstanceHours is the instances billed, integrated over the run, in
// hours: what a group is charged for.
func (a *Autoscaler) InstanceHours() float64 {
	if a.Instances == nil {
		return 0
	}
	return a.Instances.Integral(a.end) / 3600
}

func (a *Autoscaler) row(t *metrics.Table) {
	t.Add(a.Name, "Autoscaler", nil, nil, nil, nil, nil, nil, nil,
		fmt.Sprintf("%s on %q: up to %.0f instances, %.2f instance-hours, %d launched, %d terminated, %d reversals",
			a.policy(), a.Group, a.Instances.Max(), a.InstanceHours(), a.Launches, a.Terminations, a.Reversals))
}
