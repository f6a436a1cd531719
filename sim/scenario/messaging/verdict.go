package messaging

import (
	"fmt"
	"strings"

	"dsim/sim/scenario/internal/show"
	"dsim/sim/service"
)

// Outcome is what the run did to the messages' effects, the worst first.
type Outcome int

// The verdicts, checked in this order: the first that holds is the run's.
const (
	// LostEvents: the writer committed orders whose event never reached
	// the broker (a crash between the commit and the publication of a
	// dual write): no one downstream hears of them.
	LostEvents Outcome = iota
	// Phantoms: the broker took events of orders the writer never
	// committed (a crash between publishing and committing): downstream
	// acts on orders that do not exist.
	Phantoms
	// LostAndDuplicated: some effects never happened and some happened
	// twice (acknowledgements before processing, some of them lost).
	LostAndDuplicated
	// Lost: messages acknowledged before processing were never processed
	// (their consumer crashed): at-most-once.
	Lost
	// Duplicated: some effects happened more than once (a lost
	// acknowledgement, a crash after the effect, processing longer than
	// the visibility timeout, a log's rewind, a producer's retry):
	// at-least-once.
	Duplicated
	// OutOfOrder: every effect once, but some message of a key took
	// effect after a later one of the same key (parallel consumers of a
	// queue); checked when messages have Keys.
	OutOfOrder
	// Refused: a full queue refused publications, or held producers gave
	// up: the messages never entered the queue.
	Refused
	// HeldBack: none lost or duplicated, but a full queue held producers
	// back (back-pressure): they waited for room, at the consumers' pace.
	HeldBack
	// Behind: the consumers did not finish the queue by the end of the
	// run: they are slower than the producers.
	Behind
	// DeadLettered: every other message was processed once; the poison
	// ones went to the dead-letter queue.
	DeadLettered
	// EffectivelyOnce: every message published had its effect exactly
	// once.
	EffectivelyOnce
)

func (o Outcome) String() string {
	return [...]string{"LostEvents", "Phantoms", "LostAndDuplicated", "Lost", "Duplicated", "OutOfOrder", "Refused", "HeldBack", "Behind", "DeadLettered", "EffectivelyOnce"}[o]
}

// Outcomes lists every outcome, worst first.
func Outcomes() []Outcome {
	return []Outcome{LostEvents, Phantoms, LostAndDuplicated, Lost, Duplicated, OutOfOrder, Refused, HeldBack, Behind, DeadLettered, EffectivelyOnce}
}

// Verdict is the run's outcome with a one-sentence explanation.
type Verdict struct {
	Outcome Outcome
	Reason  string
}

func (v Verdict) String() string { return v.Outcome.String() + ": " + v.Reason }

// Markdown is the verdict as a notebook shows it: the outcome in bold.
func (v Verdict) Markdown() string { return "**" + v.Outcome.String() + "**: " + v.Reason }

