package balance

import (
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/service"
)

// Preset is a named configuration that reproduces one step of the lesson.
type Preset struct {
	Name        string
	Description string
	Config      Config
}

// Info gives the preset's name, description and configuration.
func (p Preset) Info() (name, description string, config Config) {
	return p.Name, p.Description, p.Config
}

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
		{"round-robin", "Eight servers at 70% load, each request to the next server in turn.", with(service.RoundRobin)},
		{"random", "The same servers and load, each request to a server picked at random: M/M/1 queues side by side.", with(service.Random)},
		{"least-outstanding", "Each request to the server with the fewest calls outstanding, by the balancer's own count.", with(service.LeastOutstanding)},
		{"two-choices", "Each request to the less loaded of two servers picked at random: the power of two choices.", with(service.PowerOfChoices)},
		{"gray-failure", "Round robin while s1 runs ten times slower from 2m: it still gets an eighth of the requests, more than it can serve.", gray},
		{"gray-failure-least", "The same slow server under least-outstanding: its calls pile up in the balancer's count, so it gets fewer.", grayLeast},
		{"stale-load", "Least-outstanding reading load a second old: every request in that second goes to the server that looked idle.", stale},
		{"stale-two-choices", "Two random choices on the same stale load: the herd splits over many servers.", staleTwo},
		{"sticky", "Sticky sessions over 200 users whose activity follows Zipf(1.1): the heaviest sessions pile onto their servers.", sticky},
		{"hash-leave", "Consistent hashing over 1000 keys at 60% load; s8 leaves at 5m and only its keys move, onto the servers after it on the ring.", leave},
		{"hash-leave-skewed", "The same with skewed keys (Zipf(1)): the ring puts the hot keys where it will, and a server that left hands them on.", skewed},
		{"hash-bounded", "Skewed keys on a ring with bounded loads (1.25× the mean): a full server passes calls to the next on the ring.", bounded},
		{"supermarket", "100 servers at load 0.9 with exponential service of 1s and two choices: Mitzenmacher's supermarket model beside the run.", market},
	}
}

// PresetConfig returns the configuration of the named preset, or an error
// listing the presets there are.
func PresetConfig(name string) (Config, error) {
	return describe.Find(knobs, Presets(), name)
}
