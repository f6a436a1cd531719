package service

import (
	"math"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
)

// Each pattern's mean rate over the run is the base times its mean
// multiple, and the key popularity follows Keys.Probability.
func TestSourcePatterns(t *testing.T) {
	half := sim.Window{Start: 10 * time.Minute, Duration: 10 * time.Minute}
	for _, tc := range []struct {
		src  Source
		mean float64 // requests per second over the run
	}{
		{Source{Rate: 20}, 20},
		{Source{Rate: 20, Pattern: Ramp, Peak: 60}, 40},
		{Source{Rate: 20, Pattern: RampUpDown, Peak: 60}, 40},
		{Source{Rate: 20, Pattern: Spike, Peak: 60, Window: half}, 20 + 40.0/3},
		{Source{Rate: 20, Pattern: Diurnal, Peak: 60}, 40},
		{Source{Rate: 20, Pattern: Stepped, Schedule: []Step{{At: 10 * time.Minute, Rate: 80}, {At: 20 * time.Minute, Rate: 0}}}, 100.0 / 3},
	} {
		src := tc.src
		src.Name, src.Target = "load", "db"
		sys := New(Config{Seed: 3, Duration: 30 * time.Minute})
		sys.Add(&src, &Dependency{Name: "db", Latency: dist.MustParse("1ms")})
		run(t, sys)
		got := float64(src.Offered.Total()) / (30 * 60)
		if math.Abs(got-tc.mean) > 0.03*tc.mean {
			t.Errorf("%s: %.2f/s, want %.2f/s", src.pattern(), got, tc.mean)
		}
	}
}

func TestBurstyLoadFollowsItsBursts(t *testing.T) {
	src := &Source{Name: "load", Target: "db", Rate: 10, Peak: 100, Pattern: Bursty, BurstMean: 10 * time.Second}
	sys := New(Config{Seed: 4, Duration: time.Hour, Window: time.Second})
	sys.Add(src, &Dependency{Name: "db", Latency: dist.MustParse("1ms")})
	run(t, sys)
	var in time.Duration
	for _, b := range src.Bursts() {
		in += b.Duration
	}
	share := in.Seconds() / 3600
	want := 10 + 90*share
	if got := float64(src.Offered.Total()) / 3600; math.Abs(got-want) > 0.05*want || share < 0.1 || share > 0.3 {
		t.Errorf("%.2f/s with bursts %.0f%% of the time, want %.2f/s", got, 100*share, want)
	}
}

func TestKeysFollowZipf(t *testing.T) {
	for _, skew := range []float64{0, 0.8, 1.2} {
		k := Keys{N: 1000, Skew: skew}
		s := newSampler(k)
		r := sim.Stream(5, "keys")
		counts := make([]int, k.N)
		const n = 1_000_000
		for i := 0; i < n; i++ {
			counts[s.draw(r)]++
		}
		for _, i := range []int{0, 1, 9, 99, 999} {
			p := k.Probability(i)
			sd := math.Sqrt(p * (1 - p) / n)
			if got := float64(counts[i]) / n; math.Abs(got-p) > 5*sd {
				t.Errorf("Zipf(%v) key %d: %.5f, want %.5f ± %.5f", skew, i, got, p, sd)
			}
		}
	}
}

func TestWritesShare(t *testing.T) {
	cache := &Cache{Name: "cache", Backend: "db", Capacity: 10}
	sys := New(Config{Seed: 1, Duration: time.Minute})
	sys.Add(&Source{Name: "load", Target: "cache", Rate: 1000, Writes: 0.25, Keys: Keys{N: 100}}, cache, &Dependency{Name: "db", Latency: dist.MustParse("1ms")})
	run(t, sys)
	share := float64(cache.Writes.Total()) / float64(cache.Writes.Total()+cache.Reads.Total())
	if math.Abs(share-0.25) > 0.01 {
		t.Errorf("writes %.3f of requests, want 0.25", share)
	}
}

// The interactive response time law: N users who think Z between requests
// answered in R each send N/(R+Z) requests per second.
func TestUsersResponseTimeLaw(t *testing.T) {
	users := &Users{Name: "users", Target: "app", N: 40, Think: dist.MustParse("exp(1s)")}
	app := &Server{Name: "app", Slots: 10, Service: dist.MustParse("exp(200ms)")}
	sys := New(Config{Seed: 2, Duration: time.Hour})
	sys.Add(users, app)
	run(t, sys)
	x := float64(users.Offered.Total()) / 3600
	want := 40 / (app.Response.Mean().Seconds() + 1)
	if math.Abs(x-want) > 0.01*want {
		t.Errorf("throughput %.3f/s, N/(R+Z) = %.3f/s", x, want)
	}
}
