package service

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/net"
	"dsim/sim/resilience"
)

// Every field of every component refuses a bad value with an error that
// names the component, the field and the value, before the run.
func TestValidationNamesTheField(t *testing.T) {
	exp := dist.MustParse("exp(10ms)")
	ok := func() map[string]Component {
		return map[string]Component{
			"load":   &Source{Name: "load", Target: "client", Rate: 10},
			"users":  &Users{Name: "users", Target: "client", N: 10, Think: exp},
			"client": &Client{Name: "client", Target: "hop", Timeout: time.Second},
			"hop":    &Hop{Name: "hop", Target: "lb", Latency: exp},
			"lb":     &Balancer{Name: "lb", Backends: []string{"app"}},
			"app":    &Server{Name: "app", Slots: 2, Service: exp, Calls: []string{"cache"}},
			"cache":  &Cache{Name: "cache", Backend: "pool", Capacity: 10},
			"pool":   &Pool{Name: "pool", Target: "db", Size: 2},
			"db":     &Dependency{Name: "db", Latency: exp},
		}
	}
	order := []string{"load", "users", "client", "hop", "lb", "app", "cache", "pool", "db"}
	for _, tc := range []struct {
		name string
		edit func(Component)
		want string
	}{
		{"load", func(c Component) { c.(*Source).Rate = -1 }, `Source "load": Rate=-1: must be between 0`},
		{"load", func(c Component) { c.(*Source).Rate = math.NaN() }, "Rate=NaN"},
		{"load", func(c Component) { c.(*Source).Rate = 0 }, "Rate=0: the load never sends"},
		{"load", func(c Component) { c.(*Source).Pattern = "sine" }, "Pattern=sine: want one of"},
		{"load", func(c Component) { c.(*Source).Peak = 1e13 }, "Peak=1e+13"},
		{"load", func(c Component) { c.(*Source).Pattern = Spike; c.(*Source).Window.Start = time.Hour }, "Window.Start=1h0m0s: must lie inside the run"},
		{"load", func(c Component) { c.(*Source).Window.Duration = -1 }, "Window=0s to -1ns: must not be negative"},
		{"load", func(c Component) { c.(*Source).Period = time.Microsecond }, "Period=1µs"},
		{"load", func(c Component) { c.(*Source).Pattern = Bursty; c.(*Source).BurstMean = time.Microsecond }, "BurstMean=1µs: gives more than 100000 bursts"},
		{"load", func(c Component) { c.(*Source).Pattern = Stepped }, "Schedule=none"},
		{"load", func(c Component) { c.(*Source).Schedule = []Step{{At: 2, Rate: 1}, {At: 1, Rate: 1}} }, "Schedule[1].At=1ns: steps must be in increasing time order"},
		{"load", func(c Component) { c.(*Source).Schedule = []Step{{Rate: -1}} }, "Schedule[0].Rate=-1"},
		{"load", func(c Component) { c.(*Source).Writes = 2 }, "Writes=2"},
		{"load", func(c Component) { c.(*Source).Keys.N = -1 }, "Keys.N=-1"},
		{"load", func(c Component) { c.(*Source).Keys = Keys{N: 10, Skew: 11} }, "Keys.Skew=11"},
		{"users", func(c Component) { c.(*Users).N = 0 }, `Users "users": N=0: must be between 1 and 10000000 users`},
		{"users", func(c Component) { c.(*Users).Think = nil }, "Think=none: missing"},
		{"users", func(c Component) { c.(*Users).Think = dist.MustParse("normal(1s, 2s)") }, "Think=normal(1s, 2s)"},
		{"users", func(c Component) { c.(*Users).Think = dist.MustParse("0s") }, "Think=const(0ns): its mean must be positive"},
		{"client", func(c Component) { c.(*Client).Timeout = -time.Second }, `Client "client": Timeout=-1s`},
		{"client", func(c Component) { c.(*Client).MaxRetries = 101 }, "MaxRetries=101"},
		{"client", func(c Component) { c.(*Client).Backoff = resilience.Backoff{Kind: "linear"} }, `Backoff=linear(base 0s): unknown backoff "linear"`},
		{"client", func(c Component) { c.(*Client).Backoff = resilience.Backoff{Kind: resilience.Exponential} }, "Backoff=exponential(base 0s): backoff Base=0"},
		{"client", func(c Component) { c.(*Client).RetryBudget = -1 }, "RetryBudget=-1"},
		{"client", func(c Component) { c.(*Client).BudgetBurst = 0.5 }, "BudgetBurst=0.5"},
		{"client", func(c Component) { c.(*Client).Breaker.Threshold = 0.5 }, "Breaker.Window=0"},
		{"client", func(c Component) { c.(*Client).Breaker = resilience.BreakerConfig{Window: 10, Threshold: 2} }, "Breaker.Threshold=2"},
		{"client", func(c Component) { c.(*Client).Breaker = resilience.BreakerConfig{Window: 10, Threshold: 1} }, "Breaker.Cooldown=0s"},
		{"client", func(c Component) { c.(*Client).Hedge = 2 * time.Hour }, "Hedge=2h0m0s"},
		{"hop", func(c Component) { c.(*Hop).Loss = 1 }, `Hop "hop": Loss=1: must be a probability in [0, 1)`},
		{"hop", func(c Component) { c.(*Hop).Timeout = -1 }, "Timeout=-1ns"},
		{"hop", func(c Component) { c.(*Hop).Latency = dist.MustParse("uniform(-1s, 1s)") }, "Latency=uniform(-1s, 1s)"},
		{"hop", func(c Component) { c.(*Hop).Across = [2]string{"a", "b"} }, "the system has no network"},
		{"lb", func(c Component) { c.(*Balancer).Backends = nil }, `Balancer "lb": Backends=[0 names]`},
		{"lb", func(c Component) { c.(*Balancer).Backends = []string{"app", "app"} }, "Backends[1]=app: is named twice"},
		{"lb", func(c Component) { c.(*Balancer).Policy = "fastest" }, "Policy=fastest"},
		{"lb", func(c Component) { c.(*Balancer).Choices = 200 }, "Choices=200"},
		{"lb", func(c Component) { c.(*Balancer).LoadAge = -time.Second }, "LoadAge=-1s"},
		{"lb", func(c Component) { c.(*Balancer).LoadBound = 0.5 }, "LoadBound=0.5"},
		{"lb", func(c Component) { c.(*Balancer).Replicas = 5000 }, "Replicas=5000"},
		{"app", func(c Component) { c.(*Server).Slots = 0 }, `service: Server "app": Slots=0: must be between 1 and 1000000`},
		{"app", func(c Component) { c.(*Server).Service = nil }, "Service=none: missing"},
		{"app", func(c Component) { c.(*Server).Service = dist.MustParse("const(2h)") }, "Service=const(7200s): its mean 2h0m0s must be between 0 and 1h"},
		{"app", func(c Component) { c.(*Server).Slope = -1 }, "Slope=-1ns"},
		{"app", func(c Component) { c.(*Server).Discipline = "random" }, "Discipline=random"},
		{"app", func(c Component) { c.(*Server).MaxQueue = -1 }, "MaxQueue=-1"},
		{"app", func(c Component) { c.(*Server).MaxWait = -1 }, "MaxWait=-1ns"},
		{"app", func(c Component) { c.(*Server).Calls = []string{""} }, `Calls[0]="": names no component`},
		{"cache", func(c Component) { c.(*Cache).Capacity = 0 }, `Cache "cache": Capacity=0`},
		{"cache", func(c Component) { c.(*Cache).Eviction = "random" }, "Eviction=random"},
		{"cache", func(c Component) { c.(*Cache).WritePolicy = "write-never" }, "WritePolicy=write-never"},
		{"cache", func(c Component) { c.(*Cache).TTL = -1 }, "TTL=-1ns"},
		{"cache", func(c Component) { c.(*Cache).EarlyRefresh = 1 }, "EarlyRefresh=1: refreshes ahead of expiry: give the cache a TTL"},
		{"cache", func(c Component) { c.(*Cache).HitTime = dist.AsDuration(dist.Exp(-0.001)) }, "HitTime=exp(-1ms)"},
		{"pool", func(c Component) { c.(*Pool).Size = 0 }, `Pool "pool": Size=0`},
		{"pool", func(c Component) { c.(*Pool).MaxQueue = -1 }, "MaxQueue=-1"},
		{"pool", func(c Component) { c.(*Pool).MaxWait = 2 * time.Hour }, "MaxWait=2h0m0s"},
		{"db", func(c Component) { c.(*Dependency).Failure = 1.5 }, `Dependency "db": Failure=1.5`},
		{"db", func(c Component) { c.(*Dependency).Latency = nil }, "Latency=none: missing"},
	} {
		parts := ok()
		tc.edit(parts[tc.name])
		sys := New(Config{})
		for _, n := range order {
			sys.Add(parts[n])
		}
		err := sys.Run(context.Background())
		if err == nil || !strings.HasPrefix(err.Error(), "service: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
	// And the untouched system runs.
	parts := ok()
	sys := New(Config{})
	for _, n := range order {
		sys.Add(parts[n])
	}
	run(t, sys)
}

func TestConfigValidation(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Duration: -time.Second}, "Config.Duration=-1s"},
		{Config{Duration: 20000 * time.Hour}, "Config.Duration=20000h0m0s"},
		{Config{Window: 2 * time.Minute}, "Config.Window=2m0s: is longer than Duration=1m0s"},
		{Config{Duration: time.Hour, Window: time.Microsecond}, "gives more than 1000000 windows"},
		{Config{MaxCalls: -1}, "Config.MaxCalls=-1"},
		{Config{StreamNames: map[string]string{"a/b": ""}}, `Config.StreamNames["a/b"]="": a stream name must not be empty`},
	} {
		if err := tc.cfg.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want %q", tc.cfg, err, tc.want)
		}
	}
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("zero config: %v", err)
	}
}

func TestNetworkValidation(t *testing.T) {
	base := func(n Network) error {
		sys := New(Config{})
		sys.Add(&Source{Name: "load", Target: "hop", Rate: 1}, &Hop{Name: "hop", Target: "db", Across: [2]string{"eu", "us"}},
			&Dependency{Name: "db", Latency: dist.MustParse("1ms")})
		sys.UseNetwork(n)
		return sys.Check()
	}
	for _, tc := range []struct {
		n    Network
		want string
	}{
		{Network{Config: net.Config{Loss: 1}}, "service: Network.Config: Loss=1"},
		{Network{Latency: []GroupLatency{{A: "eu", B: "us", Latency: dist.AsDuration(dist.Exp(-0.001))}}}, "service: Network.Latency[0]"},
		{Network{Faults: []net.Fault{{Kind: net.FaultPartition, Window: sim.Window{Start: time.Second}, Sides: [][]string{{"eu"}, {"mars"}}}}}, "service: Network.Faults[0]"},
	} {
		if err := base(tc.n); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want %q", tc.n, err, tc.want)
		}
	}
	if err := base(Network{}); err != nil {
		t.Errorf("a plain network: %v", err)
	}
}
