package service

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/resilience"
)

// Client is the calling side of a request: it sends attempts to Target
// until one is answered, each raced against Timeout, retried after a
// failure or a timeout up to MaxRetries times after a Backoff, within a
// RetryBudget, behind an optional circuit Breaker, with an optional hedge.
// It answers its own caller (a load, or a server calling a dependency)
// once: success when an attempt succeeds, failure when it gives up.
//
// The rules, each from practice:
//   - A timed-out attempt is not cancelled: it stays where it is, and work
//     done on it later is wasted (the server counts it). The client learns
//     of a timeout when it falls due; an answer at the very instant of the
//     timeout is late (the timeout wins ties, whatever order the engine
//     runs the two events in).
//   - A retry does not push the timeout of any other attempt back: every
//     attempt's timeout is its send time plus Timeout.
//   - Latency is the caller's: from the request's arrival at the client to
//     the answer, backoffs and retries included, for answered requests.
//   - A request carries the earliest deadline of the clients above it; an
//     attempt's deadline is the earlier of that and its own timeout, so
//     servers with deadline-aware admission see it, and no retry starts
//     after it, nor after the caller gave up on the request.
//   - Retries wait resilience.Backoff (Brooker, "Exponential Backoff And
//     Jitter", 2015); a retry budget (Finagle's RetryBudget) is a token
//     bucket of BudgetBurst tokens that first attempts refill by
//     RetryBudget each; a breaker (Nygard, Release It!, ch. 5) counts
//     timeouts and failed answers and, open, fails requests at once.
//   - A hedge (Dean and Barroso, "The Tail at Scale", CACM 2013) is a
//     second attempt sent when the first has had no answer after Hedge;
//     the first answer wins and the other is abandoned. Hedges take a
//     token from the budget when there is one.
//
// Every attempt has the same timeout, so their deadlines come in send
// order: one queue and one engine timer at its head replace a timer per
// attempt (hedges likewise), which keeps the event heap small.
//
// Random stream: NAME/backoff (jittered backoff kinds).
type Client struct {
	Name    string
	Target  string
	Timeout time.Duration // per attempt; zero waits as long as the caller does
	// MaxRetries is how many times a request is retried after a failed or
	// timed-out attempt, 0 to 100.
	MaxRetries int
	// Backoff is the wait before each retry; the zero Backoff retries at
	// once.
	Backoff resilience.Backoff
	// RetryBudget, when positive, allows retries (and hedges) of at most
	// this share of first attempts, 0.001 to 100.
	RetryBudget float64
	// BudgetBurst is the tokens the budget can save up; zero means 10.
	BudgetBurst float64
	// Breaker is a circuit breaker shared by every request of the client
	// when Breaker.Window > 0; the zero value is none.
	Breaker resilience.BreakerConfig
	// Hedge, when positive, sends a second attempt of a request that has
	// had no answer for this long.
	Hedge time.Duration

	ClientStats
	part
	target   node
	backoffR *rand.Rand
	budget   *resilience.Budget
	breaker  *resilience.Breaker
	timeout  sim.Time
	hedge    sim.Time
	timeouts ring[expiry]
	timer    sim.Timer
	expireFn func()
	hedges   ring[expiry]
	hTimer   sim.Timer
	hedgeFn  func()
	// Requests offered and answered, by the window they arrived in.
	offeredBy, answeredBy []int64
}

// ClientStats is what a Client measured.
type ClientStats struct {
	Requests *metrics.Rate // requests from its caller
	Attempts *metrics.Rate // attempts sent: first, retries and hedges
	Retries  *metrics.Rate // attempts that were retries
	Goodput  *metrics.Rate // requests answered with success
	Failures *metrics.Rate // requests it gave up on
	Timeouts *metrics.Rate // attempts it stopped waiting for
	// Latency is from a request's arrival to its successful answer.
	Latency *metrics.Latency

	FirstAttempts  int64 // attempts that were a request's first
	Hedges         int64 // hedged attempts
	ShortCircuited int64 // requests an open breaker failed at once
	BudgetDenied   int64 // retries and hedges the budget refused
	BreakerOpened  int64 // times the breaker opened
	Late           int64 // answers that came after their attempt's timeout
}

// expiry is a pending timeout or hedge of an attempt. An entry whose
// attempt was answered since (released: no parent; or reused: another
// generation) is stale and skipped.
type expiry struct {
	c   *call
	gen uint32
}

func (e expiry) live() bool { return e.c.gen == e.gen && e.c.parent != nil }

func (*Client) Kind() string                { return "Client" }
func (c *Client) ID() string                { return c.Name }
func (c *Client) wiredTo() (string, string) { return "Target", c.Target }
func (c *Client) targets() []string         { return []string{c.Target} }

