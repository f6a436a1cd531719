package balance

import (
	"fmt"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/metrics"
	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/service"
)

// Config is one load-balancing experiment; start from Default. A zero
// field takes its default, except where the knob table says what zero
// means (live load, no slow server, no server leaving). KnobTable lists
// every knob.
type Config struct {
	// Seed is the root of every random stream of the run.
	Seed uint64
	// Servers is the number of servers behind the balancer, s1..sN.
	Servers int
	// Slots is the calls each server serves at once; the supermarket
	// model has one.
	Slots int
	// Service is a call's service time at a server that is not slowed.
	Service dist.Dist
	// Load is the offered load per server, λ of the supermarket model:
	// the arrival rate times the mean service time over Servers × Slots.
	// Requests arrive as one Poisson stream at the balancer.
	Load float64
	// Policy is how the balancer picks a server for each request.
	Policy service.Policy
	// Choices is d, the servers power-of-choices samples per request.
	Choices int
	// LoadAge is the age of the load information least-outstanding,
	// power-of-choices and sticky read: refreshed every LoadAge, as a
	// balancer fed periodic load reports sees it. Zero is live.
	LoadAge time.Duration
	// LoadBound is consistent hashing's bound on a server's outstanding
	// calls against the mean (Mirrokni et al.); zero is unbounded.
	LoadBound float64
	// Keys is the number of distinct keys (users' sessions) requests
	// carry; consistent hashing and sticky sessions route by them.
	Keys int
	// KeySkew is the Zipf exponent of the keys' popularity; zero is
	// uniform.
	KeySkew float64
	// SlowFactor slows the first SlowServers servers' service this many
	// times during Slow: a gray failure, a server that answers, slowly.
	// Zero is no slow server.
	SlowFactor float64
	// SlowServers is how many servers are slow, s1 first.
	SlowServers int
	// Slow is when they are slow; a zero Duration lasts to the end.
	Slow sim.Window
	// LeaveAt is when the last server leaves for good (it crashes: the
	// calls it holds fail). Zero: none leaves.
	LeaveAt time.Duration
	// Duration is the run's length in virtual time.
	Duration time.Duration
	// Window is the width of the metric windows.
	Window time.Duration
}

// Limits beyond the knobs' ranges. A server's latency recorders take
// about 760 kB, so maxServers bounds a run near 400 MB; maxRequests
// bounds its length (a million requests take about a wall second).
const (
	maxServers  = 500
	maxKeys     = 1_000_000
	maxRequests = 10_000_000
	maxWindows  = 2000
	maxSpan     = 24 * time.Hour
	// backlog is the queue per slot at which a server has fallen behind:
	// a request there waits 50 service times.
	backlog = 50
	// unevenShare is the busiest server's calls over an even share above
	// which the load is called uneven.
	unevenShare = 1.25
)

