package scenariotest

import (
	"strings"
	"testing"
)

// Bad is a change to a scenario's default Config and what the error that
// refuses it must say.
type Bad[C any] struct {
	Set  func(*C)
	Want string
}

// Refused applies each bad change to def() and checks that validate
// refuses it with an error that starts with prefix (the package's, as
// "quorum: ") and says Want, and that run refuses it with the same error:
// a run validates first.
func Refused[C, R any](t testing.TB, prefix string, def func() C, validate func(C) error, run func(C) (R, error), cases []Bad[C]) {
	t.Helper()
	for _, c := range cases {
		cfg := def()
		c.Set(&cfg)
		err := validate(cfg)
		if err == nil || !strings.HasPrefix(err.Error(), prefix) || !strings.Contains(err.Error(), c.Want) {
			t.Errorf("want %q, got %v", c.Want, err)
			continue
		}
		if _, rerr := run(cfg); rerr == nil || rerr.Error() != err.Error() {
			t.Errorf("Run did not refuse what Validate refused (%v): %v", err, rerr)
		}
	}
}
