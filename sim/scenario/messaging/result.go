package messaging

import (
	"fmt"
	"time"

	"dsim/sim/metrics"
	"dsim/sim/scenario/internal/show"
	"dsim/sim/service"
)

// Result is what a run produced: the broker's checker (what happened to
// every message's effect), the consumers' counts and the run's series.
type Result struct {
	Config Config // with defaults filled in
	End    time.Duration

	// Offered is the publications the producers made; Published those
	// the queue took.
	Offered, Published int64
	// Refused is publications a full queue refused (drop); Blocked those
	// held by back-pressure, Abandoned those of them whose producer gave
	// up waiting.
	Refused, Blocked, Abandoned int64
	// Delivered counts deliveries, redeliveries included.
	Delivered, Redelivered int64

	// The checker: Processed messages had their effect at least once;
	// Duplicates are effects beyond the first; Lost messages were
	// acknowledged before processing and never processed; DeadLettered
	// went to the dead-letter queue (DeadProcessed of them had their
	// effect anyway); Unfinished were still waiting or in flight at the
	// end. InFlightAtEnd is the messages delivered and not acknowledged
	// when the run ended: a redelivery may still come.
	Processed, Duplicates, Lost  int64
	InFlightAtEnd                int64
	DeadLettered, DeadProcessed  int64
	Unfinished                   int64
	Poison                       int64 // deliveries of poison messages that failed
	Crashed, AcksLost, DedupHits int64 // over every consumer
	DedupEvicted                 int64 // ids the shared store's size bound dropped
	CrashedInProcessing          int64 // processings c1's crashes dropped

	// OutOfOrder is the messages whose first effect came after that of a
	// later message of their key (counted when Keys > 0); Rewinds how
	// often a log's partition went back to its committed offset.
	OutOfOrder, Rewinds int64
	// Republished is the copies producers' retries published; ExtraEffects
	// the effects beyond the first of each order, the duplicates of
	// redeliveries and of copies alike; Skipped the messages an
	// idempotent consumer acknowledged without an effect, as copies.
	Republished, ExtraEffects, Skipped int64
	// Writer is the writer's checker, with a WriteMode.
	Writer WriterStats

	Series Series
	// Latency is from a message's publication to its first effect;
	// PublishWait from a producer's publication to the queue's answer
	// (the back-pressure's wait).
	Latency, PublishWait *metrics.Latency
	// MaxDepth and MaxInFlight are the most messages waiting and in
	// flight at once.
	MaxDepth, MaxInFlight float64
	Events                int64          // engine events
	Table                 *metrics.Table // the components, one row each
	Consumers             []ConsumerStats
}

// Series are the run's per-window series.
type Series struct {
	Published, Delivered *metrics.Series // per second
	Depth, InFlight      *metrics.Series // messages, each window's mean
	// Held is the publications producers had waiting for an answer at
	// the end of each window: the lag back-pressure moves to them.
	Held *metrics.Series
}

// WriterStats is the writer's checker: orders Committed to its
// database, their events Published; LostEvents are orders committed whose
// event never reached the broker, Phantoms events of orders never
// committed; Failed orders a crash interrupted; Relayed the outbox relay's
// publications, copies included, Pending its rows unpublished at the end.
type WriterStats struct {
	Committed, Published, LostEvents, Phantoms int64
	Failed, Rejected, Relayed, Pending         int64
}

// ConsumerStats is one consumer's counts.
type ConsumerStats struct {
	Name                                  string
	Received, Effects, Repeats, DedupHits int64
	Crashed, AcksLost, Failed             int64
}

