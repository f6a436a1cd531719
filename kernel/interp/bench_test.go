package interp

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"dsim/sim/scenario/metastable"
)

// The same scenario, configured and run from compiled Go and from a
// script under the runner (interpreter set-up and parsing included): the
// heavy work is compiled either way, so the two should be within a few
// percent. Ten virtual minutes at 1,000 requests/s, as in BenchmarkHour.
const scenarioScript = `package main

import (
	"time"

	"dsim/sim/scenario/metastable"
)

func main() {
	c := metastable.Default()
	c.Duration = 10 * time.Minute
	c.BaseRate = 1000
	c.Capacity = 1000
	c.Slope = 100 * time.Microsecond
	c.Window = 10 * time.Second
	if _, err := metastable.Run(c); err != nil {
		panic(err)
	}
}
`

func BenchmarkScenario(b *testing.B) {
	b.Run("compiled", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			c := metastable.Default()
			c.Duration = 10 * time.Minute
			c.BaseRate = 1000
			c.Capacity = 1000
			c.Slope = 100 * time.Microsecond
			c.Window = 10 * time.Second
			if _, err := metastable.Run(c); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("script", func(b *testing.B) {
		file := filepath.Join(b.TempDir(), "scenario.go")
		if err := os.WriteFile(file, []byte(scenarioScript), 0o644); err != nil {
			b.Fatal(err)
		}
		for i := 0; i < b.N; i++ {
			h := New(Options{Stdout: io.Discard, Stderr: io.Discard})
			if err := h.RunFile(context.Background(), file); err != nil {
				b.Fatal(err)
			}
		}
	})
}
