// Package grade holds what the lessons' exercise checkers share: the
// grading of a multiple-choice letter, the listing of duration choices,
// and a memo of runs over the exercise seeds.
package grade

import (
	"strings"
	"sync"
	"time"

	"dsim/sim/scenario"
)

// Choice reads the letter of a multiple-choice answer, set in the
// exercise cell's variable name: a Check saying what to do when it is
// missing or not one of the letters of options.
func Choice(answer, options, name string) (string, *scenario.Check) {
	a := strings.ToLower(strings.TrimSpace(answer))
	letters := strings.Join(strings.Split(options, ""), ", ")
	switch {
	case a == "":
		c := scenario.Checkf(false, "set %s to one letter, %s, then run the cell again.", name, letters)
		return "", &c
	case len(a) != 1 || !strings.Contains(options, a):
		c := scenario.Checkf(false, "%s=%q: pick one of %s.", name, answer, letters)
		return "", &c
	}
	return a, nil
}

// Letter grades the letter of a multiple-choice answer before any run:
// it reports true with the reason when choice is missing, not one of
// options (as Choice says), or not key; look is what a wrong choice should
// look at again. The caller then runs the evidence for the key, so that a
// change to the model that breaks the explanation shows.
func Letter(choice, key, options, look string) (scenario.Check, bool) {
	a, bad := Choice(choice, options, "choice")
	switch {
	case bad != nil:
		return *bad, true
	case a != key:
		return scenario.Checkf(false, "the runs do not bear %s out; look again at %s", a, look), true
	}
	return scenario.Check{}, false
}

// Durations lists duration choices as "1s, 2s, 5s".
func Durations(ds []time.Duration) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = d.String()
	}
	return strings.Join(s, ", ")
}

// Memo remembers what a key's runs gave: the runs are deterministic, and
// a student checks an answer more than once. It is safe for concurrent
// use; a key's runs happen once.
type Memo[T any] struct {
	mu sync.Mutex
	of map[string]T
}

// Get returns key's value, computing it with run the first time.
func (m *Memo[T]) Get(key string, run func() (T, error)) (T, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if got, ok := m.of[key]; ok {
		return got, nil
	}
	got, err := run()
	if err != nil {
		return got, err
	}
	if m.of == nil {
		m.of = map[string]T{}
	}
	m.of[key] = got
	return got, nil
}
