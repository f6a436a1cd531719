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

// Letter grades the letter of a multiple-choice answer before any run:
// it reports true with the reason when choice is missing, not one of
// options, or not key; look is what a wrong choice should look at again.
// The caller then runs the evidence for the key, so that a change to the
// model that breaks the explanation shows.
func Letter(choice, key, options, look string) (scenario.Check, bool) {
	choice = strings.ToLower(strings.TrimSpace(choice))
	letters := strings.Join(strings.Split(options, ""), ", ")
	switch {
	case choice == "":
		return scenario.Checkf(false, "set choice to one of the letters %s, then run the cell", letters), true
	case len(choice) != 1 || !strings.Contains(options, choice):
		return scenario.Checkf(false, "%q is not one of the letters %s", choice, letters), true
	case choice != key:
		return scenario.Checkf(false, "the runs do not bear %s out; look again at %s", choice, look), true
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
