package csi

import (
	"fmt"
	"time"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/viz"
)

// Failure is a loud failure: an error someone's log or monitoring shows.
type Failure struct {
	Side  string // upstream or downstream: where it was raised
	Plane string // data, management or control
	Error string
}

// Order is one order's fate: what it held, and what the checker found.
type Order struct {
	ID       int64
	At       sim.Time // when A wrote it
	Account  string
	Customer string
	Amount   string // as A meant it
	Items    int64
	Writer   int // A's schema version
	Reader   int // B's schema version when it read the order (0: never read)
	Attempts int

	Outcome OrderOutcome
	Side    string // loud failures: where
	Plane   string // loud failures: which plane
	Cause   string // a short name for the failure: "shipped_at unreadable"
	Why     string // the explanation, from the data

	Stored        int  // copies B stored
	AnsweredEarly bool // B answered before applying it (an asynchronous API)

	// Traits are the order's data properties, one per TraitNames entry,
	// that explain failures: the text's character set, whether it shipped,
	// how its amount fares in binary, its size, how soon A wrote the next
	// order of the same account, the versions.
	Traits []string
}

// Result is what a run produced.
type Result struct {
	Config   Config // as given, with defaults filled in
	Deployed Config // what ran: Config with the enabled checks' fixes
	Checks   []Check

	Orders              []Order
	OKs, Louds, Silents int
	// Errors is what monitoring sees: the loud failures. Silent
	// corruption does not add to it; only the checker finds it.
	Errors int

	// Shares of the orders A wrote in each window, by outcome (percent).
	OKShare, LoudShare, SilentShare *metrics.Series
	// BTimes is B's time per attempt, from receipt to the work done.
	BTimes []time.Duration

	Events int64
	End    sim.Time
	Spans  []viz.Span

	explained *Explanation // Explain's answer, computed once
}

func newResult(cfg Config) *Result {
	return &Result{Config: cfg, Deployed: cfg,
		OKShare: metrics.NewSeries("ok", "%"), LoudShare: metrics.NewSeries("loud failures", "%"),
		SilentShare: metrics.NewSeries("silent corruption", "%")}
}

// tally counts outcomes and fills the series and spans.
func (res *Result) tally(cfg Config) {
	res.OKs, res.Louds, res.Silents = 0, 0, 0
	w := sim.FromDuration(cfg.Window)
	if w <= 0 {
		// Validate derives the window; a run that skipped it still gets one bucket.
		w = max(1, sim.FromDuration(cfg.Duration))
	}
	n := int(min(sim.FromDuration(cfg.Duration)/w, maxWindows)) + 1
	counts := make([][3]float64, n)
	for _, o := range res.Orders {
		i := min(int(o.At/w), n-1)
		counts[i][o.Outcome.index()]++
		switch o.Outcome {
		case OK:
			res.OKs++
		case Loud:
			res.Louds++
		default:
			res.Silents++
		}
	}
	res.Errors = res.Louds
	for i, c := range counts {
		total := c[0] + c[1] + c[2]
		if total == 0 {
			continue
		}
		t := sim.Time(i)*w + w/2
		res.OKShare.Add(t, 100*c[0]/total)
		res.LoudShare.Add(t, 100*c[1]/total)
		res.SilentShare.Add(t, 100*c[2]/total)
	}
	a, b := cfg.Upstream, cfg.Downstream
	if a.Next.Version != 0 {
		from := sim.FromDuration(a.Rollout.Start)
		to := sim.FromDuration(cfg.Duration)
		if b.Next.Version != 0 {
			to = min(to, sim.FromDuration(b.UpgradeAt))
		}
		if to > from {
			res.Spans = append(res.Spans, viz.Span{From: from, To: to, Label: fmt.Sprintf("A's v%d meets B's v%d", a.Next.Version, b.Schema.Version)})
		}
	}
}

// Rate is the share of orders with this outcome.
func (r *Result) Rate(outcome OrderOutcome) float64 {
	if len(r.Orders) == 0 {
		return 0
	}
	n := 0
	switch outcome {
	case OK:
		n = r.OKs
	case Loud:
		n = r.Louds
	case Silent:
		n = r.Silents
	}
	return float64(n) / float64(len(r.Orders))
}

// Failed lists the orders that failed loudly or were corrupted.
func (r *Result) Failed() []Order {
	var out []Order
	for _, o := range r.Orders {
		if o.Outcome != OK {
			out = append(out, o)
		}
	}
	return out
}