func (c *Client) validate() error {
	switch {
	case c.Timeout < 0 || c.Timeout > time.Hour:
		return bad(c, "Timeout", c.Timeout, "must be between 0 (none) and 1h")
	case c.MaxRetries < 0 || c.MaxRetries > 100:
		return bad(c, "MaxRetries", c.MaxRetries, "must be between 0 and 100 retries")
	case c.RetryBudget != 0 && !(c.RetryBudget >= 0.001 && c.RetryBudget <= 100):
		return bad(c, "RetryBudget", c.RetryBudget, "must be between 0.001 and 100 retries per first attempt (0: no budget)")
	case c.BudgetBurst != 0 && !(c.BudgetBurst >= 1 && c.BudgetBurst <= 1e9):
		return bad(c, "BudgetBurst", c.BudgetBurst, "must be between 1 and 1e9 tokens")
	case c.Hedge < 0 || c.Hedge > time.Hour:
		return bad(c, "Hedge", c.Hedge, "must be between 0 (no hedging) and 1h")
	}
	b := c.Backoff
	if b.Kind == "" {
		b.Kind = resilience.NoBackoff // the zero Backoff retries at once
	}
	if err := b.Validate(); err != nil {
		return bad(c, "Backoff", c.Backoff, strings.TrimPrefix(err.Error(), "resilience: "))
	}
	if b := c.Breaker; b.Window != 0 || b.Threshold != 0 || b.Cooldown != 0 {
		switch {
		case b.Window < 1 || b.Window > 1_000_000:
			return bad(c, "Breaker.Window", b.Window, "must be between 1 and 1000000 calls")
		case !(b.Threshold > 0 && b.Threshold <= 1):
			return bad(c, "Breaker.Threshold", b.Threshold, "must be a share in (0, 1]")
		case b.Cooldown < time.Millisecond || b.Cooldown > time.Hour:
			return bad(c, "Breaker.Cooldown", b.Cooldown, "must be between 1ms and 1h")
		}
	}
	return nil
}

func (c *Client) start() {
	sys := c.sys
	w := sys.window
	rate := func(what string) *metrics.Rate { return metrics.NewRate(c.Name+" "+what, w) }
	c.Requests, c.Attempts, c.Retries = rate("requests"), rate("attempts"), rate("retries")
	c.Goodput, c.Failures, c.Timeouts = rate("goodput"), rate("failures"), rate("timeouts")
	c.Latency = metrics.NewLatency(c.Name+" latency", w)
	c.target = sys.node(c.Target)
	c.backoffR = sys.rand(c.Name + "/backoff")
	c.timeout, c.hedge = sim.FromDuration(c.Timeout), sim.FromDuration(c.Hedge)
	if c.RetryBudget > 0 {
		burst := c.BudgetBurst
		if burst == 0 {
			burst = 10
		}
		c.budget = resilience.NewBudget(c.RetryBudget, burst)
	}
	if c.Breaker.Window > 0 {
		c.breaker = c.Breaker.New()
	}
	c.expireFn, c.hedgeFn = c.expire, c.hedgeDue
	n := int((sys.sim.Horizon() + w - 1) / w)
	c.offeredBy, c.answeredBy = make([]int64, n), make([]int64, n)
}

func (c *Client) window(t sim.Time) int { return min(int(t/c.sys.window), len(c.offeredBy)-1) }

// ByArrival returns, per metric window, the requests that arrived in it
// and how many of those were answered with success (whenever that was):
// the share of a window's requests served, which judges a run by its
// users' experience rather than by the server's.
func (c *Client) ByArrival() (offered, answered []int64) { return c.offeredBy, c.answeredBy }

// accept is a new request from the client's caller.
func (c *Client) accept(r *call) {
	now := r.start
	c.Requests.Add(now, 1)
	c.offeredBy[c.window(now)]++
	if c.budget != nil {
		c.budget.Deposit()
	}
	c.send(r)
}

// send makes the request's next attempt, unless an open breaker fails it.
func (c *Client) send(r *call) {
	sys := c.sys
	now := sys.sim.Now()
	if c.breaker != nil && !c.breaker.Allow(now) {
		c.ShortCircuited++
		c.fail(r)
		return
	}
	r.n++
	c.Attempts.Add(now, 1)
	if r.n > 1 {
		c.Retries.Add(now, 1)
	} else {
		c.FirstAttempts++
	}
	c.launch(r, now)
}

// launch sends one attempt of r: a first, a retry or a hedge.
func (c *Client) launch(r *call, now sim.Time) {
	a := c.sys.newCall(r, c)
	if r.a1 == nil {
		r.a1 = a
	} else {
		r.a2 = a
	}
	r.live++
	if c.timeout > 0 {
		a.expires = now + c.timeout
		a.deadline = min(a.deadline, a.expires)
		c.timeouts.push(expiry{a, a.gen})
		if !c.timer.Pending() {
			c.timer = c.sys.sim.At(a.expires, c.expireFn)
		}
	}
	if c.hedge > 0 && r.a2 == nil {
		c.hedges.push(expiry{a, a.gen})
		if !c.hTimer.Pending() {
			c.hTimer = c.sys.sim.At(now+c.hedge, c.hedgeFn)
		}
	}
	c.target.accept(a)
}

