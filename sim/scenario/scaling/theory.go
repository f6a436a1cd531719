package scaling

import (
	"time"

	"dsim/sim/theory/mva"
)

// network is the closed network a point of the run is, for exact MVA:
// the users experiment's three stations with think time Z, or the threads
// experiment's lock with the threads' own work as their think time, its
// demand grown by the coherency cost of p threads.
func (c Config) network(level int) mva.Network {
	if c.Experiment == Threads {
		hold := mean(c.Lock) + time.Duration(level-1)*c.Coherency
		return mva.Network{Think: mean(c.Work), Stations: []mva.Station{{Name: "lock", Demand: hold}}}
	}
	return mva.Network{Think: mean(c.Think), Stations: []mva.Station{
		{Name: "web", Demand: mean(c.Web)},
		{Name: "database", Demand: mean(c.Database)},
		{Name: "disk", Demand: mean(c.Disk)},
	}}
}

// Network is the users experiment's closed network for exact MVA, with
// cfg's mean think time and service demands; Knee and Bounds come from it.
func (c Config) Network() mva.Network {
	c = c.withDefaults()
	c.Experiment = Users
	return c.network(1)
}

func mean(d interface{ Mean() float64 }) time.Duration {
	if d == nil {
		return 0
	}
	return time.Duration(d.Mean() * float64(time.Second))
}
