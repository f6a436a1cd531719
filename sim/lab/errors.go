package lab

import (
	"errors"
	"fmt"
	"strings"

	"dsim/sim"
)

// Error is a run that went wrong in a way no checker needs to judge: a node
// panicked, sent a malformed message, flooded the network, never answered,
// or the run hit a limit. It names the node (when one is at fault), the
// seed and the virtual time, which is all a replay needs.
type Error struct {
	Node  string   // the node at fault; "" when none is
	Seed  uint64   // the run's seed
	At    sim.Time // virtual time
	Err   error
	Stack string   // the node's stack, when it panicked
	Log   []string // the node's last log lines (Env.Logf)
}

func (e *Error) Error() string {
	who := ""
	if e.Node != "" {
		who = "node " + e.Node + ": "
	}
	s := fmt.Sprintf("lab: %s%v at t=%v (reproduce with seed=%d)", who, e.Err, e.At, e.Seed)
	if len(e.Log) > 0 {
		s += "\nits last log lines:\n  " + strings.Join(e.Log, "\n  ")
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Causes of a failed run, for errors.Is.
var (
	ErrPanic      = errors.New("panic")
	ErrMalformed  = errors.New("malformed message")
	ErrFlood      = errors.New("too many messages")
	ErrSilent     = errors.New("never answered")
	ErrLimit      = errors.New("limit reached")
	ErrUnknownDst = errors.New("unknown destination")
)
