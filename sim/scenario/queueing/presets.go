package queueing

import (
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/scenario/internal/describe"
)

// Preset is a named configuration that reproduces one point of the lesson.
type Preset struct {
	Name        string
	Description string
	Config      Config
}

// Info gives the preset's name, description and configuration.
func (p Preset) Info() (name, description string, config Config) {
	return p.Name, p.Description, p.Config
}

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
		{"baseline", "The capacity planner's defaults: 1 req/s (60/min) on 5 servers, 0.5 s service, 2 dependencies.", Default()},
		{"mm1", "M/M/1 at utilisation 0.5: the mean wait equals the mean service time.", theoryRun(1, 1, "exp(500ms)")},
		{"mm4", "M/M/4 at utilisation 0.8: Erlang C against the simulation.", theoryRun(4, 6.4, "exp(500ms)")},
		{"saturation", "M/M/5 at utilisation 0.95: waits are many service times long.", theoryRun(5, 9.5, "exp(500ms)")},
		{"deterministic", "M/D/4 at utilisation 0.8: constant service halves the wait (Cs² = 0).", theoryRun(4, 6.4, "const(500ms)")},
		{"spike", "Load doubles for 2 minutes (ρ 0.6 -> 1.2): the queue builds, then drains.", spike},
		{"bounded-queue", "The same spike with at most 20 waiting: rejections instead of long waits.", bounded},
		{"diurnal", "A day of load between 0.4 and 0.88 utilisation: waits follow the peak.", diurnal},
		{"bursty", "Random bursts at twice the base load: the same mean, longer tails.", bursty},
		{"flaky-dependency", "30% of dependency calls fail; retries with backoff and a circuit breaker.", flaky},
	}
}

// PresetConfig returns the configuration of the named preset.
func PresetConfig(name string) (Config, error) { return describe.Find(knobs, Presets(), name) }
