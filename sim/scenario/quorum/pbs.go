package quorum

import (
	"cmp"
	"fmt"
	"math"
	"sort"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/metrics"
	"dsim/sim/viz"
)

// Profile is a latency profile for the WARS model of Bailis et al.: the
// one-way delays of a write request to a replica (W), its acknowledgement
// (A), a read request (R) and its response (S).
type Profile struct {
	Name       string
	W, A, R, S dist.Dist
	// Remote is added to every message to or from a replica in another
	// datacenter than the coordinator's. 0 means one datacenter. With a
	// Remote delay, each replica sits in its own datacenter and the
	// writer's and the reader's coordinators each sit in a random one.
	Remote time.Duration
}

// lnkd and ymmr build the fits published in Bailis et al., "Probabilistically
// Bounded Staleness for Practical Partial Quorums", VLDB 2012, section 5:
// mixtures of a Pareto(xm, alpha) body and an exponential(rate) tail, in ms.
func fit(pareto, xm, alpha, rate float64) dist.Dist {
	const ms = 1e-3
	return dist.AsDuration(dist.Mix([]float64{pareto, 1 - pareto}, dist.Par(xm*ms, alpha), dist.Exp(1/rate*ms)))
}

// Profiles returns the four production profiles of the PBS paper:
// LinkedIn on SSDs and on disks, Yammer, and a WAN built from LNKD-DISK
// with 75 ms added to each message to a remote replica.
func Profiles() []Profile {
	ssd := fit(0.9122, 0.235, 10, 1.66)
	disk := fit(0.38, 1.05, 1.51, 0.183)
	return []Profile{
		{Name: "LNKD-SSD", W: ssd, A: ssd, R: ssd, S: ssd},
		{Name: "LNKD-DISK", W: disk, A: ssd, R: ssd, S: ssd},
		{Name: "YMMR", W: fit(0.939, 3, 3.5, 0.0028), A: fit(0.982, 1.5, 3.8, 0.0217), R: fit(0.982, 1.5, 3.8, 0.0217), S: fit(0.982, 1.5, 3.8, 0.0217)},
		{Name: "WAN", W: disk, A: ssd, R: ssd, S: ssd, Remote: 75 * time.Millisecond},
	}
}

// ProfileByName returns one of Profiles by its name.
func ProfileByName(name string) (Profile, error) {
	var names []string
	for _, p := range Profiles() {
		if p.Name == name {
			return p, nil
		}
		names = append(names, p.Name)
	}
	return Profile{}, fmt.Errorf("quorum: unknown profile %q (have %v)", name, names)
}

// PBSConfig asks for t-visibility: the probability that a read starting t
// after a write commits returns that write (or a newer one).
type PBSConfig struct {
	Profile Profile
	N, R, W int
	Times   []time.Duration // the t values; default every ms to 20ms, then coarser to 500ms
	Trials  int             // Monte Carlo trials; default 100000
	Seed    uint64
}

// Validate names the first bad field.
func (c PBSConfig) Validate() error {
	switch {
	case c.N < 1 || c.N > MaxNodes:
		return fmt.Errorf("quorum: PBS N=%d: must be 1..%d", c.N, MaxNodes)
	case c.R < 1 || c.R > c.N:
		return fmt.Errorf("quorum: PBS R=%d: must be 1..N (N=%d)", c.R, c.N)
	case c.W < 1 || c.W > c.N:
		return fmt.Errorf("quorum: PBS W=%d: must be 1..N (N=%d)", c.W, c.N)
	case c.Trials < 0 || c.Trials > 10_000_000:
		return fmt.Errorf("quorum: PBS Trials=%d: must be 0 (default) to 10000000", c.Trials)
	case c.Profile.Remote < 0:
		return fmt.Errorf("quorum: PBS Profile.Remote=%v: must not be negative", c.Profile.Remote)
	}
	for _, d := range []struct {
		name string
		d    dist.Dist
	}{{"W", c.Profile.W}, {"A", c.Profile.A}, {"R", c.Profile.R}, {"S", c.Profile.S}} {
		if err := dist.ValidateDuration(d.d); err != nil {
			return fmt.Errorf("quorum: PBS Profile.%s: %v", d.name, err)
		}
	}
	for _, t := range c.Times {
		if t < 0 {
			return fmt.Errorf("quorum: PBS Times contains %v: must not be negative", t)
		}
	}
	return nil
}

// PBSResult is a t-visibility curve.
type PBSResult struct {
	Profile    string
	N, R, W    int
	Times      []time.Duration
	Consistent []float64 // probability, per time
	Trials     int
}

// At returns the probability of a consistent read at t (the nearest
// computed time at or below t).
func (p PBSResult) At(t time.Duration) float64 {
	i := sort.Search(len(p.Times), func(i int) bool { return p.Times[i] > t }) - 1
	if i < 0 {
		return math.NaN()
	}
	return p.Consistent[i]
}

// TimeTo is the first computed time at which the probability of a
// consistent read reaches share (0 to 1), and false when no computed time
// does.
func (p PBSResult) TimeTo(share float64) (time.Duration, bool) {
	for i, t := range p.Times {
		if p.Consistent[i] >= share {
			return t, true
		}
	}
	return 0, false
}

