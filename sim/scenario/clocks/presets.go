package clocks

import (
	"time"

	"dsim/sim/dist"
	"dsim/sim/scenario/internal/describe"
)

// Preset is a named configuration that reproduces one step of the lesson.
type Preset = describe.Named[Config]

// Presets returns the lesson's experiments, in teaching order.
func Presets() []Preset {
	drift := Default()
	drift.Skew, drift.DriftPPM, drift.Duration = 10*time.Millisecond, 2000, 20*time.Second

	synced := drift
	synced.SyncPeriod = 2 * time.Second

	lww := Default()
	lww.Latency = dist.MustParse("lognormal(10ms, 0.5)")
	lww.Skew = 100 * time.Millisecond
	lww.WriteRate, lww.MessageRate = 5, 5

	lamport := lww
	lamport.Stamps = LamportStamp

	diagram := Default()
	diagram.Latency = dist.MustParse("lognormal(400ms, 0.4)")
	diagram.WriteRate, diagram.MessageRate = 0.3, 0.6
	diagram.Duration = 8 * time.Second
	diagram.Skew = 300 * time.Millisecond

	sessions := Default()
	sessions.Skew, sessions.DriftPPM = 0, 0
	sessions.Stamps = LamportStamp
	sessions.WriteRate, sessions.MessageRate = 0.5, 1
	sessions.Clients = 2

	tokens := sessions
	tokens.Tokens = true

	return []Preset{
		{Name: "drift", Description: "Three clocks 10ms apart at the start, drifting up to 2000ppm (2ms a second), never synchronised: they fan out.", Config: drift},
		{Name: "synced", Description: "The same clocks synchronised every 2s with a time server 5ms away by Cristian's algorithm: each error stays near the bound half a round trip gives.", Config: synced},
		{Name: "lww-skew", Description: "Clocks up to 100ms either side of true time, messages taking 10ms, a register whose last writer wins by physical stamps: writes made after others lose to them.", Config: lww},
		{Name: "lww-lamport", Description: "The same run with the register ordered by Lamport time: no write loses to one that happened before it.", Config: lamport},
		{Name: "spacetime", Description: "A few slow messages between three processes: a space-time diagram small enough to read each event's Lamport and vector timestamps.", Config: diagram},
		{Name: "sessions", Description: "Two clients reading and writing at a random process each time, with no session tokens: reads miss the client's own writes and go back in time.", Config: sessions},
		{Name: "session-tokens", Description: "The same clients carrying session tokens: a process answers only once it holds what the client has seen, pulling it if need be.", Config: tokens},
	}
}

// PresetConfig returns the configuration of the named preset, or an error
// listing the presets there are.
func PresetConfig(name string) (Config, error) {
	return describe.Find(knobs, Presets(), name)
}