// result reads the components' metrics as the lesson's Result.
func (m *model) result(cfg Config) *Result {
	b, p := m.broker, m.producers
	res := &Result{
		Config: cfg, End: m.sys.Sim().Now().Duration(),
		Offered: p.Requests.Total(), Published: b.Published.Total(),
		Refused: b.Refused, Blocked: b.Blocked, Abandoned: b.Abandoned,
		Delivered: b.Delivered.Total(), Redelivered: b.Redelivered,
		Processed: b.Processed, Duplicates: b.Duplicates, Lost: b.Lost,
		DeadLettered: b.DeadLettered, DeadProcessed: b.DeadProcessed, Unfinished: b.Unfinished,
		Series: Series{
			Published: named(b.Published.Series(), "published"),
			Delivered: named(b.Delivered.Series(), "delivered"),
			Depth:     named(b.Depth.Series(), "waiting in the queue"),
			InFlight:  named(b.InFlight.Series(), "in flight (delivered, not acknowledged)"),
		},
		Latency: b.Latency, PublishWait: p.Latency,
		Events: m.sys.Sim().Events(), Table: m.sys.Table(),
		MaxDepth: b.Depth.Max(), MaxInFlight: b.InFlight.Max(), InFlightAtEnd: int64(b.InFlight.Value()),
	}
	res.OutOfOrder, res.Rewinds = b.OutOfOrder, b.Rewinds
	res.Republished, res.ExtraEffects, res.Skipped = b.Republished, b.ExtraEffects, b.Skipped
	if w := m.writer; w != nil {
		res.Writer = WriterStats{Committed: w.Committed, Published: w.Published, LostEvents: w.LostEvents, Phantoms: w.Phantoms,
			Failed: w.Failed, Rejected: w.Rejected, Relayed: w.Relayed, Pending: w.Pending}
	}
	res.Series.Held = held(p, cfg.Window)
	res.Latency.Name = "publication to effect"
	res.PublishWait.Name = "publish wait"
	for _, c := range m.consumers {
		res.Consumers = append(res.Consumers, ConsumerStats{Name: c.Name, Received: c.Received.Total(), Effects: c.Effects,
			Repeats: c.Repeats, DedupHits: c.DedupHits, Crashed: c.Crashed, AcksLost: c.AcksLost, Failed: c.Failed})
		res.Crashed += c.Crashed
		res.AcksLost += c.AcksLost
		res.DedupHits += c.DedupHits
		res.DedupEvicted = max(res.DedupEvicted, c.DedupEvicted) // one shared store: each consumer reports its count
		res.Poison += c.Failed
		if c.Name == crashed {
			res.CrashedInProcessing = c.Crashed
		}
	}
	return res
}

func named(s *metrics.Series, name string) *metrics.Series {
	s.Name = name
	return s
}

// DeliveriesPerMessage is the mean deliveries of a published message.
func (r *Result) DeliveriesPerMessage() float64 { return show.Ratio(r.Delivered, r.Published) }

// TheoryDeliveries is the mean deliveries per message the geometric law
// gives when acknowledgements are lost independently with chance p and
// redelivery is unlimited: 1/(1-p). It describes runs with no crash, no
// poison, no dead-letter queue, processing well inside the visibility
// timeout, and a drain long enough for every redelivery to come.
func (r *Result) TheoryDeliveries() float64 { return 1 / (1 - r.Config.AckLoss) }

// TheoryApplies reports whether the run is one 1/(1-p) describes.
func (r *Result) TheoryApplies() bool {
	c := r.Config
	return c.CrashEvery == 0 && c.Poison == 0 && c.MaxDeliveries == 0 && r.Unfinished == 0 && r.InFlightAtEnd == 0
}

// Share is n over the messages published.
func (r *Result) Share(n int64) float64 { return show.Ratio(n, r.Published) }

