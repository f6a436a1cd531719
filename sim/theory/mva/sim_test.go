package mva_test

import (
	"context"
	"math"
	"testing"
	"time"

	"dsim/sim/dist"
	"dsim/sim/service"
	"dsim/sim/theory/mva"
)

// closed is the three-station network of the examples built from service
// components: users who think for exactly Z, a front server of as many
// slots as users that does no work of its own and calls, one after the
// other, a CPU and a disk (one slot each, exponential service: the FIFO
// queues of product form) and a network crossing (a dependency: a delay
// station). It returns the users, for their throughput and response time.
func closed(users int, run time.Duration) (*service.Users, *service.System, error) {
	u := &service.Users{Name: "users", Target: "front", N: users, Think: dist.MustParse("const(1s)")}
	sys := service.New(service.Config{Seed: 7, Duration: run})
	sys.Add(u,
		&service.Server{Name: "front", Slots: users, Service: dist.MustParse("const(0s)"), Calls: []string{"cpu", "disk", "wan"}},
		&service.Server{Name: "cpu", Slots: 1, Service: dist.MustParse("exp(40ms)")},
		&service.Server{Name: "disk", Slots: 1, Service: dist.MustParse("exp(25ms)")},
		&service.Dependency{Name: "wan", Latency: dist.MustParse("exp(50ms)")},
	)
	return u, sys, sys.Run(context.Background())
}

// The simulation agrees with exact MVA within 3% on throughput and
// response time at 1, 5, 20 and 50 users (below, near and past the knee
// at 27.9), and the response-time law R = N/X − Z holds within 1%.
func TestSimulationAgrees(t *testing.T) {
	net := mva.Network{Think: time.Second, Stations: []mva.Station{
		{Name: "cpu", Demand: 40 * time.Millisecond},
		{Name: "disk", Demand: 25 * time.Millisecond},
		{Name: "wan", Kind: mva.Delay, Demand: 50 * time.Millisecond},
	}}
	curve, err := net.Solve(50)
	if err != nil {
		t.Fatal(err)
	}
	const run = 4 * time.Hour
	for _, n := range []int{1, 5, 20, 50} {
		u, sys, err := closed(n, run)
		if err != nil {
			t.Fatal(err)
		}
		// Each user starts after one think time.
		x := float64(u.Answered) / (run - net.Think).Seconds()
		r := u.Response.Mean().Seconds()
		want := curve[n-1]
		law := float64(n)/x - net.Think.Seconds()
		offX, offR, offLaw := x/want.X-1, r/want.R.Seconds()-1, r/law-1
		t.Logf("N=%2d X=%.3f/s (MVA %.3f, %+.2f%%) R=%.1fms (MVA %.1fms, %+.2f%%) N/X−Z=%.1fms (%+.2f%%) cpu %.3f (MVA %.3f)",
			n, x, want.X, 100*offX, 1000*r, 1000*want.R.Seconds(), 100*offR, 1000*law, 100*offLaw,
			sys.Find("cpu").(*service.Server).Utilisation(), want.Utilisation[0])
		if math.Abs(offX) > 0.03 || math.Abs(offR) > 0.03 {
			t.Errorf("N=%d: simulation off MVA by %+.2f%% in X, %+.2f%% in R: more than 3%%", n, 100*offX, 100*offR)
		}
		if math.Abs(offLaw) > 0.01 {
			t.Errorf("N=%d: R=%.2fms, N/X−Z=%.2fms: the law is off by %+.2f%%", n, 1000*r, 1000*law, 100*offLaw)
		}
	}
}
