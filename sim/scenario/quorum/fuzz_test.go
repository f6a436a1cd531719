package quorum_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"dsim/sim/scenario/quorum"
)

// Any text for any knob is refused with an error or runs: no panic, no
// hang. Runs are kept short (2s, 2000 operations) so the fuzzer explores.
func FuzzKnob(f *testing.F) {
	tab := quorum.Scenario().Knobs
	names := tab.Names()
	for i, text := range []string{"1ns", "0", "-1", "1e300", "NaN", "lognormal(1ms, 3)", "pareto(1ms, 1.01)", "eventual", "on", "15", "24h", "50%", "300/min", "normal(1ms, 10ms)"} {
		f.Add(uint8(i), text, uint8(i*7))
	}
	f.Fuzz(func(t *testing.T, which uint8, text string, second uint8) {
		cfg := quorum.Default()
		cfg.Duration, cfg.MaxOps, cfg.SkipCheck = 2*time.Second, 2000, true
		if tab.Set(&cfg, names[int(which)%len(names)], text) != nil {
			return
		}
		_ = tab.Set(&cfg, names[int(second)%len(names)], text)
		if cfg.Duration > 2*time.Second || cfg.MaxOps > 2000 {
			return
		}
		if cfg.Validate() != nil {
			return
		}
		// A run may stop at a limit; it must not panic or take long.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		start := time.Now()
		_, err := quorum.RunContext(ctx, cfg)
		if d := time.Since(start); errors.Is(err, context.DeadlineExceeded) || d > 5*time.Second {
			t.Fatalf("%s: ran for %v: %v", knobText(tab, cfg), d, err)
		}
	})
}

func knobText(tab interface {
	Names() []string
	Get(any, string) (string, error)
}, cfg quorum.Config) string {
	var parts []string
	for _, n := range tab.Names() {
		v, _ := tab.Get(cfg, n)
		parts = append(parts, n+"="+v)
	}
	return strings.Join(parts, " ")
}
