package clocks

import (
	"fmt"
	"strings"
)

// Outcome is what the run's order of writes and reads came to.
type Outcome int

const (
	// Ordered: the register kept every write that happened after another
	// (none lost to an earlier one), and no client read broke a session
	// guarantee.
	Ordered Outcome = iota
	// Misordered: the register's stamps ordered some write before a write
	// that happened before it, so last writer wins lost the later one.
	Misordered
	// Stale: the writes kept their order, but some client read missed its
	// own write or went back to an older version than it had read.
	Stale
)

func (o Outcome) String() string { return [...]string{"Ordered", "Misordered", "Stale"}[o] }

// Verdict is the run's outcome with its explanation.
type Verdict struct {
	Outcome    Outcome
	LostWrites int // under the register's own stamps
	StaleReads int // reads that broke read-your-writes or monotonic reads
	Reason     string
}

func (v Verdict) String() string { return v.Outcome.String() + ": " + v.Reason }

// Markdown is the verdict for a notebook.
func (v Verdict) Markdown() string { return "**" + v.Outcome.String() + ":** " + v.Reason }

// Verdict judges the run: lost writes first, since they are lost for
// every client, then the sessions.
func (r *Result) Verdict() Verdict {
	v := Verdict{LostWrites: r.LostWrites(), StaleReads: r.Sessions.StaleReads}
	o := r.Order
	var parts []string
	switch {
	case v.LostWrites > 0:
		v.Outcome = Misordered
		parts = append(parts, fmt.Sprintf("%s stamps let %d of %d writes lose to a write that happened before them", r.Config.Stamps.title(), v.LostWrites, o.Writes))
	case v.StaleReads > 0:
		v.Outcome = Stale
	case o.Writes == 0:
		v.Outcome = Ordered
		parts = append(parts, "no write was made, so none was lost")
	default:
		v.Outcome = Ordered
		parts = append(parts, fmt.Sprintf("%s stamps ordered each of %d writes after every write that happened before it", r.Config.Stamps.title(), o.Writes))
	}
	if o.Backward > 0 {
		parts = append(parts, fmt.Sprintf("by the clocks, %d of %d messages were received before they were sent", o.Backward, o.Delivered))
	}
	if r.Config.Clients > 0 {
		s := r.Sessions
		tokens := "without session tokens"
		if r.Config.Tokens {
			tokens = "with session tokens"
		}
		parts = append(parts, fmt.Sprintf("%s, %d of %d client reads were stale (%d missed the client's own write, %d went back in time)",
			tokens, s.StaleReads, s.Reads, s.ReadYourWrites, s.MonotonicReads))
	}
	if r.Truncated {
		parts = append(parts, fmt.Sprintf("the run stopped at %d events (MaxEvents) at %v", len(r.Events), r.End))
	}
	v.Reason = strings.Join(parts, "; ")
	return v
}
