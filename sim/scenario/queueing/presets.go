package queueing

import (
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/scenario/internal/describe"
)

// Preset is a named configuration that reproduces one point of the lesson.
type Preset = describe.Named[Config]

// theoryRun is an M/M/c run with no dependencies, long enough for the
// averages to settle near theory.
func theoryRun(servers int, perSecond float64, service string) Config {
	c := Default()
	c.Servers = servers
	c.ArrivalRate = perSecond
	c.ServiceTime = dist.MustParse(service)
	c.Dependencies = 0
	c.Duration = 2 * time.Hour
	return c
}

// Presets returns the lesson's experiments, in teaching order.
func Presets() []Preset {
	spike := theoryRun(5, 6, "exp(500ms)") // ρ = 0.6 at base
	spike.Duration = 10 * time.Minute
	spike.Pattern = Spike
	spike.Multiplier = 2 // ρ = 1.2 during the spike
	spike.Spike = sim.Window{Start: 3 * time.Minute, Duration: 2 * time.Minute}

	bounded := spike
	bounded.MaxQueue = 20

	diurnal := theoryRun(5, 4, "exp(500ms)")
	diurnal.Pattern = Diurnal
	diurnal.Multiplier = 2.2
	diurnal.Duration = time.Hour

	bursty := theoryRun(5, 5, "exp(500ms)")
	bursty.Pattern = Bursty
	bursty.Multiplier = 2
	bursty.Duration = 30 * time.Minute

	flaky := Default()
	flaky.ArrivalRate = 4
	flaky.Duration = 10 * time.Minute
	flaky.DependencyFailure = 0.3
	flaky.MaxRetries = 3
	flaky.CircuitBreaker = true

	return []Preset{
		{Name: "baseline", Description: "The capacity planner's defaults: 1 req/s (60/min) on 5 servers, 0.5 s service, 2 dependencies.", Config: Default()},
		{Name: "mm1", Description: "M/M/1 at utilisation 0.5: the mean wait equals the mean service time.", Config: theoryRun(1, 1, "exp(500ms)")},
		{Name: "mm4", Description: "M/M/4 at utilisation 0.8: Erlang C against the simulation.", Config: theoryRun(4, 6.4, "exp(500ms)")},
		{Name: "saturation", Description: "M/M/5 at utilisation 0.95: waits are many service times long.", Config: theoryRun(5, 9.5, "exp(500ms)")},
		{Name: "deterministic", Description: "M/D/4 at utilisation 0.8: constant service halves the wait (Cs² = 0).", Config: theoryRun(4, 6.4, "const(500ms)")},
		{Name: "spike", Description: "Load doubles for 2 minutes (ρ 0.6 -> 1.2): the queue builds, then drains.", Config: spike},
		{Name: "bounded-queue", Description: "The same spike with at most 20 waiting: rejections instead of long waits.", Config: bounded},
		{Name: "diurnal", Description: "A day of load between 0.4 and 0.88 utilisation: waits follow the peak.", Config: diurnal},
		{Name: "bursty", Description: "Random bursts at twice the base load: the same mean, longer tails.", Config: bursty},
		{Name: "flaky-dependency", Description: "30% of dependency calls fail; retries with backoff and a circuit breaker.", Config: flaky},
	}
}

// PresetConfig returns the configuration of the named preset.
func PresetConfig(name string) (Config, error) { return describe.Find(knobs, Presets(), name) }
