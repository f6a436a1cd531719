package scaling

import (
	"time"

	"dsim/sim/dist"
	"dsim/sim/scenario/internal/describe"
)

// Preset is a named configuration that reproduces one step of the lesson.
type Preset = describe.Named[Config]

// Presets returns the lesson's experiments, in teaching order.
func Presets() []Preset {
	knee := Default()
	below := knee
	below.Users, below.Steps = 20, 4
	disk := knee
	disk.Disk = dist.MustParse("exp(10ms)")

	lock := Default()
	lock.Experiment = Threads
	wide := lock
	wide.Lock = dist.MustParse("exp(2ms)")
	wide.Work = dist.MustParse("exp(98ms)")
	wide.Threads = 32
	coherent := lock
	coherent.Coherency = 400 * time.Microsecond

	return []Preset{
		{Name: "knee", Description: "Up to 60 users thinking 1s against a web CPU (20ms), a database CPU (30ms) and a disk (40ms): past N* = 27 the disk pins throughput at 25/s.", Config: knee},
		{Name: "below-knee", Description: "The same system with up to 20 users, below the knee: throughput grows with the users and the response time stays near the demand.", Config: below},
		{Name: "faster-disk", Description: "The disk four times faster (10ms): the bottleneck moves to the database CPU, and throughput rises to 33/s, not 100/s.", Config: disk},
		{Name: "lock", Description: "Up to 128 threads, each working 80ms on its own and then holding one lock for 20ms: throughput levels off at 50/s, Amdahl's σ near the lock's share 0.2.", Config: lock},
		{Name: "short-lock", Description: "Up to 32 threads, the lock held for 2ms of each 100ms: the lock is seldom in the way and throughput grows nearly in proportion to the threads.", Config: wide},
		{Name: "coherency", Description: "The lock of the lock preset, each hold growing by 400µs per other thread: throughput peaks and then falls, which the USL fits and Amdahl cannot.", Config: coherent},
	}
}

// PresetConfig returns the configuration of the named preset, or an error
// listing the presets there are.
func PresetConfig(name string) (Config, error) {
	return describe.Find(knobs, Presets(), name)
}
