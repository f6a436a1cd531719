package describe

import (
	"time"

	"dsim/sim/resilience"
	"dsim/sim/scenario"
)

// Client is what differs between scenarios in the knobs of their clients'
// protections: the defaults, and what a retry follows.
type Client struct {
	Timeout         time.Duration
	MaxRetries      int
	RetryAfter      string // "a timeout", "a timeout or a rejection"
	BackoffBase     time.Duration
	BackoffCap      time.Duration
	BreakerCooldown time.Duration
}

// DefaultJitter is the jitter of an exponential backoff left unset.
const DefaultJitter = 0.5

// FillClient fills the zero fields of c that mean "default" (knobs.Fill),
// and gives a backoff left wholly unset the default jitter too: a zero
// jitter set on purpose means none, and is kept.
func FillClient[C any](knobs *scenario.Table, c *C, backoff *resilience.Backoff) {
	unset := backoff.Kind == "" && backoff.Jitter == 0
	_ = knobs.Fill(c)
	if unset {
		backoff.Jitter = DefaultJitter
	}
}

// ClientKnobs are the knobs of a Config's client protections, declared
// once for every scenario whose clients retry: Timeout, MaxRetries,
// Backoff (Kind, Base, Cap, Jitter), RetryBudget and BudgetBurst, and the
// circuit breaker (CircuitBreaker, Breaker.Threshold, Breaker.Window,
// Breaker.Cooldown). The Config holds those fields under those names, as
// sim/service's Client does.
func ClientKnobs(c Client) []scenario.Knob {
	return []scenario.Knob{
		scenario.Dur("Timeout", "how long a client waits for each attempt", c.Timeout, time.Millisecond, time.Hour),
		scenario.Int("MaxRetries", "retries", "retries after "+c.RetryAfter, c.MaxRetries, 1, 20).ZeroMeans("no retries").Alias("retries"),
		scenario.OneOf("Backoff.Kind", "the wait before each retry", string(resilience.Exponential), Strings(resilience.BackoffKinds())...).Alias("backoff").OnlyWithout("MaxRetries", "0"),
		scenario.Dur("Backoff.Base", "the first retry's backoff", c.BackoffBase, time.Microsecond, time.Hour).OnlyWithout("MaxRetries", "0").OnlyWithout("Backoff.Kind", string(resilience.NoBackoff)),
		scenario.Dur("Backoff.Cap", "the longest backoff", c.BackoffCap, time.Microsecond, 24*time.Hour).OnlyWithout("MaxRetries", "0").OnlyWithout("Backoff.Kind", string(resilience.NoBackoff)),
		scenario.Num("Backoff.Jitter", "share", "exponential backoff's jitter, ± share", DefaultJitter, 0, 1).ZeroMeans("no jitter").Alias("jitter").OnlyWithout("MaxRetries", "0").OnlyWith("Backoff.Kind", string(resilience.Exponential)),
		scenario.Num("RetryBudget", "share", "retries allowed per first attempt", 0, 0.001, 100).ZeroMeans("no budget").Alias("budget"),
		scenario.Num("BudgetBurst", "tokens", "tokens the retry budget can save up", 10, 1, 1e9).OnlyWithout("RetryBudget", "0"),
		scenario.Bool("CircuitBreaker", "clients share a circuit breaker", false).Alias("breaker"),
		scenario.Num("Breaker.Threshold", "share", "share of failed attempts that opens the breaker", 0.5, 0.01, 1).OnlyWith("CircuitBreaker", "on"),
		scenario.Int("Breaker.Window", "attempts", "attempts the breaker remembers", 20, 1, 1_000_000).OnlyWith("CircuitBreaker", "on"),
		scenario.Dur("Breaker.Cooldown", "how long the breaker stays open", c.BreakerCooldown, time.Millisecond, time.Hour).OnlyWith("CircuitBreaker", "on"),
	}
}
