package queueing

import (
	"fmt"
	"time"
)

// Backlog is what a transient overload, such as a spike, leaves in the
// queue: how deep it grew, when, and when it had drained. Its times are
// the middles of metric windows (Config.Window), so they are known to
// half a window.
type Backlog struct {
	Peak   float64       // the most requests waiting at once
	PeakAt time.Duration // the middle of the first window that reached Peak
	// DrainedAt is the middle of the first window after the peak whose
	// time-weighted mean queue was under one request; zero when the queue
	// had not drained by the end of the run.
	DrainedAt time.Duration
}

// Backlog finds the queue's peak and the end of its draining in the run's
// windows.
func (r *Result) Backlog() Backlog {
	peaks, means := r.Queue.MaxSeries(), r.Queue.Series()
	var b Backlog
	at := -1
	for i, v := range peaks.V {
		if at < 0 || v > b.Peak {
			b.Peak, at = v, i
		}
	}
	if at < 0 {
		return b
	}
	b.PeakAt = peaks.T[at].Duration()
	for i := at; i < means.Len(); i++ {
		if means.V[i] < 1 {
			b.DrainedAt = means.T[i].Duration()
			break
		}
	}
	return b
}

// String reads as a sentence: "the queue peaked at 259 requests at 4m57s
// and had drained by 6m02s".
func (b Backlog) String() string {
	end := "had not drained by the end"
	if b.DrainedAt > 0 {
		end = fmt.Sprintf("had drained by %v", b.DrainedAt.Round(time.Second))
	}
	return fmt.Sprintf("the queue peaked at %.0f requests at %v and %s", b.Peak, b.PeakAt.Round(time.Second), end)
}
