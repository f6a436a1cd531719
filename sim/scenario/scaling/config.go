package scaling

import (
	"fmt"
	"time"

	"dsim/sim/dist"
	"dsim/sim/metrics"
	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/describe"
)

// Experiment is which of the lesson's two studies a run makes.
type Experiment string

// The experiments.
const (
	// Users grows the users of a closed system against three stations and
	// puts exact MVA, the response-time law and the bounds beside it.
	Users Experiment = "users"
	// Threads grows the threads that share one lock and fits Amdahl's law
	// and the Universal Scalability Law to their throughput.
	Threads Experiment = "threads"
)

// Experiments lists the experiments.
func Experiments() []Experiment { return []Experiment{Users, Threads} }

// Config is one scaling experiment; start from Default. A zero field takes
// its default, except where the knob table says what zero means (no
// coherency cost). KnobTable lists every knob.
type Config struct {
	// Seed is the root of every random stream of the run.
	Seed uint64
	// Experiment is the study: users against three stations, or threads
	// against a lock.
	Experiment Experiment
	// Users is the largest population of the users experiment; Steps the
	// populations simulated besides one user, evenly up to Users (zero:
	// 6, or Users-1 when that is fewer).
	Users, Steps int
	// Think is a user's think time Z between an answer and the next
	// request.
	Think dist.Dist
	// Web, Database and Disk are a request's service at the three
	// stations, each one server in FIFO order, visited in turn.
	Web, Database, Disk dist.Dist
	// Threads is the largest parallelism p of the threads experiment:
	// p = 1, 2, 4, ... up to it.
	Threads int
	// Work is a request's work on its own thread, in parallel with the
	// others'; Lock the time it then holds the one lock.
	Work, Lock dist.Dist
	// Coherency is added to every hold of the lock for each other thread:
	// the cost of keeping p copies of shared data coherent. Zero: none.
	Coherency time.Duration
	// Duration is the virtual time each population or parallelism runs.
	Duration time.Duration
}

// Limits beyond the knobs' ranges: maxRequests bounds a run's requests
// over all its points (a million take about a wall second).
const (
	maxUsers    = 2000
	maxThreads  = 1024
	maxRequests = 10_000_000
	// defaultSteps is Steps when it is left zero and Users allows it.
	defaultSteps = 6
	maxSpan      = 24 * time.Hour
	// minCycles is the think times (or works) a point must last at
	// least, so that the staggered start, one think time long, is a small
	// part of it.
	minCycles = 10
)

var knobs = scenario.NewTable("scaling", Config{}, nil,
	scenario.OneOf("Experiment", "the study: users against three stations, or threads sharing a lock", string(Users), describe.Strings(Experiments())...),
	scenario.Int("Users", "users", "the largest population N of the users experiment", 60, 2, maxUsers).Alias("n").OnlyWith("Experiment", string(Users)),
	scenario.Int("Steps", "populations", "populations simulated besides one user, evenly up to Users", 0, 1, 50).DerivedFrom("6, or Users-1 if fewer").OnlyWith("Experiment", string(Users)),
	scenario.Distribution("Think", "a user's think time Z between an answer and the next request", "const(1s)", time.Millisecond, time.Hour).Alias("z").OnlyWith("Experiment", string(Users)),
	scenario.Distribution("Web", "a request's service at the web server's CPU", "exp(20ms)", time.Microsecond, time.Minute).OnlyWith("Experiment", string(Users)),
	scenario.Distribution("Database", "a request's service at the database's CPU", "exp(30ms)", time.Microsecond, time.Minute).Alias("db").OnlyWith("Experiment", string(Users)),
	scenario.Distribution("Disk", "a request's service at the database's disk", "exp(40ms)", time.Microsecond, time.Minute).OnlyWith("Experiment", string(Users)),
	scenario.Int("Threads", "threads", "the largest parallelism p of the threads experiment (1, 2, 4, ... up to it)", 128, 4, maxThreads).Alias("p").OnlyWith("Experiment", string(Threads)),
	scenario.Distribution("Work", "a request's work on its own thread, in parallel", "exp(80ms)", time.Microsecond, time.Minute).OnlyWith("Experiment", string(Threads)),
	scenario.Distribution("Lock", "the time a request then holds the one lock", "exp(20ms)", time.Microsecond, time.Minute).OnlyWith("Experiment", string(Threads)),
	scenario.Dur("Coherency", "added to each hold of the lock per other thread", 0, time.Microsecond, time.Second).ZeroMeans("none").Alias("kappa-cost").OnlyWith("Experiment", string(Threads)),
	scenario.Dur("Duration", "virtual time each population or parallelism runs", 10*time.Minute, time.Second, maxSpan),
)

