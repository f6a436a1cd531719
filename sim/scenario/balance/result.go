package balance

import (
	"fmt"
	"math"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/metrics"
	"dsim/sim/service"
	"dsim/sim/viz"
)

// Result is what a run produced: the requests' time in the system, where
// the balancer sent them, and each server's queue.
type Result struct {
	Config Config // with defaults filled in

	Requests int64 // requests that arrived
	Answered int64 // requests answered
	Failed   int64 // requests failed: held by the server that left
	// Latency is each answered request's time in the system, from its
	// arrival at the balancer to its answer: time in system, the T of the
	// supermarket model.
	Latency          *metrics.Latency
	Offered, Goodput *metrics.Rate // requests arrived and answered, per window

	Servers []ServerStats // s1..sN
	// Remapped is consistent hashing's calls sent to another server than
	// their key's last call: with no load bound, the keys moved when a
	// server left. Moved is the sticky sessions moved off a server that
	// left.
	Remapped, Moved int64

	Spans  []viz.Span // the slow servers' window and the leaving server, shaded in figures
	Events int64      // events the engine ran
	// Table is the components' own table: load, client, balancer, servers.
	Table *metrics.Table
}

// ServerStats is one server's part of the run.
type ServerStats struct {
	Name           string
	Calls          int64 // calls the balancer sent it
	MaxOutstanding int   // the most calls it held at once, by the balancer's count
	MaxQueue       int   // its longest queue
	Busy           float64
	P99            time.Duration // its response time's 99th percentile
	// Queue is its queue length, InSystem the calls it held (queued and
	// in service: Little's L), over time.
	Queue, InSystem *metrics.Gauge
	Arrivals        *metrics.Rate // calls that reached it, per window
}

// LoadAfter is the calls per second each server took after the last server
// left (windows from LeaveAt on), and the busiest one's over an even share
// of the servers left; nil and NaN when none left.
func (r *Result) LoadAfter() (rates []float64, busiest float64) {
	c := r.Config
	if c.LeaveAt == 0 {
		return nil, math.NaN()
	}
	from, to := sim.FromDuration(c.LeaveAt), sim.FromDuration(c.Duration)+1
	sum, most := 0.0, 0.0
	for _, s := range r.Servers {
		x := s.Arrivals.Series().Between(from, to)
		if math.IsNaN(x) {
			x = 0
		}
		rates = append(rates, x)
		sum += x
		most = max(most, x)
	}
	if sum == 0 {
		return rates, math.NaN()
	}
	return rates, most / (sum / float64(len(r.Servers)-1))
}

// Share is the server's calls over an even share of all calls: 1 when
// the balancer spread them evenly.
func (r *Result) Share(i int) float64 {
	var all int64
	for _, s := range r.Servers {
		all += s.Calls
	}
	if all == 0 {
		return math.NaN()
	}
	return float64(r.Servers[i].Calls) / (float64(all) / float64(len(r.Servers)))
}

// Busiest is the index of the server that took the most calls (the first
// of them on a tie).
func (r *Result) Busiest() int {
	b := 0
	for i, s := range r.Servers {
		if s.Calls > r.Servers[b].Calls {
			b = i
		}
	}
	return b
}

// Longest is the index of the server whose queue grew longest (the first
// of them on a tie).
func (r *Result) Longest() int {
	l := 0
	for i, s := range r.Servers {
		if s.MaxQueue > r.Servers[l].MaxQueue {
			l = i
		}
	}
	return l
}

// MaxQueue is the longest queue any server had.
func (r *Result) MaxQueue() int { return r.Servers[r.Longest()].MaxQueue }

// TimeInSystem is the mean time in system by Little's law, W = L/λ: the
// calls the servers held on average over the arrival rate, from the end of
// the first tenth of the run (the queues start empty, which would flatter
// the mean) to its end. Unlike Latency.Mean it counts the requests still
// waiting at the end, so it does not flatter a run whose queues grew.
func (r *Result) TimeInSystem() time.Duration {
	from, to := sim.FromDuration(r.Config.Duration/10), sim.FromDuration(r.Config.Duration)+1
	l := 0.0
	for _, s := range r.Servers {
		l += s.InSystem.Series().Between(from, to)
	}
	rate := r.Offered.Series().Between(from, to)
	if !(rate > 0) || math.IsNaN(l) {
		return 0
	}
	return time.Duration(l / rate * float64(time.Second))
}

// KeysMoved is the share of the keys whose server changed when the last
// server left (consistent hashing with no load bound), against the share a
// ring should move: the leaving server's, about 1/Servers. Both are NaN
// when the run has no such event.
func (r *Result) KeysMoved() (measured, ring float64) {
	c := r.Config
	if c.LeaveAt == 0 || c.Policy != service.ConsistentHash || c.LoadBound > 0 {
		return math.NaN(), math.NaN()
	}
	return float64(r.Remapped) / float64(c.Keys), 1 / float64(c.Servers)
}

