package service

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/metrics"
	"dsim/sim/net"
)

// Limits of a system, beyond each component's own.
const (
	// DefaultMaxCalls bounds the calls alive at once when Config.MaxCalls
	// is 0: requests queued, in service, backing off, in flight on hops.
	DefaultMaxCalls = 10_000_000
	// MaxComponents bounds the components of one system. A component's
	// latency recorders take about 380 kB each (two HdrHistograms), so a
	// thousand servers take under a gigabyte.
	MaxComponents = 1000
	// MaxWindows bounds the metric windows of a run (Duration / Window).
	MaxWindows  = 1_000_000
	maxDuration = 10_000 * time.Hour
)

// Config is a system's run: its seed, its length and its limits. A zero
// field takes the default its comment gives.
type Config struct {
	// Seed is the root of every random stream of the run.
	Seed uint64
	// Duration is the run's length in virtual time, 1ms to 10000h.
	// Zero means one minute.
	Duration time.Duration
	// Window is the width of every component's metric windows. Zero means
	// Duration/120.
	Window time.Duration
	// MaxCalls bounds the calls alive at once, 1 to 100,000,000; a run
	// that would hold more stops with a LimitError. Zero means
	// DefaultMaxCalls.
	MaxCalls int
	// StreamNames renames random streams: a component's stream
	// ("server/service") draws from the stream named by its entry
	// ("service") instead. Components whose streams map to one name share
	// it. A model rebuilt on components uses it to keep the draws, and so
	// the exact results, of the model it replaced; new systems leave it
	// empty.
	StreamNames map[string]string
}

func (c Config) withDefaults() Config {
	c.Duration = cmp.Or(c.Duration, time.Minute)
	if c.Window == 0 {
		c.Window = max(c.Duration/120, time.Nanosecond)
	}
	c.MaxCalls = cmp.Or(c.MaxCalls, DefaultMaxCalls)
	return c
}

// Validate names the first field that cannot work.
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case c.Duration < time.Millisecond || c.Duration > maxDuration:
		return fmt.Errorf("service: Config.Duration=%v: must be between 1ms and %v", c.Duration, maxDuration)
	case c.Window < time.Microsecond:
		return fmt.Errorf("service: Config.Window=%v: must be at least 1µs", c.Window)
	case c.Window > c.Duration:
		return fmt.Errorf("service: Config.Window=%v: is longer than Duration=%v", c.Window, c.Duration)
	case c.Duration/c.Window > MaxWindows:
		return fmt.Errorf("service: Config.Window=%v: gives more than %d windows over Duration=%v", c.Window, MaxWindows, c.Duration)
	case c.MaxCalls < 1 || c.MaxCalls > 100_000_000:
		return fmt.Errorf("service: Config.MaxCalls=%d: must be between 1 and 100000000", c.MaxCalls)
	case len(c.StreamNames) > MaxComponents:
		return fmt.Errorf("service: Config.StreamNames: %d entries, more than %d", len(c.StreamNames), MaxComponents)
	}
	for _, from := range slices.Sorted(maps.Keys(c.StreamNames)) {
		if to := c.StreamNames[from]; from == "" || to == "" {
			return fmt.Errorf("service: Config.StreamNames[%q]=%q: a stream name must not be empty", from, to)
		}
	}
	return nil
}

// Component is a part of a System: a Source, Users, a Client, a Server, a
// Pool, a Dependency, a Hop, a Balancer, a Cache, an Autoscaler, a
// Function, a Platform, a Broker or a Consumer. Only this package's
// types are components; their hot paths are compiled, so a system built
// from a script runs at the speed of one built in Go.
type Component interface {
	// Kind is the component's type as errors and tables name it: "Server".
	Kind() string
	// ID is the name other components call it by.
	ID() string
	parts() *part
}

// part is what every component keeps of its system.
type part struct {
	sys *System
}

func (p *part) parts() *part { return p }

// component is what the system asks of each of its components.
type component interface {
	Component
	validate() error // its own fields, before the run
	targets() []string
	// start makes its recorders and streams and resolves its targets;
	// the names were checked already.
	start()
	close(end sim.Time)
	row(t *metrics.Table)
}

// grouper is a component that acts on others without calling them (an
// autoscaler): it checks them once every name is known.
type grouper interface{ checkGroup() error }

// beginner is a component that schedules its first events (a load).
type beginner interface{ begin() }

// System is a set of components wired by name and run on one engine. Build
// it with New and Add, inject faults with Schedule, then Run it once; the
// components keep their metrics for reading afterwards.
type System struct {
	cfg    Config
	sim    *sim.Sim
	comps  []component
	byName map[string]component
	faults []Fault
	// network is the network hops may cross; net is it, built for the run.
	network *Network
	net     *net.Network
	addErr  error
	ran     bool

	window   sim.Time
	free     []*call
	live     int
	maxCalls int
}

