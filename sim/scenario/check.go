package scenario

import "fmt"

// Check is the outcome of a lesson's exercise: whether the student's
// answer holds, and why, in a sentence. Exercises are checked by functions
// of the scenario packages that run the model over several seeds, so that
// an answer right by the luck of one seed is not called right, and the
// exercise cell never contains its answer.
type Check struct {
	OK bool
	// Why explains the verdict from the runs' own numbers: what the
	// answer gives, what a right one gives, over how many seeds.
	Why string
}

// String reads "Right: ..." or "Not yet: ...".
func (c Check) String() string {
	if c.OK {
		return "Right: " + c.Why
	}
	return "Not yet: " + c.Why
}

// Markdown is the check in bold for a notebook.
func (c Check) Markdown() string {
	if c.OK {
		return "**Right.** " + c.Why
	}
	return "**Not yet.** " + c.Why
}

// Checkf is a Check with a formatted explanation.
func Checkf(ok bool, format string, args ...any) Check {
	return Check{OK: ok, Why: fmt.Sprintf(format, args...)}
}