// KnobTable lists every knob of Config: its flag, unit, default, range
// and what it sets. Sweeps, the command line and the explorer take the
// same names.
func KnobTable() *metrics.Table { return knobs.Doc() }

// Default returns the defaults: the users experiment, up to 60 users who
// think for exp(1s), against a web CPU of exp(20ms), a database CPU of
// exp(30ms) and a disk of exp(40ms), each population for 10 minutes.
func Default() Config { return describe.Default[Config](knobs, 1) }

// withDefaults fills the zero fields that mean "default", then Steps,
// which adapts to Users so that a small population needs no Steps.
func (c Config) withDefaults() Config {
	_ = knobs.Fill(&c)
	if c.Steps == 0 {
		c.Steps = min(defaultSteps, c.Users-1)
	}
	return c
}

func bad(field string, value any, why string) error { return describe.Bad(knobs, field, value, why) }

// Validate reports the first field that cannot work, naming it, its value
// and the limit: the knobs' ranges first, then the rules across fields.
func (c Config) Validate() error { return describe.Validate(knobs, c.withDefaults(), Config.rules) }

// rules reports the first rule across fields that c, filled and with its
// knobs in range, breaks.
func (c Config) rules() error {
	switch {
	case c.Experiment == Users && c.Steps >= c.Users:
		return bad("Steps", c.Steps, fmt.Sprintf("must be fewer than Users=%d", c.Users))
	case c.Experiment == Users && c.Duration < minCycles*mean(c.Think):
		return bad("Duration", c.Duration, fmt.Sprintf("is shorter than %d think times (Think=%v): a user would hardly finish a request", minCycles, c.Think))
	case c.Experiment == Threads && c.Duration < minCycles*mean(c.Work):
		return bad("Duration", c.Duration, fmt.Sprintf("is shorter than %d times a thread's work (Work=%v): a thread would hardly finish a request", minCycles, c.Work))
	case c.requests() > maxRequests:
		return bad("Duration", c.Duration, fmt.Sprintf("brings about %.3g requests over the run's points; at most %d (shorten it, or lower Users or Threads)",
			c.requests(), maxRequests))
	}
	return nil
}

// requests bounds the requests a run brings: each point's throughput
// bound times Duration.
func (c Config) requests() float64 {
	total := 0.0
	for _, n := range c.levels() {
		xMax, _ := c.network(n).Bounds(n)
		total += xMax * c.Duration.Seconds()
	}
	return total
}

// Levels are the populations (users) or parallelisms (threads) the run
// simulates, in order.
func (c Config) Levels() []int { return c.withDefaults().levels() }

func (c Config) levels() []int {
	if c.Experiment == Threads {
		var ps []int
		for p := 1; p < c.Threads; p *= 2 {
			ps = append(ps, p)
		}
		return append(ps, c.Threads)
	}
	ns := []int{1}
	for k := 1; k <= c.Steps; k++ {
		n := (k*c.Users + c.Steps - 1) / c.Steps
		if n > ns[len(ns)-1] {
			ns = append(ns, n)
		}
	}
	return ns
}