// New returns an empty system. Configuration errors are reported by Check
// and Run.
func New(cfg Config) *System {
	return &System{cfg: cfg, byName: map[string]component{}}
}

// Add adds components. A component belongs to one system; adding it to a
// second, or adding a name twice, is reported by Check.
func (s *System) Add(cs ...Component) {
	for _, c := range cs {
		if s.addErr != nil {
			return
		}
		comp, ok := c.(component)
		switch {
		case c == nil || !ok:
			s.addErr = fmt.Errorf("service: Add(%v): not a component of this package", c)
		case c.parts().sys != nil && c.parts().sys != s:
			s.addErr = fmt.Errorf("service: %s %q belongs to another system already: make a new one for each system", c.Kind(), c.ID())
		case len(s.comps) >= MaxComponents:
			s.addErr = fmt.Errorf("service: more than %d components (MaxComponents)", MaxComponents)
		default:
			if prev, dup := s.byName[c.ID()]; dup {
				s.addErr = fmt.Errorf("service: %s %q: Name=%q is taken by %s %q", c.Kind(), c.ID(), c.ID(), prev.Kind(), prev.ID())
				return
			}
			c.parts().sys = s
			s.comps = append(s.comps, comp)
			s.byName[c.ID()] = comp
		}
	}
}

// Schedule injects faults into the run (see Fault).
func (s *System) Schedule(fs ...Fault) { s.faults = append(s.faults, fs...) }

// Sim is the engine the system runs on, once Run has started it (nil
// before): for a model's own events beside the components.
func (s *System) Sim() *sim.Sim { return s.sim }

// Config is the system's configuration with its defaults filled in.
func (s *System) Config() Config { return s.cfg.withDefaults() }

// Find returns the component called name, or nil.
func (s *System) Find(name string) Component {
	if c, ok := s.byName[name]; ok {
		return c
	}
	return nil
}

// Check validates the configuration, every component and fault, and the
// wiring: every name a component calls exists and takes calls, and no call
// can come back to a component it passed (a cycle would never end).
func (s *System) Check() error {
	if err := s.cfg.Validate(); err != nil {
		return err
	}
	if s.addErr != nil {
		return s.addErr
	}
	if len(s.comps) == 0 {
		return errors.New("service: the system has no components: Add a load and what it calls")
	}
	for _, c := range s.comps {
		if err := checkName(c); err != nil {
			return err
		}
		if w, ok := c.(wired); ok {
			field, name := w.wiredTo()
			if err := checkTarget(c, field, name); err != nil {
				return err
			}
		}
		if err := c.validate(); err != nil {
			return err
		}
	}
	if err := s.checkWiring(); err != nil {
		return err
	}
	for _, c := range s.comps {
		if g, ok := c.(grouper); ok {
			if err := g.checkGroup(); err != nil {
				return err
			}
		}
	}
	for i, f := range s.faults {
		if err := s.checkFault(i, f); err != nil {
			return err
		}
	}
	if s.network != nil {
		// Built once on a scratch engine: net checks its own settings.
		if _, err := s.buildNetwork(sim.New(sim.Config{})); err != nil {
			return err
		}
	}
	return nil
}

