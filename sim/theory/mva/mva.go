package mva

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Kind is how a station serves.
type Kind string

// The station kinds.
const (
	// Queue is one server in FIFO order: requests wait for each other.
	Queue Kind = "queue"
	// Delay serves every request at once (infinite servers): a request
	// spends exactly its demand there.
	Delay Kind = "delay"
)

// Limits of a network and of a solution.
const (
	MaxStations = 10_000
	MaxUsers    = 1_000_000
	// MaxCells bounds users × stations for Solve, which keeps a point per
	// population (about 24 bytes a cell), and MaxWork bounds it for At.
	MaxCells  = 10_000_000
	MaxWork   = 1_000_000_000
	maxDemand = time.Hour
)

// Station is one service centre of a network.
type Station struct {
	Name string
	// Kind is Queue or Delay; "" is Queue.
	Kind Kind
	// Demand is the service a request needs there in all: its visits
	// times the mean service time of a visit, 0 to an hour.
	Demand time.Duration
}

func (s Station) kind() Kind {
	if s.Kind == "" {
		return Queue
	}
	return s.Kind
}

// Network is a closed network: users think for Think, then visit the
// stations, then think again.
type Network struct {
	// Think is the users' mean think time Z, 0 to an hour.
	Think    time.Duration
	Stations []Station
}

// Validate names the first field that cannot work.
func (n Network) Validate() error {
	switch {
	case len(n.Stations) == 0:
		return errors.New("mva: Stations: none: a network needs at least one station")
	case len(n.Stations) > MaxStations:
		return fmt.Errorf("mva: Stations: %d, more than %d (MaxStations)", len(n.Stations), MaxStations)
	case n.Think < 0 || n.Think > maxDemand:
		return fmt.Errorf("mva: Think=%v: must be between 0 and %v", n.Think, maxDemand)
	}
	var total time.Duration
	for i, s := range n.Stations {
		switch {
		case s.kind() != Queue && s.kind() != Delay:
			return fmt.Errorf("mva: Stations[%d].Kind=%q: want %q or %q", i, s.Kind, Queue, Delay)
		case s.Demand < 0 || s.Demand > maxDemand:
			return fmt.Errorf("mva: Stations[%d].Demand=%v: must be between 0 and %v", i, s.Demand, maxDemand)
		}
		total += s.Demand
	}
	if total+n.Think <= 0 {
		return errors.New("mva: Think and every Demand are 0: a request would take no time and throughput would be infinite")
	}
	return nil
}

// Point is the network's steady state with N users.
type Point struct {
	N int
	// X is the throughput in requests per second; R the response time,
	// from a request's start to its end, think time excluded.
	X float64
	R time.Duration
	// Residence is the time a request spends at each station, waiting
	// and served; Queue the mean requests there (Little's law, X times
	// Residence); Utilisation the share of time a Queue station is busy,
	// or a Delay station's mean requests in service, both X times Demand.
	Residence   []time.Duration
	Queue       []float64
	Utilisation []float64
}

// Solve returns the exact MVA solution for 1 to users users, in order:
// Solve(n)[i] has i+1 users. Cost: O(users × stations) time and memory.
func (n Network) Solve(users int) ([]Point, error) {
	if err := n.check(users, MaxCells, "MaxCells"); err != nil {
		return nil, err
	}
	out := make([]Point, 0, users)
	n.iterate(users, func(p Point) { out = append(out, p) })
	return out, nil
}

// At returns the exact MVA solution for users users alone. Cost:
// O(users × stations) time, O(stations) memory.
func (n Network) At(users int) (Point, error) {
	if err := n.check(users, MaxWork, "MaxWork"); err != nil {
		return Point{}, err
	}
	var last Point
	n.iterate(users, func(p Point) {
		if p.N == users {
			last = p
		}
	})
	return last, nil
}

func (n Network) check(users, limit int, name string) error {
	if err := n.Validate(); err != nil {
		return err
	}
	if users < 1 || users > MaxUsers {
		return fmt.Errorf("mva: users=%d: must be between 1 and %d", users, MaxUsers)
	}
	if users*len(n.Stations) > limit {
		return fmt.Errorf("mva: users=%d × %d stations: more than %d (%s)", users, len(n.Stations), limit, name)
	}
	return nil
}

// iterate runs the MVA recursion from one user to users, handing each
// population's point to emit.
func (n Network) iterate(users int, emit func(Point)) {
	k := len(n.Stations)
	d := make([]float64, k)
	delay := make([]bool, k)
	for i, s := range n.Stations {
		d[i] = s.Demand.Seconds()
		delay[i] = s.kind() == Delay
	}
	z := n.Think.Seconds()
	q := make([]float64, k) // Q_k(n-1)
	res := make([]float64, k)
	for pop := 1; pop <= users; pop++ {
		r := 0.0
		for i := range d {
			res[i] = d[i]
			if !delay[i] {
				res[i] *= 1 + q[i] // the arrival theorem
			}
			r += res[i]
		}
		x := float64(pop) / (z + r)
		p := Point{N: pop, X: x, R: seconds(r), Residence: make([]time.Duration, k),
			Queue: make([]float64, k), Utilisation: make([]float64, k)}
		for i := range d {
			q[i] = x * res[i]
			p.Residence[i], p.Queue[i], p.Utilisation[i] = seconds(res[i]), q[i], x*d[i]
		}
		emit(p)
	}
}

// Demand is the total demand D of a request, every station's.
func (n Network) Demand() time.Duration {
	var t time.Duration
	for _, s := range n.Stations {
		t += s.Demand
	}
	return t
}

// Bottleneck is the index of the Queue station with the largest demand,
// the first of equals; -1 when the network has no Queue station.
func (n Network) Bottleneck() int {
	b := -1
	for i, s := range n.Stations {
		if s.kind() == Queue && (b < 0 || s.Demand > n.Stations[b].Demand) {
			b = i
		}
	}
	return b
}

// Knee is N* = (D+Z)/D_max, where the asymptotic throughput bounds cross:
// the population beyond which the bottleneck, not the users, sets the
// pace. It is +Inf when no Queue station has a demand.
func (n Network) Knee() float64 {
	b := n.Bottleneck()
	if b < 0 || n.Stations[b].Demand == 0 {
		return math.Inf(1)
	}
	return (n.Demand() + n.Think).Seconds() / n.Stations[b].Demand.Seconds()
}

// Bounds are the asymptotic bounds with users users: throughput at most
// xMax per second, response time at least rMin.
func (n Network) Bounds(users int) (xMax float64, rMin time.Duration) {
	d, z := n.Demand().Seconds(), n.Think.Seconds()
	xMax = float64(users) / (d + z)
	rMin = n.Demand()
	if b := n.Bottleneck(); b >= 0 && n.Stations[b].Demand > 0 {
		dmax := n.Stations[b].Demand.Seconds()
		xMax = math.Min(xMax, 1/dmax)
		rMin = max(rMin, seconds(float64(users)*dmax-z))
	}
	return xMax, rMin
}

func seconds(s float64) time.Duration { return time.Duration(math.Round(s * 1e9)) }
