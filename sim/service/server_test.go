package service

import (
	"math"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/net"
)

// M/M/4 at ρ = 0.8 on one server component: the mean wait is Erlang C's
// (0.373 s) and Little's law holds for the calls in the system.
func TestServerMatchesErlangC(t *testing.T) {
	app := &Server{Name: "app", Slots: 4, Service: dist.MustParse("exp(500ms)")}
	sys := New(Config{Seed: 11, Duration: 20 * time.Hour})
	sys.Add(&Source{Name: "load", Target: "app", Rate: 6.4}, app)
	run(t, sys)
	const wq = 0.37278 // C(4, 3.2) = 0.59643, / (cμ - λ) = 1.6
	if got := app.Wait.Mean().Seconds(); math.Abs(got-wq) > 0.05*wq {
		t.Errorf("mean wait %.4fs, Erlang C %.4fs", got, wq)
	}
	lambda := float64(app.Arrivals.Total()) / sys.Config().Duration.Seconds()
	if l, lw := app.InSystem.Mean(), lambda*app.Response.Mean().Seconds(); math.Abs(l-lw) > 0.01*l {
		t.Errorf("Little's law: L = %.4f, λW = %.4f", l, lw)
	}
}

// Under overload LIFO serves the newest calls, so most answers come fast
// while the oldest wait longest; FIFO makes every call wait long.
func TestServerLIFO(t *testing.T) {
	median := func(d Discipline) sim.Time {
		app := &Server{Name: "app", Slots: 2, Service: dist.MustParse("exp(100ms)"), Discipline: d, MaxQueue: 200}
		sys := New(Config{Seed: 1, Duration: 10 * time.Minute})
		sys.Add(&Source{Name: "load", Target: "app", Rate: 22}, app)
		run(t, sys)
		return app.Wait.Quantile(0.5)
	}
	if fifo, lifo := median(FIFO), median(LIFO); lifo > fifo/10 {
		t.Errorf("median wait FIFO %v, LIFO %v", fifo, lifo)
	}
}

// A queue bound rejects; a queue timeout rejects what waited too long;
// cancellation drops what its caller gave up on.
func TestServerShedding(t *testing.T) {
	for _, tc := range []struct {
		name string
		srv  Server
		ok   func(s *Server) bool
	}{
		{"MaxQueue", Server{MaxQueue: 10}, func(s *Server) bool { return s.Rejections.Total() > 0 && s.Queue.Max() <= 10 }},
		{"MaxWait", Server{MaxWait: 200 * time.Millisecond}, func(s *Server) bool {
			return s.Rejections.Total() > 0 && s.Wait.Max() <= 200*sim.Millisecond
		}},
		// Without it nearly all work is wasted once the queue holds more
		// than a timeout's worth; with it, only what started just in time.
		{"Cancellation", Server{Cancellation: true}, func(s *Server) bool { return s.Dropped > 0 && s.Wasted.Total() < s.Throughput.Total()/2 }},
	} {
		srv := tc.srv
		srv.Name, srv.Slots, srv.Service = "app", 2, dist.MustParse("exp(100ms)")
		client := &Client{Name: "client", Target: "app", Timeout: time.Second}
		sys := New(Config{Seed: 1, Duration: 5 * time.Minute})
		sys.Add(&Source{Name: "load", Target: "client", Rate: 25}, client, &srv)
		run(t, sys)
		if !tc.ok(&srv) {
			t.Errorf("%s: rejected %d, dropped %d, wasted %d of %d, max queue %.0f, max wait %v", tc.name, srv.Rejections.Total(),
				srv.Dropped, srv.Wasted.Total(), srv.Throughput.Total(), srv.Queue.Max(), srv.Wait.Max())
		}
	}
}

// A crash fails every call held at once and refuses calls until the
// restart; a capacity drop keeps the busy slots under the reduced count
// once the calls in service finish; a slowdown lengthens the work that
// starts during it.
func TestServerFaults(t *testing.T) {
	app := &Server{Name: "app", Slots: 10, Service: dist.MustParse("const(100ms)")}
	sys := New(Config{Seed: 1, Duration: time.Minute, Window: time.Second})
	sys.Add(&Source{Name: "load", Target: "app", Rate: 20}, app)
	sys.Schedule(
		Fault{Target: "app", Kind: Crash, Window: sim.Window{Start: 10 * time.Second, Duration: 5 * time.Second}},
		Fault{Target: "app", Kind: CapacityDrop, Share: 0.9, Window: sim.Window{Start: 30 * time.Second, Duration: 10 * time.Second}},
		Fault{Target: "app", Kind: Slowdown, Factor: 2, Window: sim.Window{Start: 50 * time.Second, Duration: 5 * time.Second}},
	)
	run(t, sys)
	thr, rej := app.Throughput.Series(), app.Rejections.Series()
	if app.Reset == 0 || thr.Between(11*sim.Second, 15*sim.Second) != 0 || rej.Between(11*sim.Second, 15*sim.Second) < 15 {
		t.Errorf("crash: %d reset, throughput %.0f/s, refused %.0f/s", app.Reset, thr.Between(11*sim.Second, 15*sim.Second), rej.Between(11*sim.Second, 15*sim.Second))
	}
	busy := app.Busy.MaxSeries()
	if b := busy.Between(31*sim.Second, 40*sim.Second); b != 1 || app.Queue.MaxSeries().Between(35*sim.Second, 40*sim.Second) < 20 {
		t.Errorf("capacity drop to 1 slot: %.1f busy", b)
	}
	p50 := func(at sim.Time) sim.Time {
		for _, w := range app.Response.Windows() {
			if w.Start <= at && at < w.End {
				return w.P50
			}
		}
		return -1
	}
	if in, before := p50(52*sim.Second), p50(45*sim.Second); !near(in, 200*sim.Millisecond) || !near(before, 100*sim.Millisecond) {
		t.Errorf("slowdown: median response %v in it, %v before", in, before)
	}
}

