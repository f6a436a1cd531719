package balance

import (
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/service"
)

// Preset is a named configuration that reproduces one step of the lesson.
type Preset = describe.Named[Config]

// Presets returns the lesson's experiments, in teaching order.
func Presets() []Preset {
	with := func(p service.Policy) Config {
		c := Default()
		c.Policy = p
		return c
	}
	gray := with(service.RoundRobin)
	gray.SlowFactor, gray.Slow = 10, sim.Window{Start: 2 * time.Minute}
	grayLeast := gray
	grayLeast.Policy = service.LeastOutstanding

	stale := with(service.LeastOutstanding)
	stale.LoadAge = time.Second
	staleTwo := stale
	staleTwo.Policy = service.PowerOfChoices

	sticky := with(service.Sticky)
	sticky.Keys, sticky.KeySkew = 200, 1.1

	leave := with(service.ConsistentHash)
	leave.LeaveAt, leave.Load = 5*time.Minute, 0.6
	skewed := leave
	skewed.KeySkew = 1
	bounded := skewed
	bounded.LoadBound = 1.25

	market := with(service.PowerOfChoices)
	market.Servers, market.Load = 100, 0.9
	market.Service = dist.MustParse("exp(1s)")
	market.Duration = 30 * time.Minute

	return []Preset{
		{Name: "round-robin", Description: "Eight servers at 70% load, each request to the next server in turn.", Config: with(service.RoundRobin)},
		{Name: "random", Description: "The same servers and load, each request to a server picked at random: M/M/1 queues side by side.", Config: with(service.Random)},
		{Name: "least-outstanding", Description: "Each request to the server with the fewest calls outstanding, by the balancer's own count.", Config: with(service.LeastOutstanding)},
		{Name: "two-choices", Description: "Each request to the less loaded of two servers picked at random: the power of two choices.", Config: with(service.PowerOfChoices)},
		{Name: "gray-failure", Description: "Round robin while s1 runs ten times slower from 2m: it still gets an eighth of the requests, more than it can serve.", Config: gray},
		{Name: "gray-failure-least", Description: "The same slow server under least-outstanding: its calls pile up in the balancer's count, so it gets fewer.", Config: grayLeast},
		{Name: "stale-load", Description: "Least-outstanding reading load a second old: every request in that second goes to the server that looked idle.", Config: stale},
		{Name: "stale-two-choices", Description: "Two random choices on the same stale load: the herd splits over many servers.", Config: staleTwo},
		{Name: "sticky", Description: "Sticky sessions over 200 users whose activity follows Zipf(1.1): the heaviest sessions pile onto their servers.", Config: sticky},
		{Name: "hash-leave", Description: "Consistent hashing over 1000 keys at 60% load; s8 leaves at 5m and only its keys move, onto the servers after it on the ring.", Config: leave},
		{Name: "hash-leave-skewed", Description: "The same with skewed keys (Zipf(1)): the ring puts the hot keys where it will, and a server that left hands them on.", Config: skewed},
		{Name: "hash-bounded", Description: "Skewed keys on a ring with bounded loads (1.25× the mean): a full server passes calls to the next on the ring.", Config: bounded},
		{Name: "supermarket", Description: "100 servers at load 0.9 with exponential service of 1s and two choices: Mitzenmacher's supermarket model beside the run.", Config: market},
	}
}

// PresetConfig returns the configuration of the named preset, or an error
// listing the presets there are.
func PresetConfig(name string) (Config, error) {
	return describe.Find(knobs, Presets(), name)
}
