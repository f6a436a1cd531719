package elastic

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
	ramp := Default()

	spike := Default()
	spike.Pattern, spike.Peak = service.Spike, 60
	spike.Surge = sim.Window{Start: 20 * time.Minute, Duration: 2 * time.Minute}
	spike.Warmup = 5 * time.Minute
	spikeFixed := spike
	spikeFixed.Min = spike.Needed(spike.Peak)

	day := Default()
	day.Pattern = service.Diurnal

	// A steady 15 requests a second, 75% of 2 instances: scale out one at
	// a time, in six at a time.
	flap := Default()
	flap.Pattern, flap.Rate, flap.Peak = service.Constant, 15, 15
	flap.Policy, flap.Step, flap.InStep, flap.Min, flap.Max = service.StepScaling, 1, 6, 2, 8
	flap.Warmup, flap.Cooldown = 5*time.Minute, time.Minute
	calm := flap
	calm.Cooldown = 7 * time.Minute

	fn := func(c Config) Config {
		c.Deploy = Function
		return c
	}
	// A quiet function: 0.2 calls a second at night, 2 at noon; an idle
	// instance is kept 10 seconds, and starts in about a second (a JVM).
	cold := fn(day)
	cold.Rate, cold.Peak = 0.2, 2
	cold.KeepAlive, cold.ColdStart, cold.SLO = 10*time.Second, dist.MustParse("lognormal(1s, 0.5)"), 1500*time.Millisecond
	warm := cold
	warm.KeepAlive = 10 * time.Minute

	// The book's limits, 1000 at once and 500 more a minute, scaled down
	// a hundredfold with the load: 10 at once, 5 more a minute.
	throttle := fn(spike)
	throttle.Rate, throttle.Peak = 5, 100
	throttle.Burst, throttle.Growth, throttle.Limit = 10, 5, 60
	throttle.Surge = sim.Window{Start: 20 * time.Minute, Duration: 10 * time.Minute}

	starve := fn(Default())
	starve.Pattern, starve.Rate, starve.Peak = service.Constant, 20, 20
	starve.Burst, starve.Growth, starve.Reserved, starve.Neighbour = 30, 0, 24, 40

	// Gorton's load tester: a steady crowd of users, no pause but their
	// think time; the group starts at 4 and grows to what they ask.
	study := Default()
	study.Users, study.Min, study.Max, study.Duration = 100, 6, 12, 30*time.Minute

	return []Preset{
		{Name: "ramp", Description: "A ramp from 20 to 80 req/s and back over 40 minutes, slow beside a 3-minute warm-up: target tracking grows the group ahead of it.", Config: ramp},
		{Name: "spike", Description: "A spike from 20 to 60 req/s for 2 minutes, shorter than the 5-minute warm-up: the instances launched for it serve after it is over.", Config: spike},
		{Name: "spike-fixed", Description: "The same spike on a group that never drops below the 9 instances the peak needs: no lag, and the bill of the peak all hour.", Config: spikeFixed},
		{Name: "diurnal", Description: "A day of load squeezed into an hour, 20 req/s at night and 80 at noon: the group follows it.", Config: day},
		{Name: "oscillation", Description: "A steady 15 req/s on 2 instances (75% busy) with step scaling out by 1 and in by 6, a 1-minute cooldown and a 5-minute warm-up: out, in, out again.", Config: flap},
		{Name: "oscillation-calm", Description: "The same group with a 7-minute cooldown, longer than the warm-up: it adds one instance, sees it serve, and stays.", Config: calm},
		{Name: "cold-starts", Description: "A quiet function, 0.2 req/s at night and 2 at noon, whose idle instances are kept 10 seconds: night calls often find none warm and wait a second's cold start.", Config: cold},
		{Name: "cold-starts-kept", Description: "The same function with instances kept 10 minutes, as its platform does: almost every call finds one warm.", Config: warm},
		{Name: "throttled", Description: "A function whose platform allows 10 calls at once, then 5 more a minute (the book's 1000 and 500, a hundredfold smaller), up to 60: a spike from 5 to 100 req/s, asking for about 20 at once, is throttled until the growth catches up.", Config: throttle},
		{Name: "cost-study", Description: "100 users, each thinking about a second between requests, on a group of 6 to 12: the base of the cost study (CostStudy).", Config: study},
		{Name: "reserved-starves", Description: "A function reserving 24 of its platform's 30 calls uses about 4 on average; a neighbour asking for 8 at once gets the 6 left and is throttled.", Config: starve},
	}
}

// PresetConfig returns the configuration of the named preset, or an error
// listing the presets there are.
func PresetConfig(name string) (Config, error) {
	return describe.Find(knobs, Presets(), name)
}
