package sim

import (
	"errors"
	"fmt"
)

// Causes of a failed run, for errors.Is.
var (
	ErrEventBudget  = errors.New("event budget exhausted (Config.MaxEvents)")
	ErrPendingLimit = errors.New("pending event limit exceeded (Config.MaxPending)")
	ErrPast         = errors.New("event scheduled in the past")
	ErrInterrupted  = errors.New("run interrupted")
)

// Error is a failed run. It carries what is needed to reproduce the failure:
// the root seed and the virtual time at which it happened.
type Error struct {
	Seed  uint64
	At    Time
	Err   error
	Stack string // set when the cause was a panic in a callback
}

func (e *Error) Error() string {
	return fmt.Sprintf("sim: %v at t=%v (reproduce with seed=%d)", e.Err, e.At, e.Seed)
}

func (e *Error) Unwrap() error { return e.Err }
