package sim

import (
	"fmt"
	"time"
)

// Window is a span of a run: from Start, for Duration. Every trigger and
// fault of every scenario (a load spike, a capacity drop, a partition, a
// rollout) is placed by one, so they read the same everywhere.
//
// A zero Duration means different things to different owners (the
// default length, or "until the end"); each says which.
type Window struct {
	Start    time.Duration // from the start of the run
	Duration time.Duration // how long it lasts
}

// End is Start + Duration, saturating instead of wrapping around.
func (w Window) End() time.Duration {
	if w.Duration > time.Duration(MaxTime)-w.Start {
		return time.Duration(MaxTime)
	}
	return w.Start + w.Duration
}

// Contains reports whether t falls in [Start, End).
func (w Window) Contains(t Time) bool {
	return t >= FromDuration(w.Start) && t < FromDuration(w.End())
}

// Clip returns the window cut to a run of length d, and whether anything
// of it is left.
func (w Window) Clip(d time.Duration) (Window, bool) {
	if w.Start >= d {
		return Window{}, false
	}
	if w.End() > d {
		w.Duration = d - w.Start
	}
	return w, true
}

// String reads "20s to 30s".
func (w Window) String() string {
	return fmt.Sprintf("%v to %v", w.Start, w.End())
}
