package cache

import (
	"fmt"
	"strings"
	"time"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/scenario/internal/show"
	"dsim/sim/service"
)

// Result is what a run produced: the clients', the cache's and the
// database's counts and series, and Che's approximation beside them.
type Result struct {
	Config Config // with defaults filled in
	End    time.Duration

	Requests, Succeeded, Failed int64 // requests, answered in time, given up
	Attempts, Retries, Timeouts int64
	ShortCircuited              int64 // requests an open breaker failed at once
	BudgetDenied                int64 // retries the budget refused
	BreakerOpened               int64

	Reads, Writes, Hits int64
	Fetches             int64 // reads the cache sent to the database
	Stale               int64 // hits on a value older than the database's
	Expired             int64 // reads of an entry past its TTL
	Coalesced           int64 // misses that waited for a fetch in flight
	Refreshes           int64 // early refreshes sent
	Unfilled            int64 // look-aside: answers that came after the clients gave up

	Served    int64 // queries the database finished
	Wasted    int64 // of them, for nobody
	HeldAtEnd int64 // queries at the database at the end, queued and running

	Series    Series
	Latency   *metrics.Latency // the clients': from a request to its answer
	DBLatency *metrics.Latency // the database's: from a query's arrival to its end
	Events    int64            // engine events

	// Che is Che's approximation of an LRU cache of this size under this
	// popularity, with no TTL and no writes.
	Che Che

	offeredBy, answeredBy []int64
}

// Series are the run's per-window series.
type Series struct {
	Offered, Attempts, Goodput *metrics.Series // per second
	Reads, Hits, Fetches       *metrics.Series // per second, at the cache
	DBArrived, DBServed        *metrics.Series // per second, at the database
	DBHeld                     *metrics.Series // the database's backlog: queued and running
}

// HitRatio is the share of reads that hit, over the whole run.
func (r *Result) HitRatio() float64 { return show.Ratio(r.Hits, r.Reads) }

// HitRatioBetween is the share of the reads from from to to that hit.
func (r *Result) HitRatioBetween(from, to time.Duration) float64 {
	a, b := sim.FromDuration(from), sim.FromDuration(to)
	reads := r.Series.Reads.Between(a, b)
	if reads == 0 {
		return 0
	}
	return r.Series.Hits.Between(a, b) / reads
}

// steady is the span the steady hit ratio is measured over: from a
// quarter of the time before the flush (or the end), when a cold cache
// has had time to fill, to the flush (or the end). A warm start skips
// nothing.
func (r *Result) steady() (from, to time.Duration) {
	to = r.End
	if r.Config.flushed() {
		to = r.Config.FlushAt
	}
	if !r.Config.Warm {
		from = to / 4
	}
	return from, to
}

// SteadyHitRatio is the hit ratio before the flush (over the whole run
// when there is none), once a cold cache has filled: the number to hold
// against Che's approximation.
func (r *Result) SteadyHitRatio() float64 { return r.HitRatioBetween(r.steady()) }

// CheApplies reports whether the run is one Che's approximation
// describes: an LRU cache of fixed popularity, no TTL, no writes, started
// cold (a warm start holds the most popular keys, which LRU's steady
// state does not, and takes a while to forget them).
func (r *Result) CheApplies() bool {
	c := r.Config
	return c.Eviction == service.EvictLRU && c.TTL == 0 && c.Writes == 0 && !c.Warm
}

// HitRatioSeries is the hit ratio of each window, in percent.
func (r *Result) HitRatioSeries() *metrics.Series {
	s := metrics.NewSeries("hit ratio", "%")
	h, rd := r.Series.Hits, r.Series.Reads
	for i := range rd.V {
		if rd.V[i] > 0 {
			s.Add(rd.T[i], 100*h.V[i]/rd.V[i])
		}
	}
	return s
}

// StaleShare is the share of hits that returned a value older than the
// database's.
func (r *Result) StaleShare() float64 { return show.Ratio(r.Stale, r.Hits) }

// Amplification is attempts per request.
func (r *Result) Amplification() float64 { return show.Ratio(r.Attempts, r.Requests) }

// PeakDBRate is the most queries a second the database was sent, in one
// window.
func (r *Result) PeakDBRate() float64 { return r.Series.DBArrived.Max() }

// Summary is the table of headline numbers.
func (r *Result) Summary() *metrics.Table {
	c := r.Config
	t := metrics.NewTable(fmt.Sprintf("Cache: %s of %d entries over %d keys (Zipf %g), %g req/s (seed %d)",
		c.Eviction, c.Capacity, c.Keys, c.Skew, c.Rate, c.Seed), "metric", "value")
	t.Add("requests: answered in time, failed", fmt.Sprintf("%d: %s, %d", r.Requests, metrics.Pct(show.Ratio(r.Succeeded, r.Requests)), r.Failed))
	if r.Retries > 0 || c.MaxRetries > 0 {
		t.Add("attempts per request (timeouts, retries)", fmt.Sprintf("%.2f (%d, %d)", r.Amplification(), r.Timeouts, r.Retries))
	}
	t.Add("hit ratio: whole run, steady", fmt.Sprintf("%s, %s", metrics.Pct(r.HitRatio()), metrics.Pct(r.SteadyHitRatio())))
	t.Add("Che's approximation (LRU, cold, no TTL, reads only)", r.cheText())
	t.Add("database: queries, peak per second, capacity", fmt.Sprintf("%d, %.0f/s, %.0f/s", r.Fetches, r.PeakDBRate(), c.dbCapacity()))
	if r.Writes > 0 {
		t.Add("writes, stale hits", fmt.Sprintf("%d, %d (%s of hits)", r.Writes, r.Stale, metrics.Pct(r.StaleShare())))
	}
	if c.TTL > 0 {
		t.Add("expired reads, early refreshes", fmt.Sprintf("%d, %d", r.Expired, r.Refreshes))
	}
	if c.Coalesce {
		t.Add("misses coalesced", r.Coalesced)
	}
	if c.LookAside {
		t.Add("answers after the clients gave up (unfilled)", r.Unfilled)
	}
	t.Add("client latency p50, p99", fmt.Sprintf("%v, %v", show.Latency(r.Latency.Quantile(0.5).Duration()), show.Latency(r.Latency.Quantile(0.99).Duration())))
	t.Note("%v", r.Verdict())
	return t
}

// cheText is Che's row of the summary: its hit ratio and characteristic
// time, with why it does not model this run when it does not.
func (r *Result) cheText() string {
	c := r.Config
	if c.Capacity >= c.Keys {
		return "does not apply: every key fits in the cache"
	}
	text := fmt.Sprintf("%s, characteristic time %.0f requests (%v)", metrics.Pct(r.Che.HitRatio), r.Che.Requests, show.Latency(r.cheTime()))
	var not []string
	if c.Eviction != service.EvictLRU {
		not = append(not, string(c.Eviction)+" eviction")
	}
	if c.TTL != 0 {
		not = append(not, "a TTL")
	}
	if c.Writes != 0 {
		not = append(not, "writes")
	}
	if c.Warm {
		not = append(not, "a warm start")
	}
	if len(not) > 0 {
		text += "; not this run (" + strings.Join(not, ", ") + ")"
	}
	return text
}

// cheTime is Che's characteristic time in virtual time at the run's rate
// of reads.
func (r *Result) cheTime() time.Duration {
	reads := r.Config.Rate * (1 - r.Config.Writes)
	if reads <= 0 || r.Che.Requests > 1e12 {
		return 0
	}
	return time.Duration(r.Che.Requests / reads * float64(time.Second)).Round(time.Millisecond)
}