// Verdict judges the run by the rules documented on Outcome.
func (r *Result) Verdict() Verdict {
	c := r.Config
	pct := func(n int64) string { return fmt.Sprintf("%d (%.2f%%)", n, 100*r.Share(n)) }
	w := r.Writer
	switch {
	case w.LostEvents > 0:
		return Verdict{LostEvents, fmt.Sprintf("%d of %d orders committed never had their event published: the writer (%s) crashed between the commit and the publication (%d orders failed by crashes).",
			w.LostEvents, w.Committed, c.WriteMode, w.Failed)}
	case w.Phantoms > 0:
		return Verdict{Phantoms, fmt.Sprintf("%d events published for orders never committed: the writer (%s) crashed between the publication and the commit (%d orders failed by crashes); downstream applied them anyway.",
			w.Phantoms, c.WriteMode, w.Failed)}
	case r.Lost > 0 && r.ExtraEffects > 0:
		return Verdict{LostAndDuplicated, fmt.Sprintf("%s of %d messages lost and %s effects duplicated: acknowledged before processing, by consumers that crashed (%d processings dropped) and lost acknowledgements (%d).",
			pct(r.Lost), r.Published, pct(r.ExtraEffects), r.Crashed, r.AcksLost)}
	case r.Lost > 0:
		return Verdict{Lost, fmt.Sprintf("%s of %d messages lost: acknowledged before processing, their consumer crashed with them in hand (%d processings dropped); none was delivered twice.",
			pct(r.Lost), r.Published, r.Crashed)}
	case r.ExtraEffects > 0:
		return Verdict{Duplicated, fmt.Sprintf("none lost, but %s effects duplicated: %s.", pct(r.ExtraEffects), r.whyDuplicated())}
	case c.Keys > 0 && r.OutOfOrder > 0:
		return Verdict{OutOfOrder, fmt.Sprintf("every effect once, but %s took effect after a later message of the same key (of %d keys): %d consumers of %d workers process a queue's messages in parallel, so a key's later message can finish first.",
			pct(r.OutOfOrder), c.Keys, c.Consumers, c.Workers)}
	case r.Refused > 0 || r.Abandoned > 0:
		return Verdict{Refused, fmt.Sprintf("the queue, bounded at %d, turned %d publications away and %d producers gave up waiting: the consumers (%.0f msg/s) are slower than the producers (%g msg/s).",
			c.MaxDepth, r.Refused, r.Abandoned, c.Capacity(), c.Rate)}
	case r.Blocked > 0:
		return Verdict{HeldBack, fmt.Sprintf("none lost or duplicated, but %d publications waited for room in the queue bounded at %d (p99 wait %v): back-pressure held the producers to the consumers' pace (%.0f msg/s against %g offered)%s.",
			r.Blocked, c.MaxDepth, show.Latency(r.PublishWait.Quantile(0.99).Duration()), c.Capacity(), c.Rate, r.unfinished())}
	case r.Unfinished > 0:
		why := ""
		if c.Partitions > 0 {
			why = fmt.Sprintf(" A log delivers one message per partition at a time, and the messages' %d keys use %d of its %d partitions.", c.Keys, c.partitionsUsed(), c.Partitions)
			if c.Keys <= 1 {
				why = fmt.Sprintf(" A log delivers one message per partition at a time, and messages without keys all go to one of its %d partitions (set Keys).", c.Partitions)
			}
		}
		return Verdict{Behind, fmt.Sprintf("%d messages still waiting or in processing at the end: the consumers (%.0f msg/s) fell behind the producers (%g msg/s); the queue reached %.0f.%s",
			r.Unfinished, c.Capacity(), c.Rate, r.MaxDepth, why)}
	case r.DeadLettered > 0:
		return Verdict{DeadLettered, fmt.Sprintf("the other messages were processed once each; %d poison messages failed %d deliveries each and went to the dead-letter queue.",
			r.DeadLettered, c.MaxDeliveries)}
	}
	return Verdict{EffectivelyOnce, fmt.Sprintf("all %d messages had their effect exactly once (%s).", r.Published, r.whyOnce())}
}

// whyDuplicated names the causes of the run's duplicates.
func (r *Result) whyDuplicated() string {
	c := r.Config
	var why []string
	if r.Republished > 0 && r.ExtraEffects > r.Duplicates {
		who := "producers published %d copies (retries after a lost publication or answer)"
		if c.WriteMode == service.Outbox {
			who = "the outbox's relay published %d copies (rows published again after a crash, before they were marked sent)"
		}
		return fmt.Sprintf(who+", %d of them applied again; the consumers cannot tell a copy from a new message without the producer's key", r.Republished, r.ExtraEffects-r.Duplicates)
	}
	if c.Partitions > 0 && r.Rewinds > 0 {
		return fmt.Sprintf("a log's partitions rewound %d times to their last commit (every %d messages) after crashes, delivering again what was processed since", r.Rewinds, max(c.CommitEvery, 1))
	}
	if r.AcksLost > 0 {
		why = append(why, fmt.Sprintf("%d acknowledgements lost", r.AcksLost))
	}
	if len(why) == 0 || r.Redelivered > r.AcksLost+r.Crashed+r.Poison {
		why = append(why, fmt.Sprintf("processings that outlasted the %v visibility timeout", c.Visibility))
	}
	s := "messages delivered again after " + strings.Join(why, ", ")
	if c.Idempotent {
		s += fmt.Sprintf("; the store skipped %d repeats but forgets ids after %v, sooner than a redelivery comes back", r.DedupHits, c.DedupTTL)
	}
	return s
}

// whyOnce says what kept the run to one effect per message.
func (r *Result) whyOnce() string {
	switch {
	case r.Writer.Phantoms == 0 && r.Config.WriteMode == service.Outbox:
		return fmt.Sprintf("the writer committed each order with its event in one transaction, the relay published them (%d publications, copies included) and the consumers skipped %d copies", r.Writer.Relayed, r.Skipped)
	case r.Skipped > 0:
		return fmt.Sprintf("producers published %d copies and the idempotent consumers, keyed by the producer's id, skipped %d", r.Republished, r.Skipped)
	case r.Config.Keys > 0 && r.Config.Partitions > 0:
		return fmt.Sprintf("a log of %d partitions delivered each key's messages in order, none out of order", r.Config.Partitions)
	case r.DedupHits > 0:
		return fmt.Sprintf("%d messages delivered again, and the idempotent consumers' store skipped %d repeated effects", r.Redelivered, r.DedupHits)
	case r.Redelivered > 0:
		return fmt.Sprintf("%d redeliveries, none of a message already processed", r.Redelivered)
	}
	return "no message was delivered twice"
}

// unfinished notes the messages the run ended with, if any.
func (r *Result) unfinished() string {
	if r.Unfinished == 0 {
		return ""
	}
	return fmt.Sprintf("; %d messages still waiting or in processing at the end", r.Unfinished)
}
