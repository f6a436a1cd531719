package cache_test

import (
	"strings"
	"testing"

	"dsim/sim/scenario/cache"
)

// The right set of remedies passes; plausible wrong ones (coalescing
// included, or the budget left out) fail; names not offered are refused.
func TestCheckRemedies(t *testing.T) {
	if c := cache.CheckRemedies([]string{"flush-no-retries", "flush-budget"}); !c.OK {
		t.Fatalf("right answer: %v", c)
	} else {
		t.Log(c)
	}
	for _, wrong := range [][]string{{"flush-no-retries"}, {"flush-no-retries", "flush-budget", "flush-coalesce"}, nil, {"flush-breaker"}} {
		if c := cache.CheckRemedies(wrong); c.OK {
			t.Errorf("%v accepted", wrong)
		}
	}
}

// The why question: b is right, with its evidence, on every seed; a and c
// are not; other text is refused.
func TestExplainCoalesce(t *testing.T) {
	if c := cache.ExplainCoalesce(" B "); !c.OK || !strings.Contains(c.Why, "capacity") {
		t.Fatalf("b: %v", c)
	} else {
		t.Log(c)
	}
	for _, wrong := range []string{"a", "c", "", "bb"} {
		if c := cache.ExplainCoalesce(wrong); c.OK {
			t.Errorf("%q accepted", wrong)
		}
	}
}
