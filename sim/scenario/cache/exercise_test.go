package cache_test

import (
	"testing"

	"dsim/sim/scenario/cache"
	"dsim/sim/scenario/internal/scenariotest"
)

// The right set of remedies passes; plausible wrong ones (coalescing
// included, or the budget left out) fail; names not offered are refused.
func TestCheckRemedies(t *testing.T) {
	scenariotest.RightAndWrong(t, cache.CheckRemedies, []string{"flush-no-retries", "flush-budget"},
		[][]string{{"flush-no-retries"}, {"flush-no-retries", "flush-budget", "flush-coalesce"}, nil, {"flush-breaker"}})
}

// The why question: b is right, with its evidence, on every seed; a and c
// are not; other text is refused.
func TestExplainCoalesce(t *testing.T) {
	scenariotest.RightAndWrong(t, cache.ExplainCoalesce, " B ", []string{"a", "c", "", "bb"}, "capacity")
}