// PBS computes t-visibility by Monte Carlo over the WARS model: the write
// commits when its W-th acknowledgement arrives; a replica has the write if
// the write reached it before the read request did; the read returns the
// newest of the first R responses. Cost: Trials x N x 4 draws.
func PBS(c PBSConfig) (PBSResult, error) {
	if len(c.Times) == 0 {
		c.Times = defaultTimes()
	}
	c.Trials = cmp.Or(c.Trials, 100_000)
	if err := c.Validate(); err != nil {
		return PBSResult{}, err
	}
	times := append([]time.Duration(nil), c.Times...)
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	r := sim.Stream(c.Seed, "pbs/"+c.Profile.Name)
	hits := make([]int, len(times))
	n := c.N
	w, a, rd, s := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	acks, resp := make([]float64, n), make([]int, n)
	remote := c.Profile.Remote.Seconds()
	for trial := 0; trial < c.Trials; trial++ {
		writer, reader := 0, 0
		if remote > 0 {
			writer, reader = r.IntN(n), r.IntN(n)
		}
		for i := 0; i < n; i++ {
			w[i], a[i] = c.Profile.W.Sample(r), c.Profile.A.Sample(r)
			rd[i], s[i] = c.Profile.R.Sample(r), c.Profile.S.Sample(r)
			if remote > 0 && i != writer {
				w[i] += remote
				a[i] += remote
			}
			if remote > 0 && i != reader {
				rd[i] += remote
				s[i] += remote
			}
			acks[i] = w[i] + a[i]
			resp[i] = i
		}
		commit := kth(acks, c.W)
		// The read's R responders are the R replicas answering first.
		sort.Slice(resp, func(x, y int) bool { return rd[resp[x]]+s[resp[x]] < rd[resp[y]]+s[resp[y]] })
		for k, t := range times {
			start := commit + t.Seconds()
			for _, i := range resp[:c.R] {
				if w[i] <= start+rd[i] {
					hits[k]++
					break
				}
			}
		}
	}
	out := PBSResult{Profile: c.Profile.Name, N: c.N, R: c.R, W: c.W, Times: times, Trials: c.Trials}
	for _, h := range hits {
		out.Consistent = append(out.Consistent, float64(h)/float64(c.Trials))
	}
	return out, nil
}

// defaultTimes steps by 1ms to 20ms, 5ms to 100ms, 10ms to 300ms, then
// 50ms to 500ms: dense where the curves of the paper's profiles bend.
func defaultTimes() []time.Duration {
	var ts []time.Duration
	for t, step := time.Duration(0), time.Millisecond; t <= 500*time.Millisecond; t += step {
		ts = append(ts, t)
		switch t {
		case 20 * time.Millisecond:
			step = 5 * time.Millisecond
		case 100 * time.Millisecond:
			step = 10 * time.Millisecond
		case 300 * time.Millisecond:
			step = 50 * time.Millisecond
		}
	}
	return ts
}

// kth returns the k-th smallest value (1-based) of xs, leaving xs sorted.
func kth(xs []float64, k int) float64 {
	sort.Float64s(xs)
	return xs[k-1]
}

// KStaleness is the probability that a read returns a value at most k
// versions old when every write goes to W random replicas of N and every
// read to R random ones, with no anti-entropy (the paper's closed form,
// section 3.2): 1 - (C(N-W, R) / C(N, R))^k.
func KStaleness(n, r, w, k int) float64 {
	if r+w > n {
		return 1
	}
	miss := binom(n-w, r) / binom(n, r)
	return 1 - math.Pow(miss, float64(k))
}

func binom(n, k int) float64 {
	if k < 0 || k > n {
		return 0
	}
	v := 1.0
	for i := 1; i <= k; i++ {
		v = v * float64(n-k+i) / float64(i)
	}
	return v
}

// PBSTable lists the curves side by side: one row per time, one column
// per curve. times picks the rows (nil: the first curve's times).
func PBSTable(times []time.Duration, curves ...PBSResult) *metrics.Table {
	cols := []string{"t"}
	for _, c := range curves {
		cols = append(cols, fmt.Sprintf("%s N=%d R=%d W=%d", c.Profile, c.N, c.R, c.W))
	}
	t := metrics.NewTable("P(consistent read) t after a write commits", cols...)
	if len(curves) == 0 {
		return t
	}
	if times == nil {
		times = curves[0].Times
	}
	for _, at := range times {
		row := []any{at}
		for _, c := range curves {
			row = append(row, metrics.Pct(c.At(at)))
		}
		t.Add(row...)
	}
	return t
}

// PBSFigure draws t-visibility curves: probability of a consistent read
// against the time since the write committed.
func PBSFigure(curves ...PBSResult) *viz.Figure {
	var cs []viz.Curve
	for _, c := range curves {
		cv := viz.Curve{Name: fmt.Sprintf("%s (N=%d R=%d W=%d)", c.Profile, c.N, c.R, c.W)}
		for i, t := range c.Times {
			cv.X = append(cv.X, float64(t)/1e6)
			cv.Y = append(cv.Y, 100*c.Consistent[i])
		}
		cs = append(cs, cv)
	}
	return viz.XY(viz.Options{Title: "Probabilistically bounded staleness (t-visibility)", XLabel: "time since the write committed (ms)", YLabel: "consistent reads (%)",
		Name: "quorum-pbs", YMax: 100}, cs...)
}