// Summary is the table of headline numbers.
func (r *Result) Summary() *metrics.Table {
	c := r.Config
	t := metrics.NewTable(fmt.Sprintf("Messaging: %s, %g msg/s to %d consumers of %d workers (seed %d)",
		c.Design(), c.Rate, c.Consumers, c.Workers, c.Seed), "metric", "value")
	t.Add("published (offered, refused, given up)", fmt.Sprintf("%d (%d, %d, %d)", r.Published, r.Offered, r.Refused, r.Abandoned))
	t.Add("effects: processed, lost, duplicated", fmt.Sprintf("%d, %d, %d", r.Processed, r.Lost, r.ExtraEffects))
	if r.Crashed > 0 {
		t.Add("processings dropped by crashes", r.Crashed)
	}
	if r.DeadLettered > 0 || c.MaxDeliveries > 0 {
		t.Add("dead-lettered (of them processed anyway)", fmt.Sprintf("%d (%d)", r.DeadLettered, r.DeadProcessed))
	}
	if r.Unfinished > 0 {
		t.Add("unfinished at the end", r.Unfinished)
	}
	theory := fmt.Sprintf("theory 1/(1-p) = %.4f", r.TheoryDeliveries())
	if !r.TheoryApplies() {
		theory += " (it assumes no crashes, poison, backlog or redeliveries cut off by the end, and this run has some)"
	}
	t.Add("deliveries per message", fmt.Sprintf("%.4f (%s)", r.DeliveriesPerMessage(), theory))
	if c.AckLoss > 0 {
		t.Add("acknowledgements lost", r.AcksLost)
	}
	r.summaryMore(t)
	if c.Idempotent {
		t.Add("repeated effects the store skipped", r.DedupHits)
	}
	t.Add("queue: longest, capacity of the consumers", fmt.Sprintf("%.0f messages, %.0f msg/s", r.MaxDepth, c.Capacity()))
	if r.Blocked > 0 {
		t.Add("publications held by back-pressure, p99 wait", fmt.Sprintf("%d, %v", r.Blocked, show.Latency(r.PublishWait.Quantile(0.99).Duration())))
	}
	t.Add("publication to effect p50, p99", fmt.Sprintf("%v, %v", show.Latency(r.Latency.Quantile(0.5).Duration()), show.Latency(r.Latency.Quantile(0.99).Duration())))
	t.Note("%v", r.Verdict())
	return t
}

// held is the producers' publications still unanswered at the end of
// each window: those offered, less those answered and given up.
func held(p *service.Client, window time.Duration) *metrics.Series {
	req, ok, failed := p.Requests.Series(), p.Goodput.Series(), p.Failures.Series()
	s := metrics.NewSeries("producers waiting (back-pressure)", "messages")
	n := min(len(req.V), len(ok.V), len(failed.V))
	level := 0.0
	for i := 0; i < n; i++ {
		level += (req.V[i] - ok.V[i] - failed.V[i]) * window.Seconds()
		s.Add(req.T[i], max(0, level))
	}
	return s
}

// summaryMore adds the rows of the ordering, retry and writer knobs, when
// set, so runs without them keep their table.
func (r *Result) summaryMore(t *metrics.Table) {
	c := r.Config
	if c.Keys > 0 {
		t.Add("effects out of their key's order", fmt.Sprintf("%d (messages of %d keys)", r.OutOfOrder, c.Keys))
	}
	if c.Partitions > 0 {
		t.Add("log: partitions, commit every, rewinds", fmt.Sprintf("%d, %d, %d", c.Partitions, max(c.CommitEvery, 1), r.Rewinds))
	}
	if r.Republished > 0 || c.ProducerRetries > 0 {
		t.Add("copies republished, extra effects, copies skipped", fmt.Sprintf("%d, %d, %d", r.Republished, r.ExtraEffects, r.Skipped))
	}
	if c.writes() {
		w := r.Writer
		t.Add("writer ("+string(c.WriteMode)+"): committed, failed by crashes, turned away while down", fmt.Sprintf("%d, %d, %d", w.Committed, w.Failed, w.Rejected))
		t.Add("events lost, phantoms", fmt.Sprintf("%d, %d", w.LostEvents, w.Phantoms))
		if c.WriteMode == service.Outbox {
			t.Add("outbox: relayed (copies included), pending at the end", fmt.Sprintf("%d, %d", w.Relayed, w.Pending))
		}
	}
}