var knobs = scenario.NewTable("balance", Config{}, nil,
	scenario.Int("Servers", "servers", "servers behind the balancer", 8, 1, maxServers),
	scenario.Int("Slots", "calls", "calls each server serves at once", 1, 1, 64),
	scenario.Distribution("Service", "a call's service time at a server", "exp(100ms)", time.Microsecond, time.Minute),
	scenario.Num("Load", "share", "offered load per server, λ: arrival rate × mean service / (Servers × Slots)", 0.7, 0.01, 0.99).Alias("lambda"),
	scenario.OneOf("Policy", "how the balancer picks a server", string(service.RoundRobin), describe.Strings(service.Policies())...),
	scenario.Int("Choices", "servers", "d: servers power-of-choices samples per request", 2, 1, 10).Alias("d").OnlyWith("Policy", string(service.PowerOfChoices)),
	scenario.Dur("LoadAge", "age of the load the balancer sees, refreshed every LoadAge", 0, time.Millisecond, time.Hour).ZeroMeans("live").Alias("stale").OnlyWith("Policy", string(service.LeastOutstanding), string(service.PowerOfChoices)),
	scenario.Num("LoadBound", "×", "consistent hashing's bound on a server's calls against the mean", 0, 1, 10).ZeroMeans("unbounded").OnlyWith("Policy", string(service.ConsistentHash)),
	scenario.Int("Keys", "keys", "distinct keys (sessions) requests carry", 1000, 1, maxKeys).OnlyWith("Policy", string(service.ConsistentHash), string(service.Sticky)),
	scenario.Num("KeySkew", "s", "Zipf exponent of the keys' popularity", 0, 0.01, 3).ZeroMeans("uniform").Alias("skew").OnlyWith("Policy", string(service.ConsistentHash), string(service.Sticky)),
	scenario.Num("SlowFactor", "×", "service time multiplier of the slow servers (a gray failure)", 0, 1, 1000).ZeroMeans("no slow server").Alias("slow"),
	scenario.Int("SlowServers", "servers", "how many servers are slow, s1 first", 1, 1, maxServers).OnlyWithout("SlowFactor", "0"),
	scenario.Dur("Slow.Start", "when the slow servers slow down", 0, 0, maxSpan).ZeroMeans("from the start").OnlyWithout("SlowFactor", "0"),
	scenario.Dur("Slow.Duration", "how long they stay slow", 0, time.Millisecond, maxSpan).ZeroMeans("to the end").OnlyWithout("SlowFactor", "0"),
	scenario.Dur("LeaveAt", "when the last server leaves for good", 0, time.Millisecond, maxSpan).ZeroMeans("none leaves").Alias("leave"),
	scenario.Dur("Duration", "the run's length in virtual time", 10*time.Minute, time.Second, maxSpan),
	scenario.Dur("Window", "width of the metric windows", 0, time.Millisecond, time.Hour).DerivedFrom("Duration/60"),
)

// KnobTable lists every knob of Config: its flag, unit, default, range
// and what it sets. Sweeps, the command line and the explorer take the
// same names.
func KnobTable() *metrics.Table { return knobs.Doc() }

// Default returns the defaults: 8 servers of one slot, exponential service
// of 100 ms, offered load 0.7 per server (56 requests a second), round
// robin, 1000 keys of equal popularity, for 10 minutes.
func Default() Config { return describe.Default[Config](knobs, 1) }

// withDefaults fills the zero fields that mean "default", then the window.
func (c Config) withDefaults() Config {
	_ = knobs.Fill(&c)
	if c.Window == 0 {
		c.Window = c.Duration / 60
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
	case c.SlowFactor > 0 && c.SlowServers > c.Servers:
		return bad("SlowServers", c.SlowServers, fmt.Sprintf("is more than Servers=%d", c.Servers))
	case c.SlowFactor > 0 && c.Slow.Start >= c.Duration:
		return bad("Slow.Start", c.Slow.Start, fmt.Sprintf("must lie inside the run (Duration=%v)", c.Duration))
	case c.LeaveAt >= c.Duration:
		return bad("LeaveAt", c.LeaveAt, fmt.Sprintf("must lie inside the run (Duration=%v)", c.Duration))
	case c.LeaveAt > 0 && c.Servers < 2:
		return bad("LeaveAt", c.LeaveAt, "needs at least 2 servers, so one is left")
	case c.Window > c.Duration:
		return bad("Window", c.Window, fmt.Sprintf("is longer than Duration=%v", c.Duration))
	case c.Duration/c.Window > maxWindows:
		return bad("Window", c.Window, fmt.Sprintf("gives more than %d windows over Duration=%v", maxWindows, c.Duration))
	case c.Rate()*c.Duration.Seconds() > maxRequests:
		return bad("Duration", c.Duration, fmt.Sprintf("brings about %.3g requests at %.4g a second; at most %d (shorten it, or lower Load or Servers)",
			c.Rate()*c.Duration.Seconds(), c.Rate(), maxRequests))
	}
	return nil
}

// Rate is the arrival rate at the balancer, in requests per second: Load ×
// Servers × Slots / the mean service time.
func (c Config) Rate() float64 {
	c = c.withDefaults()
	if c.Service == nil || !(c.Service.Mean() > 0) {
		return 0
	}
	return c.Load * float64(c.Servers*c.Slots) / c.Service.Mean()
}
