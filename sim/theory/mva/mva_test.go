package mva

import (
	"math"
	"strings"
	"testing"
	"time"
)

// The machine-repairman model (one exponential server, N sources that
// think for an exponential Z) has a closed form: with ρ = S/Z,
// p0 = 1 / Σ_{k=0..N} N!/(N−k)! ρ^k and X = (1−p0)/S. Exact MVA must
// give the same throughput to rounding (Kleinrock, Queueing Systems I,
// §3.10).
func TestMachineRepairman(t *testing.T) {
	const s, z = 0.05, 0.8
	net := Network{Think: 800 * time.Millisecond, Stations: []Station{{Name: "cpu", Demand: 50 * time.Millisecond}}}
	curve, err := net.Solve(60)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range curve {
		sum, term := 1.0, 1.0
		for k := 1; k <= p.N; k++ {
			term *= float64(p.N-k+1) * s / z
			sum += term
		}
		x := (1 - 1/sum) / s
		if math.Abs(p.X-x) > 1e-9*x {
			t.Errorf("N=%d: MVA X=%.12f, closed form %.12f", p.N, p.X, x)
		}
		if want := float64(p.N)/p.X - z; math.Abs(p.R.Seconds()-want) > 1e-9 {
			t.Errorf("N=%d: R=%v, N/X−Z=%.9fs", p.N, p.R, want)
		}
	}
}

// One user never waits; many users pile up at the bottleneck, whose
// utilisation tends to one, and the response time approaches the
// asymptote N·D_max − Z; the bounds hold everywhere.
func TestLimits(t *testing.T) {
	net := Network{Think: time.Second, Stations: []Station{
		{Name: "cpu", Demand: 40 * time.Millisecond},
		{Name: "disk", Demand: 25 * time.Millisecond},
		{Name: "wan", Kind: Delay, Demand: 50 * time.Millisecond},
	}}
	curve, err := net.Solve(400)
	if err != nil {
		t.Fatal(err)
	}
	if r := curve[0].R; r != net.Demand() {
		t.Errorf("N=1: R=%v, want the total demand %v", r, net.Demand())
	}
	for _, p := range curve {
		xMax, rMin := net.Bounds(p.N)
		if p.X > xMax*(1+1e-12) || p.R < rMin-time.Nanosecond {
			t.Errorf("N=%d: X=%.4f R=%v outside the bounds X≤%.4f R≥%v", p.N, p.X, p.R, xMax, rMin)
		}
		q := 0.0
		for _, v := range p.Queue {
			q += v
		}
		if users := q + p.X*net.Think.Seconds(); math.Abs(users-float64(p.N)) > 1e-9*float64(p.N) {
			t.Errorf("N=%d: %.9f users in the stations and thinking", p.N, users)
		}
	}
	last := curve[len(curve)-1]
	if u := last.Utilisation[0]; u < 0.999 || u > 1 {
		t.Errorf("N=400: bottleneck utilisation %.5f", u)
	}
	if k := net.Knee(); math.Abs(k-1.115/0.04) > 1e-9 {
		t.Errorf("knee %.4f, want %.4f", k, 1.115/0.04)
	}
	if b := net.Bottleneck(); b != 0 {
		t.Errorf("bottleneck %d, want 0", b)
	}
	at, err := net.At(400)
	if err != nil || at.X != last.X || at.R != last.R {
		t.Errorf("At(400) = %v %v (%v), Solve's last = %v %v", at.X, at.R, err, last.X, last.R)
	}
}

func TestValidate(t *testing.T) {
	ok := []Station{{Name: "cpu", Demand: time.Millisecond}}
	for _, tc := range []struct {
		net   Network
		users int
		want  string
	}{
		{Network{}, 1, "Stations: none"},
		{Network{Stations: make([]Station, MaxStations+1)}, 1, "MaxStations"},
		{Network{Think: -time.Second, Stations: ok}, 1, "Think=-1s"},
		{Network{Think: 2 * time.Hour, Stations: ok}, 1, "Think=2h0m0s"},
		{Network{Stations: []Station{{Kind: "lifo", Demand: 1}}}, 1, `Stations[0].Kind="lifo"`},
		{Network{Stations: []Station{{Demand: -1}}}, 1, "Stations[0].Demand=-1ns"},
		{Network{Stations: []Station{{}}}, 1, "every Demand are 0"},
		{Network{Stations: ok}, 0, "users=0"},
		{Network{Stations: ok}, MaxUsers + 1, "users=1000001"},
		{Network{Think: time.Second, Stations: make([]Station, 100)}, 200_000, "MaxCells"},
	} {
		_, err := tc.net.Solve(tc.users)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "mva: ") {
			t.Errorf("Solve(%d), Think=%v, %d stations: %v, want an error with %q", tc.users, tc.net.Think, len(tc.net.Stations), err, tc.want)
		}
	}
}