// expire fires the timeouts that are due, then sets the timer for the
// next live one.
func (c *Client) expire() {
	now := c.sys.sim.Now()
	for c.timeouts.size > 0 {
		e := c.timeouts.front()
		if !e.live() {
			c.timeouts.pop()
			continue
		}
		if e.c.expires > now {
			// A retry sent from this loop (no backoff) armed the timer
			// at its own, later, deadline: set it to the front's.
			if c.timer.When() != e.c.expires {
				c.timer.Stop()
				c.timer = c.sys.sim.At(e.c.expires, c.expireFn)
			}
			return
		}
		c.timeouts.pop()
		a := e.c
		r := a.parent
		c.Timeouts.Add(now, 1)
		a.abandon()
		c.detach(r, a)
		if c.breaker != nil {
			c.breaker.Record(now, true)
		}
		if r.live == 0 {
			c.failedAttempt(r)
		}
	}
}

// detach forgets attempt a of request r.
func (c *Client) detach(r, a *call) {
	if r.a1 == a {
		r.a1, r.a2 = r.a2, nil
	} else {
		r.a2 = nil
	}
	r.live--
}

// hedgeDue sends a hedge for each request whose attempt is still alone
// and unanswered after Hedge.
func (c *Client) hedgeDue() {
	now := c.sys.sim.Now()
	for c.hedges.size > 0 {
		e := c.hedges.front()
		if !e.live() || e.c.gaveUp {
			c.hedges.pop()
			continue
		}
		if due := e.c.start + c.hedge; due > now {
			c.hTimer = c.sys.sim.At(due, c.hedgeFn)
			return
		}
		c.hedges.pop()
		r := e.c.parent
		if r.live != 1 {
			continue
		}
		if c.budget != nil && !c.budget.Withdraw() {
			c.BudgetDenied++
			continue
		}
		if c.breaker != nil && !c.breaker.Allow(now) {
			continue
		}
		c.Hedges++
		c.Attempts.Add(now, 1)
		c.launch(r, now)
	}
}

// answered takes an attempt's answer.
func (c *Client) answered(a *call) {
	now := c.sys.sim.Now()
	if !a.gaveUp && a.expires <= now {
		// Answered just as its timeout fell due: the timeout wins.
		c.timer.Stop()
		c.expire()
	}
	if a.gaveUp {
		c.Late++
		c.sys.release(a)
		return
	}
	r := a.parent
	st := a.status
	c.detach(r, a)
	c.sys.release(a)
	if st == ok {
		if c.breaker != nil {
			c.breaker.Record(now, false)
		}
		if o := r.a1; o != nil {
			// The hedge race is won: the other attempt is abandoned.
			o.abandon()
			r.a1, r.live = nil, 0
			if c.breaker != nil {
				c.breaker.Record(now, false)
			}
		}
		c.succeed(r, now)
		return
	}
	if c.breaker != nil {
		c.breaker.Record(now, true)
	}
	if r.live == 0 {
		c.failedAttempt(r)
	}
}

// failedAttempt retries after the backoff, or gives up when the retries,
// the budget or the caller's deadline are spent, or the caller gave up.
func (c *Client) failedAttempt(r *call) {
	now := c.sys.sim.Now()
	if int(r.n) > c.MaxRetries || now >= r.deadline || r.abandoned() {
		c.fail(r)
		return
	}
	if c.budget != nil && !c.budget.Withdraw() {
		c.BudgetDenied++
		c.fail(r)
		return
	}
	d := c.Backoff.Delay(int(r.n), r.delay, c.backoffR)
	r.delay = d
	if d == 0 {
		c.send(r)
		return
	}
	r.after(c, d)
}

// fired is a backoff's end: the retry goes out.
func (c *Client) fired(r *call) { c.send(r) }

func (c *Client) succeed(r *call, now sim.Time) {
	c.Goodput.Add(now, 1)
	c.Latency.Record(now, now-r.start)
	c.answeredBy[c.window(r.start)]++
	r.answer(ok)
}

func (c *Client) fail(r *call) {
	c.Failures.Add(c.sys.sim.Now(), 1)
	r.answer(failed)
}

func (c *Client) up() bool { return true }

func (c *Client) close(end sim.Time) {
	for _, r := range []*metrics.Rate{c.Requests, c.Attempts, c.Retries, c.Goodput, c.Failures, c.Timeouts} {
		r.Close(end)
	}
	c.Latency.Close(end)
	if c.breaker != nil {
		c.BreakerOpened = c.breaker.Opened()
	}
}

// Amplification is attempts per request: 1 without retries, up to
// MaxRetries+1 in a retry storm.
func (c *Client) Amplification() float64 {
	return metrics.Ratio(c.Attempts.Total(), c.Requests.Total())
}

func (c *Client) row(t *metrics.Table) {
	note := fmt.Sprintf("%.2f attempts/request, %d timeouts", c.Amplification(), c.Timeouts.Total())
	if c.breaker != nil {
		note += fmt.Sprintf(", breaker opened %d×", c.BreakerOpened)
	}
	t.Add(c.Name, "Client", c.Requests.Total(), c.Goodput.Total(), c.Failures.Total(), nil,
		c.Latency.Mean(), c.Latency.Quantile(0.99), nil, note)
}
