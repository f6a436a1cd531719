package messaging

import (
	"time"

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
	calm := Default()

	mostOnce := Default()
	mostOnce.Ack = service.AckBefore
	mostOnce.CrashEvery, mostOnce.CrashFor = 5*time.Second, time.Second

	leastOnce := mostOnce
	leastOnce.Ack, leastOnce.AckLoss = service.AckAfter, 0.05

	idem := leastOnce
	idem.Idempotent, idem.DedupTTL = true, time.Minute

	shortTTL := idem
	shortTTL.DedupTTL = 2 * time.Second

	poison := Default()
	poison.Poison, poison.MaxDeliveries = 0.01, 3
	// A shorter visibility lets the last poison messages reach the
	// dead-letter queue before the end; a processing outlasts 2s with
	// chance e^-20.
	poison.Visibility = 2 * time.Second

	slow := Default()
	slow.Rate, slow.Service = 200, dist.MustParse("exp(100ms)")
	slowBound := slow
	slowBound.MaxDepth = 500
	slowDrop := slowBound
	slowDrop.Overflow = service.DropNew

	return []Preset{
		{"calm", "Two consumers at 60% of their capacity, acknowledging after processing, nothing failing: every message has its effect once.", calm},
		{"at-most-once", "Consumers acknowledge on delivery, then process; c1 crashes every 5s for 1s: what it held is lost, exactly the processings the crashes dropped, and nothing is delivered twice.", mostOnce},
		{"at-least-once", "The same crashes with consumers that acknowledge after processing, 5% of acknowledgements lost: nothing is lost, and a lost acknowledgement makes a duplicate effect when its message comes back.", leastOnce},
		{"idempotent", "The same with idempotent consumers sharing a store of processed ids kept for a minute: every redelivery is caught, no effect happens twice.", idem},
		{"short-ttl", "The same store forgetting ids after 2s, sooner than a redelivery comes back (after the 5s visibility timeout): the duplicates return.", shortTTL},
		{"poison", "1% of messages are poison (their processing always fails); after 3 deliveries, 2s apart, each goes to the dead-letter queue, and the rest flow.", poison},
		{"slow-consumers", "200 msg/s to consumers that can do 160: the queue grows as long as the producers publish, the lag with it, and the drain at the end cannot finish it.", slow},
		{"backpressure", "The same with the queue bounded at 500: producers wait for room, at the consumers' pace, and the queue stays at its bound: the lag moves to the producers.", slowBound},
		{"drop", "The same bound refusing what does not fit: producers are told at once, and the excess never enters the queue.", slowDrop},
	}
}

// PresetConfig returns the configuration of the named preset, or an error
// listing the presets there are.
func PresetConfig(name string) (Config, error) {
	return describe.Find(knobs, Presets(), name)
}
