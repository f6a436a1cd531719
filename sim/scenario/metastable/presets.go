package metastable

import (
	"dsim/sim/scenario/internal/describe"
	"time"

	"dsim/sim/resilience"
)

// Preset is a named configuration that reproduces one experiment of the
// lesson.
type Preset = describe.Named[Config]

// storm is the article's first experiment: 15 requests/s, well within the
// 50 slots, until a 10s spike to 50/s. Clients time out after 1s and retry
// at once, three times. At 50 requests in service a request takes
// 0.5s + 50×10ms = 1s, as long as the timeout: once the queue forms, no
// attempt finishes in time, every request sends four, and 60 attempts/s
// against 50 served keep the queue from draining.
func storm() Config {
	c := Default()
	c.Duration = 2 * time.Minute
	c.Pattern = Spike
	c.BaseRate = 15
	c.Timeout = time.Second
	c.Backoff = resilience.Backoff{Kind: resilience.NoBackoff}
	return c
}

// Presets returns the lesson's experiments, in teaching order.
func Presets() []Preset {
	seed := Default()
	seed.Pattern = Spike

	protected := storm()
	protected.Backoff = resilience.Backoff{Kind: resilience.FullJitter, Base: 100 * time.Millisecond, Cap: 5 * time.Second}
	protected.RetryBudget = 0.1

	tipping := storm()
	tipping.Timeout = 1500 * time.Millisecond

	failFast := storm()
	failFast.MaxQueue = 50
	failFast.DeadlineAdmission = true
	failFast.Cancellation = true

	drop := storm()
	drop.Pattern = Constant
	drop.CapacityDrop = 0.9

	closed := drop
	closed.Clients = 15

	return []Preset{
		{Name: "seed", Description: "The seed simulator's defaults with its spike: 10 req/s, a 10s spike to 50/s, 3s timeout, 3 retries with backoff. The spike is at capacity and passes.", Config: seed},
		{Name: "storm", Description: "A retry storm that stays: 15 req/s, a 10s spike to 50/s, a 1s timeout and 3 immediate retries. After the spike the load is the same as before, yet the server stays overloaded.", Config: storm()},
		{Name: "recovery", Description: "The storm's twin with full-jitter backoff and a 10% retry budget: the same spike, and it recovers within seconds.", Config: protected},
		{Name: "tipping", Description: "The tipping point: with a 1.5s timeout the storm stays only when contention (Slope) is high enough; vary Slope from 5ms to 20ms to find the edge.", Config: tipping},
		{Name: "fail-fast", Description: "Admission control: the storm with a 50-request queue bound, deadline-aware admission and cancellation. Failing fast keeps the server doing useful work.", Config: failFast},
		{Name: "capacity-drop", Description: "A trigger that is not load: 90% of the slots lost for 10s (a node crash, a CPU cap) under a steady 15 req/s, with the storm's clients.", Config: drop},
		{Name: "closed-loop", Description: "The capacity drop with 15 closed-loop clients instead of open-loop arrivals: clients that wait for answers slow down with the server, so no storm can form.", Config: closed},
	}
}

// PresetConfig returns the configuration of the named preset.
func PresetConfig(name string) (Config, error) { return describe.Find(knobs, Presets(), name) }

// shareAfterTrigger is the share of requests offered after the trigger
// ended (or in the whole run without one) that were answered, over the
// windows the verdict judges.
func (r *Result) shareAfterTrigger() float64 {
	c := r.Config
	_, to, _ := c.trigger()
	var offered, ok int64
	for i := range r.offeredBy {
		from, end := time.Duration(i)*c.Window, time.Duration(i+1)*c.Window
		if from >= to && end <= c.Duration-c.patience() {
			offered += r.offeredBy[i]
			ok += r.succeededBy[i]
		}
	}
	return ratio(ok, offered)
}
