// Package resilience holds the client-side protections that distributed
// systems use against overload and failing dependencies, as small state
// machines a scenario drives with virtual time and a named random stream.
//
// # Backoff
//
// Backoff spaces retries out. The kinds are the ones compared in Marc
// Brooker's "Exponential Backoff And Jitter" (AWS Architecture Blog, 2015):
// none, exponential (base·2^k, optionally scaled by a uniform jitter factor),
// full jitter (uniform in [0, base·2^k]) and decorrelated jitter (uniform in
// [base, 3·previous]), each capped. Jitter matters because clients that
// failed together otherwise retry together.
//
// # Budget
//
// Budget is a retry budget: a token bucket that lets retries be at most a
// fraction of first attempts (Finagle's RetryBudget, gRPC's retry
// throttling). Without one, every client retrying up to k times multiplies
// the load by k+1 exactly when the server is least able to take it.
//
// # Breaker
//
// Breaker is a count-based circuit breaker (Nygard, Release It!, ch. 5):
// closed, then open after too many failures, then half-open with one trial.
//
// Nothing here keeps a clock or draws its own randomness: callers pass the
// virtual time and a *rand.Rand stream, so runs stay deterministic.
package resilience
