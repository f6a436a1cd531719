package messaging

import (
	"fmt"
	"strings"
)

// Outcome is what the run did to the messages' effects, the worst first.
type Outcome int

// The verdicts, checked in this order: the first that holds is the run's.
const (
	// LostAndDuplicated: some effects never happened and some happened
	// twice (acknowledgements before processing, some of them lost).
	LostAndDuplicated Outcome = iota
	// Lost: messages acknowledged before processing were never processed
	// (their consumer crashed): at-most-once.
	Lost
	// Duplicated: some effects happened more than once (a lost
	// acknowledgement, a crash after the effect, processing longer than
	// the visibility timeout): at-least-once.
	Duplicated
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
	return [...]string{"LostAndDuplicated", "Lost", "Duplicated", "Refused", "HeldBack", "Behind", "DeadLettered", "EffectivelyOnce"}[o]
}

// Outcomes lists every outcome, worst first.
func Outcomes() []Outcome {
	return []Outcome{LostAndDuplicated, Lost, Duplicated, Refused, HeldBack, Behind, DeadLettered, EffectivelyOnce}
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
	switch {
	case r.Lost > 0 && r.Duplicates > 0:
		return Verdict{LostAndDuplicated, fmt.Sprintf("%s of %d messages lost and %s effects duplicated: acknowledged before processing, by consumers that crashed (%d processings dropped) and lost acknowledgements (%d).",
			pct(r.Lost), r.Published, pct(r.Duplicates), r.Crashed, r.AcksLost)}
	case r.Lost > 0:
		return Verdict{Lost, fmt.Sprintf("%s of %d messages lost: acknowledged before processing, their consumer crashed with them in hand (%d processings dropped); none was delivered twice.",
			pct(r.Lost), r.Published, r.Crashed)}
	case r.Duplicates > 0:
		return Verdict{Duplicated, fmt.Sprintf("none lost, but %s effects duplicated: %s.", pct(r.Duplicates), r.whyDuplicated())}
	case r.Refused > 0 || r.Abandoned > 0:
		return Verdict{Refused, fmt.Sprintf("the queue, bounded at %d, turned %d publications away and %d producers gave up waiting: the consumers (%.0f msg/s) are slower than the producers (%g msg/s).",
			c.MaxDepth, r.Refused, r.Abandoned, c.Capacity(), c.Rate)}
	case r.Blocked > 0:
		return Verdict{HeldBack, fmt.Sprintf("none lost or duplicated, but %d publications waited for room in the queue bounded at %d (p99 wait %v): back-pressure held the producers to the consumers' pace (%.0f msg/s against %g offered)%s.",
			r.Blocked, c.MaxDepth, round(r.PublishWait.Quantile(0.99).Duration()), c.Capacity(), c.Rate, r.unfinished())}
	case r.Unfinished > 0:
		return Verdict{Behind, fmt.Sprintf("%d messages still waiting or in processing at the end: the consumers (%.0f msg/s) fell behind the producers (%g msg/s); the queue reached %.0f.",
			r.Unfinished, c.Capacity(), c.Rate, r.MaxDepth)}
	case r.DeadLettered > 0:
		return Verdict{DeadLettered, fmt.Sprintf("every other message processed once; %d poison messages failed %d deliveries each and went to the dead-letter queue.",
			r.DeadLettered, c.MaxDeliveries)}
	}
	return Verdict{EffectivelyOnce, fmt.Sprintf("all %d messages had their effect exactly once (%s).", r.Published, r.whyOnce())}
}

// whyDuplicated names the causes of the run's duplicates.
func (r *Result) whyDuplicated() string {
	c := r.Config
	var why []string
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
