package detect

import (
	"cmp"
	"dsim/sim/lab/internal/bounds"
	"fmt"
	"math"
	"time"
)

// The detector kinds (Detector.Kind).
const (
	// Fixed suspects a peer Timeout after its last heartbeat arrived.
	Fixed = "fixed"
	// Phi suspects a peer when phi, computed from the recent inter-arrival
	// times, passes Threshold (Hayashibara et al., 2004).
	Phi = "phi"
)

// Detector is one failure detector a node runs on every peer, fed by the
// arrivals of the peer's heartbeats.
type Detector struct {
	Kind      string        // Fixed or Phi
	Timeout   time.Duration // Fixed: silence after which the peer is suspected
	Threshold float64       // Phi: the phi at which the peer is suspected
}

// String names the detector and its parameter: "fixed 500ms", "phi 8".
func (d Detector) String() string {
	if d.Kind == Phi {
		return fmt.Sprintf("phi %g", d.Threshold)
	}
	return fmt.Sprintf("%s %v", d.Kind, d.Timeout)
}

// Config is the heartbeat nodes' settings. Zero fields take the defaults.
type Config struct {
	// Interval is how often a node sends a heartbeat to every peer;
	// default 100ms.
	Interval time.Duration
	// Window is how many recent inter-arrival times phi estimates the
	// mean and deviation from; default 100 (Akka's sample size is 1000,
	// Cassandra's 1000: a short window adapts faster and forgets sooner).
	Window int
	// MinStdDev is the least deviation phi assumes: on a calm network the
	// measured deviation is tiny and phi would leap at the first late
	// heartbeat (Akka's min-std-deviation); default Interval/10.
	MinStdDev time.Duration
	// Detectors run side by side on the same arrivals, so that their
	// results differ only by the detector; default a fixed timeout of
	// 5 Intervals and phi 8.
	Detectors []Detector
}

// Bounds on a Config.
const (
	MaxDetectors = 32
	MaxWindow    = 100_000
	MaxThreshold = 100 // phi 100 is 21 deviations: past it float64 has no tail left
)

// Defaults of Config.
const (
	DefaultInterval  = 100 * time.Millisecond
	DefaultWindow    = 100
	DefaultThreshold = 8.0
)

func (c Config) withDefaults() Config {
	c.Interval = cmp.Or(c.Interval, DefaultInterval)
	c.Window = cmp.Or(c.Window, DefaultWindow)
	if c.MinStdDev == 0 {
		c.MinStdDev = c.Interval / 10
	}
	if c.Detectors == nil {
		c.Detectors = []Detector{{Kind: Fixed, Timeout: 5 * c.Interval}, {Kind: Phi, Threshold: DefaultThreshold}}
	}
	return c
}

// Validate reports the first field that cannot work, naming it, its value
// and the allowed range.
func (c Config) Validate() error {
	c = c.withDefaults()
	if err := cmp.Or(
		bounds.In("detect", "Interval", c.Interval, time.Millisecond, time.Minute),
		bounds.In("detect", "Window", c.Window, 2, MaxWindow),
		bounds.In("detect", "MinStdDev", c.MinStdDev, time.Microsecond, time.Minute),
	); err != nil {
		return err
	}
	if len(c.Detectors) == 0 || len(c.Detectors) > MaxDetectors {
		return fmt.Errorf("detect: Detectors has %d detectors: must have 1 to %d", len(c.Detectors), MaxDetectors)
	}
	for i, d := range c.Detectors {
		switch d.Kind {
		case Fixed:
			if err := bounds.In("detect", fmt.Sprintf("Detectors[%d].Timeout", i), d.Timeout, time.Millisecond, time.Hour); err != nil {
				return err
			}
		case Phi:
			if !(d.Threshold > 0 && d.Threshold <= MaxThreshold) {
				return fmt.Errorf("detect: Detectors[%d].Threshold=%v: must be in (0, %d]", i, d.Threshold, MaxThreshold)
			}
		default:
			return fmt.Errorf("detect: Detectors[%d].Kind=%q: must be %q or %q", i, d.Kind, Fixed, Phi)
		}
	}
	return nil
}

// PhiOf is phi after elapsed without a heartbeat, for inter-arrival times
// of the given mean and deviation, taken as normal: -log10 of the
// probability that the next heartbeat comes later still.
func PhiOf(elapsed, mean, std time.Duration) float64 {
	z := float64(elapsed-mean) / float64(std)
	return -math.Log10(0.5 * math.Erfc(z/math.Sqrt2))
}

// Deviations returns how many deviations past the mean phi reaches
// threshold: phi suspects a peer mean + Deviations(threshold)*std after
// its last heartbeat. Phi 1 is 1.28 deviations, 8 is 5.6, 16 is 8.2.
func Deviations(threshold float64) float64 {
	// phi rises with z; erfc keeps its precision in the far tail, where an
	// inverse through 1-p would round to nothing. 60 halvings of [-40, 40]
	// leave an error far under a nanosecond of any delay.
	lo, hi := -40.0, 40.0
	for range 60 {
		mid := (lo + hi) / 2
		if -math.Log10(0.5*math.Erfc(mid/math.Sqrt2)) < threshold {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}
