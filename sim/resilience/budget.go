package resilience

// Budget is a retry budget: a token bucket that holds at most Burst tokens
// and starts full. Every first attempt deposits Ratio tokens, every retry
// takes one, and a retry finding less than one token is not made. Over a
// long run retries are therefore at most Ratio × first attempts (+ Burst).
type Budget struct {
	ratio, burst, tokens float64
	denied               int64
}

// NewBudget returns a full budget. Ratio is the share of first attempts
// that may be retried (0.1 = 10%); burst the tokens it can save up.
func NewBudget(ratio, burst float64) *Budget {
	return &Budget{ratio: ratio, burst: burst, tokens: burst}
}

// Deposit records a first attempt.
func (b *Budget) Deposit() { b.tokens = min(b.burst, b.tokens+b.ratio) }

// Withdraw asks to make a retry and reports whether the budget allows it.
func (b *Budget) Withdraw() bool {
	if b.tokens < 1 {
		b.denied++
		return false
	}
	b.tokens--
	return true
}

// Tokens is the balance.
func (b *Budget) Tokens() float64 { return b.tokens }

// Denied is the number of retries the budget refused.
func (b *Budget) Denied() int64 { return b.denied }
