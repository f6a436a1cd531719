// Package exercise holds what every exercise of the lessons gives back: a
// checked answer, right or not, and why, from the runs' own numbers. The
// lessons' checks (scenario.Check, lab.Answer, clocks.Answer) are this one
// type, so a notebook shows every answer the same way.
package exercise

// Answer is the outcome of checking a student's answer. Exercises are
// checked by functions that run the model over several seeds, so that an
// answer right by the luck of one seed is not called right, and the
// exercise cell never contains its answer.
type Answer struct {
	OK bool
	// Why explains the verdict from the runs' own numbers: what the
	// answer gives, what a right one gives, over how many seeds.
	Why string
}

// String reads "Right: ..." or "Not yet: ...".
func (a Answer) String() string {
	if a.OK {
		return "Right: " + a.Why
	}
	return "Not yet: " + a.Why
}

// Markdown is the answer for a notebook, the verdict in bold.
func (a Answer) Markdown() string {
	if a.OK {
		return "**Right.** " + a.Why
	}
	return "**Not yet.** " + a.Why
}
