package show

import (
	"testing"
	"time"
)

func TestShow(t *testing.T) {
	for _, c := range []struct{ in, want time.Duration }{
		{1234567 * time.Nanosecond, 1230 * time.Microsecond},
		{45678 * time.Millisecond, 45700 * time.Millisecond},
		{999 * time.Nanosecond, 999 * time.Nanosecond},
		{3 * time.Hour, 3 * time.Hour},
	} {
		if got := Latency(c.in); got != c.want {
			t.Errorf("Latency(%v) = %v, want %v", c.in, got, c.want)
		}
	}
	if Ratio(1, 0) != 0 || Ratio(1, 4) != 0.25 {
		t.Errorf("Ratio: %v %v", Ratio(1, 0), Ratio(1, 4))
	}
	if got := Percent(0.237); got != "24%" {
		t.Errorf("Percent(0.237) = %q", got)
	}
}
