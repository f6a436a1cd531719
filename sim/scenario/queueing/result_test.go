package queueing

import (
	"strings"
	"testing"
	"time"

	"dsim/sim/dist"
)

// Two servers at ρ = 0.5: Erlang C says a third of the requests wait, so
// the median wait is exactly 0, not the histogram's lowest bucket (511ns).
func TestMedianWaitOfMostlyIdleServersIsZero(t *testing.T) {
	c := Default()
	c.Dependencies = 0
	c.Servers = 2
	c.ArrivalRate = 2
	c.ServiceTime = dist.MustParse("exp(500ms)")
	c.Duration = 10 * time.Minute
	r, err := Run(c)
	if err != nil {
		t.Fatal(err)
	}
	if 2*r.Waited >= r.Arrivals {
		t.Fatalf("%d of %d waited: the test needs fewer than half", r.Waited, r.Arrivals)
	}
	if p50 := r.Wait.Quantile(0.5); p50 != 0 {
		t.Errorf("median wait %v, want 0 (%d of %d waited)", p50, r.Waited, r.Arrivals)
	}
	if p95 := r.Wait.Quantile(0.95); p95 <= 0 {
		t.Errorf("p95 wait %v, want > 0", p95)
	}
}

func TestVerdictOfAQueueStillFullSaysSo(t *testing.T) {
	for _, p := range Presets() {
		c := p.Config
		if c.Duration > 10*time.Minute {
			c.Duration = 10 * time.Minute
		}
		r, err := Run(c)
		if err != nil {
			t.Fatal(err)
		}
		v := r.Verdict().String()
		queued := r.InProgress - min(r.InProgress, int64(c.Servers))
		if strings.Contains(v, "drained") && queued > 0 {
			t.Errorf("%s: %d still queued at the end, yet %q", p.Name, queued, v)
		}
		if strings.Contains(v, "NaN") || strings.Contains(v, "Inf") || strings.Contains(v, "e+") {
			t.Errorf("%s: %q", p.Name, v)
		}
	}
}
