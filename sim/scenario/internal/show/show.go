// Package show is how the lessons write numbers into their summaries,
// verdicts and sweep metrics, where more than one lesson writes them the
// same way.
package show

import (
	"fmt"
	"time"
)

// Latency keeps three significant digits of a latency: 1.23ms, 45.6s.
func Latency(d time.Duration) time.Duration {
	for m := time.Duration(1); m < time.Hour; m *= 10 {
		if d < 1000*m {
			return d.Round(m)
		}
	}
	return d.Round(time.Second)
}

// Ratio is a/b, and 0 when there is nothing to divide: a sweep's mean
// needs a number for every run.
func Ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Percent writes a share as a whole percentage: 0.237 is "24%".
func Percent(x float64) string { return fmt.Sprintf("%.0f%%", 100*x) }
