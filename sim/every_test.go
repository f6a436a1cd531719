package sim

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

// Every calls its function at start and then each period, until the
// horizon; a period that is not positive fails the run instead of looping.
func TestEvery(t *testing.T) {
	s := New(Config{Seed: 1, Horizon: 10})
	var at []Time
	s.Every(3, 2, func() { at = append(at, s.Now()) })
	if err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if want := []Time{3, 5, 7, 9}; !reflect.DeepEqual(at, want) {
		t.Errorf("called at %v, want %v", at, want)
	}
	for _, period := range []Time{0, -1} {
		s := New(Config{Seed: 1, Horizon: 10})
		calls := 0
		s.Every(0, period, func() { calls++ })
		err := s.Run(context.Background())
		if err == nil || calls != 0 || !strings.Contains(err.Error(), "must be positive") {
			t.Errorf("period %v: err %v after %d calls, want a failed run", period, err, calls)
		}
	}
}
