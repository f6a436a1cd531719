package quorum

// Outcome is the verdict's judgement of consistency, in one word. The
// availability of each side is a number beside it (Verdict.Available).
type Outcome int

// The outcomes.
const (
	// Consistent: the checker found the history linearizable, and no read
	// was stale or inverted and no acknowledged write was lost.
	Consistent Outcome = iota
	// Inconsistent: the checker found the history not linearizable, or a
	// read was stale or inverted, or an acknowledged write was lost (which
	// the checker cannot see when no one read the key afterwards).
	Inconsistent
	// Unchecked: the checker timed out or was skipped, and the counts
	// found no stale or inverted read and no lost write.
	Unchecked
)

func (o Outcome) String() string {
	switch o {
	case Consistent:
		return "Consistent"
	case Inconsistent:
		return "Inconsistent"
	case Unchecked:
		return "Unchecked"
	}
	return "Outcome(?)"
}

// Outcomes lists the outcomes, in the order sweeps report them.
func Outcomes() []Outcome { return []Outcome{Consistent, Inconsistent, Unchecked} }

// outcome judges consistency from the checker's answer and the counts of
// anomalous reads (stale or inverted) and lost writes.
func outcome(check CheckResult, badReads, lost int64) Outcome {
	switch {
	case check == NotLinearizable || badReads > 0 || lost > 0:
		return Inconsistent
	case check == IsLinearizable:
		return Consistent
	}
	return Unchecked
}
