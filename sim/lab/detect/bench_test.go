package detect

import (
	"testing"
)

// BenchmarkRun is one two-minute run of five nodes under the ladder's
// worst pauses, with the ten detectors of Spectrum.
func BenchmarkRun(b *testing.B) {
	cfg := Config{Detectors: Spectrum(DefaultInterval)}
	c := Ladder()[6]
	for i := 0; b.Loop(); i++ {
		c.Seed = uint64(i)
		if _, err := Run(ctx, cfg, c); err != nil {
			b.Fatal(err)
		}
	}
}
