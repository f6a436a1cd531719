package lab

import (
	"fmt"
	"strings"

	"dsim/sim"
)

// Checker judges a run. The workload brings its own (Workload's
// checkers); Test.Checkers adds the user's.
type Checker interface {
	Check(r *Result) Verdict
}

// CheckFunc makes a function a Checker.
type CheckFunc func(r *Result) Verdict

// Check calls f.
func (f CheckFunc) Check(r *Result) Verdict { return f(r) }

// Outcome is a checker's answer.
type Outcome int

// The outcomes, as Jepsen's :valid? has them. Unknown means the checker
// could not decide (it ran out of its time budget).
const (
	Valid Outcome = iota
	Invalid
	Unknown
)

func (o Outcome) String() string {
	switch o {
	case Valid:
		return "valid"
	case Invalid:
		return "INVALID"
	case Unknown:
		return "unknown"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Verdict is what a checker found: an outcome, a sentence, the
// violations with the operations that show them, and numbers.
type Verdict struct {
	Checker    string
	Outcome    Outcome
	Summary    string      // one sentence
	Violations []Violation // the first MaxViolations found
	Count      int         // violations found in all
	Metrics    []Metric
}

// MaxViolations is how many violations a verdict keeps; Count counts all.
const MaxViolations = 20

// Violation is one thing that should not have happened, with the events
// of the history (their indexes) that show it.
type Violation struct {
	Text   string
	Events []int
	Node   string   // the node it concerns, if one
	At     sim.Time // when it was seen
}

// Metric is a number a checker measured.
type Metric struct {
	Name  string
	Value float64
	Unit  string
}

// OK reports whether the verdict is Valid.
func (v Verdict) OK() bool { return v.Outcome == Valid }

// String reads "broadcast: INVALID: 3 acknowledged messages are missing ...".
func (v Verdict) String() string {
	return fmt.Sprintf("%s: %s: %s", v.Checker, v.Outcome, v.Summary)
}

// Text is the verdict with its violations and metrics, one a line.
func (v Verdict) Text() string {
	var b strings.Builder
	b.WriteString(v.String())
	b.WriteByte('\n')
	for _, x := range v.Violations {
		fmt.Fprintf(&b, "  - %s\n", x.Text)
	}
	if v.Count > len(v.Violations) {
		fmt.Fprintf(&b, "  ... and %d more\n", v.Count-len(v.Violations))
	}
	for _, m := range v.Metrics {
		fmt.Fprintf(&b, "  %s: %s\n", m.Name, strings.TrimSpace(fmt.Sprintf("%.4g %s", m.Value, m.Unit)))
	}
	return b.String()
}

// verdict collects violations as a checker finds them.
type verdict struct{ Verdict }

func newVerdict(name string) *verdict { return &verdict{Verdict{Checker: name}} }

func (v *verdict) add(x Violation) {
	v.Count++
	if len(v.Violations) < MaxViolations {
		v.Violations = append(v.Violations, x)
	}
}

func (v *verdict) addf(events []int, node string, at sim.Time, format string, args ...any) {
	v.add(Violation{Text: fmt.Sprintf(format, args...), Events: events, Node: node, At: at})
}

func (v *verdict) metric(name string, value float64, unit string) {
	v.Metrics = append(v.Metrics, Metric{Name: name, Value: value, Unit: unit})
}

// done sets the outcome: a failure if anything was found.
func (v *verdict) done(pass, fail string) Verdict {
	if v.Count > 0 {
		v.Outcome, v.Summary = Invalid, fail
	} else {
		v.Outcome, v.Summary = Valid, pass
	}
	return v.Verdict
}
