package csi

// OrderOutcome is how one order ended.
type OrderOutcome string

// The outcomes of an order.
const (
	OK     OrderOutcome = "ok"
	Loud   OrderOutcome = "loud failure"      // an error someone's log or monitoring shows
	Silent OrderOutcome = "silent corruption" // only the checker finds it
)

// index is the outcome's place in per-outcome counts: ok, loud, silent.
func (o OrderOutcome) index() int {
	switch o {
	case OK:
		return 0
	case Loud:
		return 1
	}
	return 2
}

// Outcome is the kind of verdict on a run: which outcomes its orders had.
type Outcome int

// The verdicts.
const (
	// Clean: every order arrived intact.
	Clean Outcome = iota
	// LoudOnly: some orders failed loudly, none was corrupted silently.
	LoudOnly
	// SilentOnly: some orders were corrupted silently, none failed loudly:
	// monitoring sees nothing wrong.
	SilentOnly
	// LoudSilent: both.
	LoudSilent
)

// Outcomes lists the verdicts.
func Outcomes() []Outcome { return []Outcome{Clean, LoudOnly, SilentOnly, LoudSilent} }

func (o Outcome) String() string {
	switch o {
	case Clean:
		return "Clean"
	case LoudOnly:
		return "Loud failures"
	case SilentOnly:
		return "Silent corruption"
	case LoudSilent:
		return "Loud failures and silent corruption"
	}
	return "Outcome(?)"
}
