package bounds

import (
	"math"
	"testing"
	"time"
)

func TestIn(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{In("raft", "MaxBatch", 0, 1, 10_000), "raft: MaxBatch=0: must be in [1, 10000]"},
		{In("lab", "Timeout", 2*time.Hour, time.Microsecond, time.Hour), "lab: Timeout=2h0m0s: must be in [1µs, 1h]"},
		{In("lab", "Nemesis.Length", 0, time.Millisecond, 24*time.Hour), "lab: Nemesis.Length=0s: must be in [1ms, 24h]"},
		{In("detect", "Interval", 90*time.Second, time.Millisecond, time.Minute), "detect: Interval=1m30s: must be in [1ms, 1m]"},
		{In("x", "Share", math.NaN(), 0, 1), "x: Share=NaN: must be in [0, 1]"},
		{In("x", "Span", 61*time.Minute, 0, 90*time.Minute), ""},
		{In("x", "N", 10_000, 1, 10_000), ""},
		{Under("lab", "Loss", 1.0, 0, 1), "lab: Loss=1: must be in [0, 1)"},
		{Under("lab", "ClockDrift", math.NaN(), 0, 0.5), "lab: ClockDrift=NaN: must be in [0, 0.5)"},
		{Under("txn", "Frontends", 63, 0, 64), ""},
	}
	for _, c := range cases {
		got := ""
		if c.err != nil {
			got = c.err.Error()
		}
		if got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}
