package crdt

import (
	"context"
	"strings"
	"testing"
	"time"
)

// The limits a run checks as it goes, reached on purpose with lowered
// values: each stops the run with an error naming the limit and the seed.
func TestRunLimits(t *testing.T) {
	roomy := limits{messages: maxMessages, bytes: maxBytes, state: maxState}
	cfg, _ := PresetConfig("set-churn")
	for _, tc := range []struct {
		lim  limits
		want string
	}{
		{limits{messages: 10, bytes: roomy.bytes, state: roomy.state}, "more than 10 messages sent (the limit)"},
		{limits{messages: roomy.messages, bytes: 500, state: roomy.state}, "more than 500 bytes of state sent (the limit)"},
		{limits{messages: roomy.messages, bytes: roomy.bytes, state: 50}, "more than the limit of 50"},
	} {
		_, err := runWith(context.Background(), cfg, tc.lim)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "seed=1") {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
	if _, err := runWith(context.Background(), cfg, roomy); err != nil {
		t.Fatal(err)
	}
}

// Random operations drawn later than their mean are checked again: the
// samples of the drawn run are bounded too, though Validate, which knows
// only the mean, let the configuration pass.
func TestDrawnSpanIsChecked(t *testing.T) {
	c := Default()
	c.Operations, c.OpRate = 1, 0.0011 // the mean end is 909s
	c.MaxTime, c.Window = time.Millisecond, time.Millisecond
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	refused := 0
	for seed := uint64(1); seed <= 10; seed++ {
		c.Seed = seed
		last := randomOps(c.withDefaults())[0].At
		if last+c.MaxTime <= maxWindows*c.Window {
			continue // a run of up to a million samples: long for a test
		}
		if _, err := Run(c); err == nil || !strings.Contains(err.Error(), "Window=1ms: gives") {
			t.Errorf("seed %d: the operation at %v gives more than %d samples: %v", seed, last, maxWindows, err)
		}
		refused++
	}
	if refused == 0 {
		t.Error("no seed drew an operation past 1000s; the check went untested")
	}
}
