package scenariotest

import (
	"fmt"
	"strings"
	"testing"

	"dsim/sim/scenario"
)

// Says checks a checker's verdict on the answer called name: that OK is
// ok and that the explanation holds each of words.
func Says(t testing.TB, name string, c scenario.Check, ok bool, words ...string) {
	t.Helper()
	if c.OK != ok {
		t.Errorf("%s: OK=%v, want %v: %s", name, c.OK, ok, c)
	}
	for _, w := range words {
		if !strings.Contains(c.Why, w) {
			t.Errorf("%s: %q does not say %q", name, c.Why, w)
		}
	}
}

// Answer is an answer to an exercise, whether its checker should pass it
// and what its explanation should say.
type Answer[A any] struct {
	Answer A
	OK     bool
	Says   string
}

// Answers checks check's verdict on each answer, and logs it, so that a
// run of the tests shows what a student would read.
func Answers[A any](t testing.TB, check func(A) scenario.Check, cases []Answer[A]) {
	t.Helper()
	for _, c := range cases {
		got := check(c.Answer)
		t.Logf("%s: %v", label(c.Answer), got)
		Says(t, label(c.Answer), got, c.OK, c.Says)
	}
}

// RightAndWrong checks that check passes right, its explanation holding
// each of words, and fails every one of wrong: the plausible mistakes.
func RightAndWrong[A any](t testing.TB, check func(A) scenario.Check, right A, wrong []A, words ...string) {
	t.Helper()
	c := check(right)
	t.Logf("%s: %v", label(right), c)
	Says(t, label(right), c, true, words...)
	for _, w := range wrong {
		if c := check(w); c.OK {
			t.Errorf("%s accepted: %v", label(w), c)
		}
	}
}

// label shows an answer as a student would type it: text quoted, so that
// an empty or padded letter shows.
func label(a any) string {
	if s, ok := a.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(a)
}