// checkWiring resolves every target and looks for cycles, in the order the
// components were added, so the error names the same cycle every time.
func (s *System) checkWiring() error {
	for _, c := range s.comps {
		for _, t := range c.targets() {
			to, ok := s.byName[t]
			if !ok {
				return fmt.Errorf("service: %s %q calls %q: no component has that name (have %s)", c.Kind(), c.ID(), t, s.names())
			}
			if _, ok := to.(node); !ok {
				return fmt.Errorf("service: %s %q calls %q, a %s, which makes calls and takes none", c.Kind(), c.ID(), t, to.Kind())
			}
		}
	}
	const (
		unseen = iota
		open
		done
	)
	state := map[string]int{}
	var path []string
	var visit func(c component) error
	visit = func(c component) error {
		state[c.ID()] = open
		path = append(path, c.ID())
		for _, t := range c.targets() {
			switch state[t] {
			case open:
				i := 0
				for path[i] != t {
					i++
				}
				return fmt.Errorf("service: calls go round in a cycle: %s -> %s: a call could never end", strings.Join(path[i:], " -> "), t)
			case unseen:
				if err := visit(s.byName[t]); err != nil {
					return err
				}
			}
		}
		path = path[:len(path)-1]
		state[c.ID()] = done
		return nil
	}
	for _, c := range s.comps {
		if state[c.ID()] == unseen {
			if err := visit(c); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *System) names() string {
	if len(s.comps) == 0 {
		return "none"
	}
	n := make([]string, len(s.comps))
	for i, c := range s.comps {
		n[i] = fmt.Sprintf("%q", c.ID())
	}
	return strings.Join(n, ", ")
}

// node returns the component called name as a call target; the wiring was
// checked.
func (s *System) node(name string) node { return s.byName[name].(node) }

// Run checks the system and runs it once, to Config.Duration or until ctx
// is done. The components' metrics are then complete. A failed run returns
// the engine's *sim.Error (seed and virtual time), wrapping a LimitError
// when a bound was reached.
func (s *System) Run(ctx context.Context) error {
	if s.ran {
		return errors.New("service: this system has run already: build a new one for another run")
	}
	if err := s.Check(); err != nil {
		return err
	}
	s.ran = true
	cfg := s.cfg.withDefaults()
	s.sim = sim.New(sim.Config{Seed: cfg.Seed, Horizon: sim.FromDuration(cfg.Duration)})
	s.window = sim.FromDuration(cfg.Window)
	s.maxCalls = cfg.MaxCalls
	if s.network != nil {
		var err error
		if s.net, err = s.buildNetwork(s.sim); err != nil {
			return err
		}
	}
	for _, c := range s.comps {
		c.start()
	}
	for _, f := range s.faults {
		s.inject(f)
	}
	for _, c := range s.comps {
		if b, ok := c.(beginner); ok {
			b.begin()
		}
	}
	err := s.sim.Run(ctx)
	end := s.sim.Now()
	for _, c := range s.comps {
		c.close(end)
	}
	return err
}

// Held is the number of calls alive at the end of the run (or now, from
// inside it): queued, in service, backing off or in flight.
func (s *System) Held() int { return s.live }

// LimitError is a run stopped by one of its bounds. It names the bound and
// the component that reached it, if one did.
type LimitError struct {
	Kind, Name string // the component, if any
	Limit      string // the bound: "Config.MaxCalls", "Server.MaxQueue"
	Value      int    // its value
	What       string // what would have exceeded it
}

func (e *LimitError) Error() string {
	who := ""
	if e.Name != "" {
		who = fmt.Sprintf("%s %q: ", e.Kind, e.Name)
	}
	return fmt.Sprintf("service: %smore than %d %s (%s=%d)", who, e.Value, e.What, e.Limit, e.Value)
}

func (s *System) overLimit() {
	s.sim.Fail(&LimitError{Limit: "Config.MaxCalls", Value: s.maxCalls, What: "calls alive at once"})
}

// bad is a component's validation error: "service: Server "app":
// Slots=0: must be between 1 and 1000000".
func bad(c Component, field string, value any, why string) error {
	return fmt.Errorf("service: %s %q: %s=%v: %s", c.Kind(), c.ID(), field, value, why)
}

// checkName refuses an empty name.
func checkName(c Component) error {
	if c.ID() == "" {
		return fmt.Errorf("service: a %s has no Name: every component needs one, to be called by", c.Kind())
	}
	return nil
}

// wired is a component with one field naming the component it calls or
// joins: Check refuses that field empty, after the name and before the
// component's own fields.
type wired interface {
	wiredTo() (field, name string)
}

// checkTarget refuses an empty target field.
func checkTarget(c Component, field, target string) error {
	if target == "" {
		return bad(c, field, `""`, "names no component: every call needs somewhere to go")
	}
	return nil
}

// maxMean bounds the mean of every duration distribution: the latency
// histograms end at an hour.
const maxMean = time.Hour

// checkDuration refuses a distribution that is missing (unless optional),
// can draw a negative duration, or has a mean beyond an hour.
func checkDuration(c Component, field string, d dist.Dist, required bool) error {
	if d == nil {
		if required {
			return bad(c, field, "none", "missing: give a distribution of durations, such as exp(10ms)")
		}
		return nil
	}
	if err := dist.ValidateDuration(d); err != nil {
		return bad(c, field, d, err.Error())
	}
	if m := d.Mean(); !(m >= 0 && m <= maxMean.Seconds()) {
		mean := fmt.Sprint(m)
		if m >= 0 && m < 1e9 {
			mean = time.Duration(m * float64(time.Second)).String()
		}
		return bad(c, field, d, fmt.Sprintf("its mean %s must be between 0 and %v", mean, maxMean))
	}
	return nil
}

// rand is the component stream called name, "NAME/purpose", unless
// Config.StreamNames renames it.
func (s *System) rand(name string) *rand.Rand {
	if to, ok := s.cfg.StreamNames[name]; ok {
		name = to
	}
	return s.sim.Rand(name)
}
