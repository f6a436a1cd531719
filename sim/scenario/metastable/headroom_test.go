package metastable

import (
	"context"
	"math"
	"strings"
	"testing"
)

// Little's law with contention predicts the time a request takes at a
// steady load, and the share slower than the storm's 1 s timeout is
// next to nothing at 35/s, about 1% at 40/s and over a tenth at 45/s, all below
// the 50/s the server finishes: lesson 08's edge.
func TestHeadroom(t *testing.T) {
	storm := preset(t, "storm").withDefaults()
	rates := []float64{20, 35, 40, 45}
	res, err := headroom(context.Background(), storm, rates, 10)
	if err != nil {
		t.Fatal(err)
	}
	for i, rate := range rates {
		took, slower := res.Stat(i, metricTime).Mean, res.Stat(i, metricSlower)
		little, ok := storm.littleSeconds(rate)
		if !ok || math.Abs(took-little)/little > 0.01 {
			t.Errorf("%g req/s: a request took %.3f s, Little's law says %.3f s", rate, took, little)
		}
		switch {
		case rate <= 35 && slower.Upper > 0.1,
			rate == 40 && (slower.Lower <= 0 || slower.Upper > 3),
			rate == 45 && slower.Lower < 10:
			t.Errorf("%g req/s: %.1f%% (%.1f%% to %.1f%%) slower than the timeout", rate, slower.Mean, slower.Lower, slower.Upper)
		}
	}
	tab, fig, err := Headroom(storm, rates, 10)
	if err != nil || len(tab.Rows) != len(rates) || fig == nil || fig.Name != "metastable-headroom" {
		t.Fatalf("%v, %v, %v", tab, fig, err)
	}
	if _, ok := storm.littleSeconds(50); ok {
		t.Errorf("at 50/s the slots fill: Little's law has no steady time")
	}
	for _, c := range []struct {
		cfg   Config
		rates []float64
		seeds int
		says  string
	}{
		{storm, nil, 10, "got 0"},
		{storm, []float64{-1}, 10, "BaseRate=-1"},
		{storm, []float64{10}, 1, "seeds=1"},
		{preset(t, "closed-loop"), []float64{10}, 10, "Clients=15"},
	} {
		if _, _, err := Headroom(c.cfg, c.rates, c.seeds); err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%v, %d seeds: %v, want an error saying %q", c.rates, c.seeds, err, c.says)
		}
	}
}
