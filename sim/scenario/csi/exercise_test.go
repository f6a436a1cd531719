package csi

import (
	"strings"
	"testing"
	"time"
)

// The config exercise over five seeds: an idempotent B with a timeout that
// leaves few attempts over it is right. The old exercise's answer (raise
// the timeout to 40s, which leaves fewer than 2% loud failures on one
// seed) still stores orders twice; so does what the coherence check ships
// (60s, 5 retries); an idempotent B with a short timeout fails loudly too
// often; the rules' limits are named.
func TestConfigExerciseOverSeeds(t *testing.T) {
	right := CheckConfigFix(ConfigFix{Timeout: 50 * time.Second, Retries: 3, Idempotent: true})
	if !right.OK || !strings.Contains(right.Why, "none was stored twice") {
		t.Fatalf("50s, 3 retries, idempotent: %v", right)
	}
	wrong := []struct {
		fix  ConfigFix
		want string
	}{
		{ConfigFix{40 * time.Second, 3, false}, "B is not idempotent"},
		{ConfigFix{60 * time.Second, 5, false}, "B is not idempotent"},
		{ConfigFix{40 * time.Second, 3, true}, "run over it"},
		{ConfigFix{90 * time.Second, 3, true}, "Timeout=1m30s"},
		{ConfigFix{60 * time.Second, 0, false}, "Retries=0"},
		{ConfigFix{}, "set Timeout"},
	}
	for _, w := range wrong {
		if c := CheckConfigFix(w.fix); c.OK || !strings.Contains(c.Why, w.want) {
			t.Errorf("%+v: %v, want %q", w.fix, c, w.want)
		}
	}
}

// The "why" question: orders of 1 to 4 items fail on every seed, though
// their mean time on B is under A's timeout; only B's random time per
// attempt explains it, and without it none of them fails.
func TestWhySmallOrdersFail(t *testing.T) {
	for seed := uint64(1); seed <= WhyRuns; seed++ {
		res := runPreset(t, "config", func(c *Config) { c.Seed = seed })
		failed := 0
		for _, o := range res.Orders {
			if o.Items <= SmallItems && o.Outcome != OK {
				failed++
			}
		}
		if failed == 0 {
			t.Errorf("seed %d: no order of 1 to %d items failed", seed, SmallItems)
		}
	}
	c := CheckWhySmallOrdersFail("b")
	if !c.OK || !strings.Contains(c.Why, "(no random factor), 0 of them failed") || !strings.Contains(c.Why, "0 were refused by a full queue, 0 had text changed") {
		t.Fatalf("b: %v", c)
	}
	for _, w := range []string{"a", "c", "d", "", "z"} {
		if c := CheckWhySmallOrdersFail(w); c.OK {
			t.Errorf("%q passed: %v", w, c)
		}
	}
}