// A pool never lends more than its connections, serves its waiting calls
// in order, and refuses what waited MaxWait.
func TestPool(t *testing.T) {
	pool := &Pool{Name: "pool", Target: "db", Size: 4, MaxWait: 100 * time.Millisecond}
	db := &Server{Name: "db", Slots: 100, Service: dist.MustParse("exp(40ms)")}
	sys := New(Config{Seed: 1, Duration: 10 * time.Minute})
	sys.Add(&Source{Name: "load", Target: "pool", Rate: 110}, pool, db)
	run(t, sys)
	if pool.InUse.Max() != 4 || db.Busy.Max() > 4 || pool.Rejections.Total() == 0 || pool.Wait.Max() > 100*sim.Millisecond {
		t.Errorf("in use at most %.0f (db busy %.0f), refused %d, longest wait %v", pool.InUse.Max(), db.Busy.Max(), pool.Rejections.Total(), pool.Wait.Max())
	}
	// Little's law on the connections: in use = throughput × holding time.
	x := float64(db.Throughput.Total()) / 600
	if l, lw := pool.InUse.Mean(), x*db.Response.Mean().Seconds(); math.Abs(l-lw) > 0.02*l {
		t.Errorf("connections in use %.3f, λW %.3f", l, lw)
	}
}

func TestDependencyFailureShare(t *testing.T) {
	db := &Dependency{Name: "db", Latency: dist.MustParse("exp(10ms)"), Failure: 0.3}
	src := &Source{Name: "load", Target: "db", Rate: 1000}
	sys := New(Config{Seed: 1, Duration: time.Minute})
	sys.Add(src, db)
	run(t, sys)
	if share := float64(src.Failed) / float64(src.Answered+src.Failed); math.Abs(share-0.3) > 0.01 {
		t.Errorf("failed %.3f, want 0.3", share)
	}
	if m := db.Response.Mean().Seconds(); math.Abs(m-0.01) > 0.0005 {
		t.Errorf("mean latency %.4fs, want 10ms", m)
	}
}

// A direct hop adds its latency both ways; with loss and a timeout it
// answers lost calls as lost; across the network, a partition cuts it.
func TestHop(t *testing.T) {
	hop := &Hop{Name: "hop", Target: "db", Latency: dist.MustParse("20ms")}
	src := &Source{Name: "load", Target: "hop", Rate: 100}
	sys := New(Config{Seed: 1, Duration: time.Minute})
	sys.Add(src, hop, &Dependency{Name: "db", Latency: dist.MustParse("5ms")})
	run(t, sys)
	if rt := hop.RoundTrip.Mean(); rt != 45*sim.Millisecond || src.Failed != 0 {
		t.Errorf("round trip %v, failed %d", rt, src.Failed)
	}

	lossy := &Hop{Name: "hop", Target: "db", Latency: dist.MustParse("20ms"), Loss: 0.1, Timeout: 100 * time.Millisecond}
	src = &Source{Name: "load", Target: "hop", Rate: 100}
	sys = New(Config{Seed: 1, Duration: time.Minute})
	sys.Add(src, lossy, &Dependency{Name: "db", Latency: dist.MustParse("5ms")})
	run(t, sys)
	// A call is lost one way or the other with probability 1 - 0.9².
	if share := float64(src.Failed) / float64(src.Answered+src.Failed); math.Abs(share-0.19) > 0.015 || lossy.TimedOut.Total() != src.Failed || sys.Held() > 20 {
		t.Errorf("lost %.3f of calls (want 0.19), timed out %d, held %d", share, lossy.TimedOut.Total(), sys.Held())
	}

	far := &Hop{Name: "far", Target: "db", Across: [2]string{"eu", "us"}, Timeout: time.Second}
	src = &Source{Name: "load", Target: "far", Rate: 100}
	sys = New(Config{Seed: 1, Duration: time.Minute, Window: time.Second})
	sys.Add(src, far, &Dependency{Name: "db", Latency: dist.MustParse("5ms")})
	sys.UseNetwork(Network{Latency: []GroupLatency{{A: "eu", B: "us", Latency: dist.MustParse("40ms")}},
		Faults: []net.Fault{{Kind: net.FaultPartition, Window: sim.Window{Start: 20 * time.Second, Duration: 10 * time.Second}, Sides: [][]string{{"eu"}, {"us"}}}}})
	run(t, sys)
	timedOut := far.TimedOut.Series()
	if rt := far.RoundTrip.Quantile(0.5); rt != 85*sim.Millisecond || timedOut.Between(22*sim.Second, 30*sim.Second) < 95 || timedOut.Between(35*sim.Second, 60*sim.Second) != 0 {
		t.Errorf("round trip %v; timed out %.0f/s in the partition, %.0f/s after", rt, timedOut.Between(22*sim.Second, 30*sim.Second), timedOut.Between(35*sim.Second, 60*sim.Second))
	}
}

// near is within the histograms' precision, 0.1%.
func near(got, want sim.Time) bool { return math.Abs(float64(got-want)) <= 0.001*float64(want) }