// ModuloMoved is the share of keys that hashing modulo the number of
// servers moves when one of n servers leaves: a key stays only when its
// hash modulo n and modulo n−1 agree, about 1 in n.
func ModuloMoved(n int) float64 {
	if n < 2 {
		return math.NaN()
	}
	return 1 - 1/float64(n)
}

// Summary is the table of headline numbers.
func (r *Result) Summary() *metrics.Table {
	c := r.Config
	t := metrics.NewTable(fmt.Sprintf("Load balancing: %d servers, %s, load %.2f (seed %d)", c.Servers, r.policyText(), c.Load, c.Seed), "metric", "value")
	t.Add("requests (answered, failed, waiting at the end)", fmt.Sprintf("%d (%d, %d, %d) at %.4g/s", r.Requests, r.Answered, r.Failed, r.Requests-r.Answered-r.Failed, c.Rate()))
	t.Add("time in system: mean, p99", fmt.Sprintf("%v, %v", short(r.Latency.Mean().Duration()), short(r.Latency.Quantile(0.99).Duration())))
	if th, ok := r.Theory(); ok {
		t.Add(fmt.Sprintf("supermarket model T_%d (n → ∞), this run by Little's law", th.D), fmt.Sprintf("%v, %v (%+.1f%%)",
			short(th.T), short(th.Measured), 100*th.Off()))
	}
	b, l := r.Busiest(), r.Longest()
	t.Add("busiest server (× an even share)", fmt.Sprintf("%s (%.2f×)", r.Servers[b].Name, r.Share(b)))
	t.Add("longest queue", fmt.Sprintf("%d calls at %s", r.Servers[l].MaxQueue, r.Servers[l].Name))
	if c.SlowFactor > 0 {
		slow := r.slowShare()
		t.Add("calls to the slow servers; their load while slow", fmt.Sprintf("%v of all (an even share: %v); %.2f", metrics.Pct(slow), metrics.Pct(float64(c.SlowServers)/float64(c.Servers)), r.SlowLoad()))
	}
	if m, ring := r.KeysMoved(); !math.IsNaN(m) {
		t.Add("keys moved when a server left: ring, its share, modulo hashing", fmt.Sprintf("%v, %v, %v", metrics.Pct(m), metrics.Pct(ring), metrics.Pct(ModuloMoved(c.Servers))))
	}
	if _, most := r.LoadAfter(); !math.IsNaN(most) {
		t.Add(fmt.Sprintf("after s%d left: the busiest server (× an even share of %d)", c.Servers, c.Servers-1), fmt.Sprintf("%.2f×", most))
	}
	if c.Policy == service.Sticky && r.Moved > 0 {
		t.Add("sessions moved off the server that left", r.Moved)
	}
	t.Note("%v", r.Verdict())
	return t
}

// SlowLoad is the slow servers' offered load while they were slow: the
// calls a second each took in the slow windows times its slowed mean
// service time, over its slots. Above 1, a server cannot keep up. NaN
// when no server is slow.
func (r *Result) SlowLoad() float64 {
	c := r.Config
	if c.SlowFactor == 0 || len(r.Spans) == 0 {
		return math.NaN()
	}
	from, to := r.Spans[0].From, r.Spans[0].To+1
	rate := 0.0
	for _, s := range r.Servers[:c.SlowServers] {
		rate += s.Arrivals.Series().Between(from, to)
	}
	return rate / float64(c.SlowServers) * c.Service.Mean() * c.SlowFactor / float64(c.Slots)
}

// slowShare is the share of all calls the slow servers took.
func (r *Result) slowShare() float64 {
	var slow, all int64
	for i, s := range r.Servers {
		if i < r.Config.SlowServers {
			slow += s.Calls
		}
		all += s.Calls
	}
	return metrics.Ratio(slow, all)
}

// policyText names the policy with its settings.
func (r *Result) policyText() string {
	c := r.Config
	s := string(c.Policy)
	switch c.Policy {
	case service.PowerOfChoices:
		s = fmt.Sprintf("power of %d choices", c.Choices)
	case service.ConsistentHash:
		if c.LoadBound > 0 {
			s = fmt.Sprintf("consistent hashing bounded at %g×", c.LoadBound)
		} else {
			s = "consistent hashing"
		}
	case service.Sticky:
		s = "sticky sessions"
	}
	if c.LoadAge > 0 && usesLoad(c.Policy) {
		s += fmt.Sprintf(" on load %v old", c.LoadAge)
	}
	return s
}

// usesLoad reports whether a policy reads the servers' load.
func usesLoad(p service.Policy) bool {
	return p == service.LeastOutstanding || p == service.PowerOfChoices || p == service.Sticky
}

// exponential reports whether d is the exponential distribution the
// supermarket model assumes.
func exponential(d dist.Dist) bool {
	_, ok := d.(*dist.Exponential)
	return ok
}
