package scenario

import (
	"dsim/sim/exercise"
	"fmt"
)

// Check is the outcome of a lesson's exercise: whether the student's
// answer holds, and why, in a sentence (see package exercise).
type Check = exercise.Answer

// Checkf is a Check with a formatted explanation.
func Checkf(ok bool, format string, args ...any) Check {
	return Check{OK: ok, Why: fmt.Sprintf(format, args...)}
}
