package service

import (
	"math"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/resilience"
)

// A server slower than the timeout answers nothing in time: every request
// sends MaxRetries+1 attempts, each times out, and every answer is late
// and wasted. Attempts are Timeout apart: no answer comes later than the
// client's whole patience.
func TestClientTimeoutsAndRetries(t *testing.T) {
	client := &Client{Name: "client", Target: "app", Timeout: 100 * time.Millisecond, MaxRetries: 2}
	app := &Server{Name: "app", Slots: 1000, Service: dist.MustParse("150ms")}
	sys := New(Config{Seed: 1, Duration: time.Minute})
	sys.Add(&Source{Name: "load", Target: "client", Rate: 50}, client, app)
	run(t, sys)
	req := client.Requests.Total()
	done := client.Failures.Total()
	// Every attempt timed out but the last of each unfinished request.
	if client.Goodput.Total() != 0 || client.Attempts.Total() < 3*done || client.Timeouts.Total() != client.Attempts.Total()-(req-done) {
		t.Errorf("requests %d, failed %d, attempts %d, timeouts %d", req, done, client.Attempts.Total(), client.Timeouts.Total())
	}
	if app.Wasted.Total() != app.Throughput.Total() || app.Throughput.Total() == 0 || client.Late != app.Throughput.Total() {
		t.Errorf("served %d, wasted %d, late %d", app.Throughput.Total(), app.Wasted.Total(), client.Late)
	}
	if got := client.Amplification(); math.Abs(got-3) > 0.01 {
		t.Errorf("amplification %.3f, want 3", got)
	}
}

// An answer at the very instant of its timeout is late, whichever of the
// two events the engine runs first.
func TestClientTimeoutWinsTies(t *testing.T) {
	client := &Client{Name: "client", Target: "app", Timeout: 100 * time.Millisecond}
	app := &Server{Name: "app", Slots: 10, Service: dist.MustParse("100ms")}
	sys := New(Config{Seed: 1, Duration: 10 * time.Second})
	sys.Add(&Source{Name: "load", Target: "client", Rate: 10}, client, app)
	run(t, sys)
	if client.Goodput.Total() != 0 || client.Timeouts.Total() == 0 || app.Wasted.Total() != app.Throughput.Total() {
		t.Errorf("goodput %d, timeouts %d, wasted %d of %d", client.Goodput.Total(), client.Timeouts.Total(), app.Wasted.Total(), app.Throughput.Total())
	}
}

// A retry budget caps retries at its ratio of first attempts (+ burst).
func TestClientBudget(t *testing.T) {
	client := &Client{Name: "client", Target: "db", MaxRetries: 5, RetryBudget: 0.1, BudgetBurst: 5}
	sys := New(Config{Seed: 1, Duration: time.Minute})
	sys.Add(&Source{Name: "load", Target: "client", Rate: 100}, client, &Dependency{Name: "db", Latency: dist.MustParse("exp(10ms)"), Failure: 0.5})
	run(t, sys)
	if r, f := client.Retries.Total(), client.FirstAttempts; float64(r) > 0.1*float64(f)+5 || client.BudgetDenied == 0 {
		t.Errorf("%d retries for %d first attempts, %d denied", r, f, client.BudgetDenied)
	}
}

// A breaker opens when calls fail and fails requests at once while open.
func TestClientBreaker(t *testing.T) {
	client := &Client{Name: "client", Target: "db", Breaker: resilience.BreakerConfig{Window: 10, Threshold: 0.5, Cooldown: time.Second}}
	db := &Dependency{Name: "db", Latency: dist.MustParse("exp(10ms)")}
	sys := New(Config{Seed: 1, Duration: time.Minute})
	sys.Add(&Source{Name: "load", Target: "client", Rate: 100}, client, db)
	sys.Schedule(Fault{Target: "db", Kind: Crash, Window: sim.Window{Start: 20 * time.Second, Duration: 10 * time.Second}})
	run(t, sys)
	// While db is down the breaker lets one trial through per cooldown.
	if client.BreakerOpened < 5 || client.ShortCircuited < 800 || db.Rejections.Total() > 50 {
		t.Errorf("opened %d, short-circuited %d, db refused %d", client.BreakerOpened, client.ShortCircuited, db.Rejections.Total())
	}
	if share := client.Goodput.Series().Between(40*sim.Second, 60*sim.Second); share < 95 {
		t.Errorf("goodput after the crash %.1f/s, want about 100", share)
	}
}

// Hedging cuts the tail when a few calls are very slow (Dean and Barroso,
// "The Tail at Scale"): 1% of calls take a second; a hedge at 50 ms
// races them.
func TestClientHedgingCutsTheTail(t *testing.T) {
	p99 := func(hedge time.Duration) (sim.Time, *Client) {
		client := &Client{Name: "client", Target: "db", Hedge: hedge}
		sys := New(Config{Seed: 1, Duration: 5 * time.Minute})
		sys.Add(&Source{Name: "load", Target: "client", Rate: 100}, client,
			&Dependency{Name: "db", Latency: dist.MustParse("mix(0.98: exp(10ms), 0.02: const(1s))")})
		run(t, sys)
		return client.Latency.Quantile(0.99), client
	}
	plain, _ := p99(0)
	hedged, c := p99(50 * time.Millisecond)
	if plain < 900*sim.Millisecond || hedged > 100*sim.Millisecond || c.Hedges == 0 || float64(c.Hedges) > 0.1*float64(c.Requests.Total()) {
		t.Errorf("p99 %v plain, %v hedged with %d hedges for %d requests", plain, hedged, c.Hedges, c.Requests.Total())
	}
}

// A client passes its deadline down: a server two tiers below refuses
// work that cannot finish in time, which wastes less of its work and
// answers more requests than serving every call.
func TestDeadlinePropagates(t *testing.T) {
	once := func(admit bool) (*Client, *Server) {
		client := &Client{Name: "client", Target: "app", Timeout: 200 * time.Millisecond}
		db := &Server{Name: "db", Slots: 1, Service: dist.MustParse("exp(50ms)"), DeadlineAdmission: admit}
		sys := New(Config{Seed: 1, Duration: time.Minute})
		sys.Add(&Source{Name: "load", Target: "client", Rate: 40}, client,
			&Server{Name: "app", Slots: 100, Service: dist.MustParse("1ms"), Calls: []string{"db"}}, db)
		run(t, sys)
		return client, db
	}
	c0, db0 := once(false)
	c1, db1 := once(true)
	w0 := float64(db0.Wasted.Total()) / float64(db0.Throughput.Total())
	w1 := float64(db1.Wasted.Total()) / float64(db1.Throughput.Total())
	if db1.Rejections.Total() == 0 || w1 > w0/3 || c1.Goodput.Total() <= c0.Goodput.Total() {
		t.Errorf("wasted %.0f%% -> %.0f%% with admission (%d refused); goodput %d -> %d",
			100*w0, 100*w1, db1.Rejections.Total(), c0.Goodput.Total(), c1.Goodput.Total())
	}
}
