//go:build ignore

// What does each delivery design lose or duplicate, and what does a
// transaction across services cost when its coordinator crashes?
//
// A broker between producers and two competing consumers; consumer c1
// crashes every 5s for 1s, and 5% of the acknowledgements sent after
// processing are lost. Acknowledging on delivery (at-most-once) loses what
// the crashed consumer held; acknowledging after processing
// (at-least-once) loses nothing and applies an effect twice for each lost
// acknowledgement; idempotent consumers, sharing a store of processed ids,
// apply each effect once, unless the store forgets an id before its
// message comes back. Then the mean deliveries per message against the
// geometric law 1/(1-p), and two-phase commit against a saga under the
// same crash of a coordinator just after a participant prepared. Last,
// per-key order through a queue and through a log, producers' retries
// with and without idempotency keys, and a writer's dual writes against
// the outbox.
// Run it with:
//
//	dsim run scripts/messaging.go
package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"dsim/kernel/display"
	"dsim/kernel/script"
	"dsim/sim/lab/txn"
	"dsim/sim/metrics"
	"dsim/sim/scenario/messaging"
)

// seeds is how many runs each design gets: one run is one sample.
const seeds = 3

func main() {
	// The three designs under the same crashes and lost acknowledgements.
	cfg, err := messaging.PresetConfig("at-least-once")
	if err != nil {
		display.Show(err)
		return
	}
	var cmps []*messaging.Comparison
	for s := uint64(0); s < seeds; s++ {
		cfg.Seed = script.Seed() + s
		cmp, err := messaging.CompareDesigns(cfg)
		if err != nil {
			display.Show(err)
			return
		}
		cmps = append(cmps, cmp)
	}
	designs := metrics.NewTable(fmt.Sprintf("The same crashes under each design, seeds %d to %d", script.Seed(), script.Seed()+seeds-1),
		"design", "published", "lost", "duplicated", "outcome")
	for i, name := range cmps[0].Designs {
		var published, lost, dup, outcome []string
		for _, cmp := range cmps {
			r := cmp.Results[i]
			published = append(published, fmt.Sprint(r.Published))
			lost = append(lost, fmt.Sprint(r.Lost))
			dup = append(dup, fmt.Sprint(r.Duplicates))
			outcome = append(outcome, r.Verdict().Outcome.String())
		}
		designs.Add(name, strings.Join(published, " "), strings.Join(lost, " "), strings.Join(dup, " "), strings.Join(outcome, " "))
	}
	display.Show(designs)

	// A store that forgets sooner than the redelivery comes back.
	for _, name := range []string{"idempotent", "short-ttl"} {
		cfg, err := messaging.PresetConfig(name)
		if err != nil {
			display.Show(err)
			return
		}
		cfg.Seed = script.Seed()
		r, err := messaging.Run(cfg)
		if err != nil {
			display.Show(err)
			return
		}
		fmt.Printf("%s: store keeps ids %v, visibility %v: %d duplicated, %d caught\n", name, cfg.DedupTTL, cfg.Visibility, r.Duplicates, r.DedupHits)
	}

	// Theory beside the run: deliveries per message for ack loss p.
	theory := metrics.NewTable("Deliveries per message with a share p of acknowledgements lost", "p", "simulated", "1/(1-p)")
	for _, p := range []float64{0.1, 0.3, 0.5} {
		calm := messaging.Default()
		calm.Seed = script.Seed()
		calm.AckLoss = p
		// A minute of drain: every chain of redeliveries, 5s apart, ends.
		calm.Duration = 110 * time.Second
		calm.Drain = time.Minute
		r, err := messaging.Run(calm)
		if err != nil {
			display.Show(err)
			return
		}
		theory.Add(p, fmt.Sprintf("%.3f", r.DeliveriesPerMessage()), fmt.Sprintf("%.3f", r.TheoryDeliveries()))
	}
	display.Show(theory)

	// 2PC against a saga, the same coordinator crash after prepare.
	runs, err := txn.RunOutage(context.Background(), txn.Outage{Seed: script.Seed()})
	if err != nil {
		display.Show(err)
		return
	}
	crash := runs[0].Result.Test.Faults[0].Window
	for _, run := range runs {
		fmt.Printf("%-4s coordinator down %v from %v: a participant blocked %v, %d reads saw a transfer half done, %d transfers refused\n",
			run.Design, crash.Duration, crash.Start.Round(time.Millisecond), run.Blocked.Round(time.Millisecond), run.HalfDone, run.Refused)
	}

	// Ordering: deposits to 30 accounts through a queue to parallel
	// workers, through a log of partitions by account, and the log
	// committing its offsets every 25 messages while c1 crashes.
	if err := sideBySide("Per-key order, the same seeds", "queue-reorders", "log-keeps-order", "commit-rarely"); err != nil {
		display.Show(err)
		return
	}

	// Producers' retries over a lossy path, with and without the
	// producer's key for the consumers to deduplicate by; then a writer
	// crashing between its two writes, against the outbox.
	if err := sideBySide("Producers' retries and the writer's designs, the same seeds",
		"producer-retries", "producer-retries-idempotent", "dual-write-loses", "dual-write-phantoms", "outbox"); err != nil {
		display.Show(err)
		return
	}

	// What to notice: at-most-once loses exactly what the crashes
	// dropped, at-least-once duplicates exactly what lost its
	// acknowledgement, and the shared store removes every duplicate only
	// while it remembers longer than a redelivery takes. 2PC blocks the
	// participants that voted yes for the coordinator's whole downtime and
	// no reader sees money missing; the saga blocks nothing, and readers
	// see money in flight. A queue's parallel workers apply some deposits
	// after a later one to the same account, a log none, and a log
	// committing rarely redelivers a batch after every crash. A retry is a
	// copy the consumers apply again unless they know the producer's key.
	// Commit-then-publish loses events, publish-then-commit makes
	// phantoms, the outbox neither.
}

// sideBySide runs each named preset over the seeds and shows, per
// preset, the checker's counts and the outcome on each seed ("-": the
// preset's messages have no keys, so their order is not checked).
func sideBySide(title string, names ...string) error {
	t := metrics.NewTable(fmt.Sprintf("%s %d to %d", title, script.Seed(), script.Seed()+seeds-1),
		"preset", "duplicated", "out of order", "copies (skipped)", "events lost", "phantoms", "outcome")
	for _, name := range names {
		cols := make([][]string, 6)
		for s := uint64(0); s < seeds; s++ {
			cmp, err := messaging.ComparePresets(script.Seed()+s, name)
			if err != nil {
				return err
			}
			r := cmp.Results[0]
			order := "-" // messages without keys: order not checked
			if r.Config.Keys > 0 {
				order = fmt.Sprint(r.OutOfOrder)
			}
			for i, v := range []string{fmt.Sprint(r.ExtraEffects), order, fmt.Sprintf("%d(%d)", r.Republished, r.Skipped),
				fmt.Sprint(r.Writer.LostEvents), fmt.Sprint(r.Writer.Phantoms), r.Verdict().Outcome.String()} {
				cols[i] = append(cols[i], v)
			}
		}
		t.Add(name, strings.Join(cols[0], " "), strings.Join(cols[1], " "), strings.Join(cols[2], " "),
			strings.Join(cols[3], " "), strings.Join(cols[4], " "), strings.Join(cols[5], " "))
	}
	display.Show(t)
	return nil
}

// Output:
// The same crashes under each design, seeds 1 to 3
// design         published       lost      duplicated   outcome
// -------------  --------------  --------  -----------  -----------------------------------------------
// at-most-once   5123 5070 4899  45 48 48  0 0 0        Lost Lost Lost
// at-least-once  5123 5070 4899  0 0 0     247 264 256  Duplicated Duplicated Duplicated
// idempotent     5123 5070 4899  0 0 0     0 0 0        EffectivelyOnce EffectivelyOnce EffectivelyOnce
// idempotent: store keeps ids 1m0s, visibility 5s: 0 duplicated, 247 caught
// short-ttl: store keeps ids 2s, visibility 5s: 247 duplicated, 0 caught
// Deliveries per message with a share p of acknowledgements lost
// p    simulated  1/(1-p)
// ---  ---------  -------
// 0.1  1.109      1.111
// 0.3  1.448      1.429
// 0.5  2.009      2.000
// 2pc  coordinator down 2s from 2.042s: a participant blocked 2.169s, 0 reads saw a transfer half done, 496 transfers refused
// saga coordinator down 2s from 2.042s: a participant blocked 0s, 249 reads saw a transfer half done, 0 transfers refused
// Per-key order, the same seeds 1 to 3
// preset           duplicated   out of order  copies (skipped)  events lost  phantoms  outcome
// ---------------  -----------  ------------  ----------------  -----------  --------  -----------------------------------------------
// queue-reorders   0 0 0        169 160 133   0(0) 0(0) 0(0)    0 0 0        0 0 0     OutOfOrder OutOfOrder OutOfOrder
// log-keeps-order  0 0 0        0 0 0         0(0) 0(0) 0(0)    0 0 0        0 0 0     EffectivelyOnce EffectivelyOnce EffectivelyOnce
// commit-rarely    869 877 873  0 0 0         0(0) 0(0) 0(0)    0 0 0        0 0 0     Duplicated Duplicated Duplicated
// Producers' retries and the writer's designs, the same seeds 1 to 3
// preset                       duplicated   out of order  copies (skipped)            events lost  phantoms  outcome
// ---------------------------  -----------  ------------  --------------------------  -----------  --------  -----------------------------------------------
// producer-retries             546 603 474  - - -         546(0) 603(0) 474(0)        0 0 0        0 0 0     Duplicated Duplicated Duplicated
// producer-retries-idempotent  0 0 0        - - -         546(546) 603(603) 474(474)  0 0 0        0 0 0     EffectivelyOnce EffectivelyOnce EffectivelyOnce
// dual-write-loses             0 0 0        - - -         0(0) 0(0) 0(0)              10 14 10     0 0 0     LostEvents LostEvents LostEvents
// dual-write-phantoms          0 0 0        - - -         0(0) 0(0) 0(0)              0 0 0        10 15 13  Phantoms Phantoms Phantoms
// outbox                       0 0 0        - - -         17(17) 23(23) 11(11)        0 0 0        0 0 0     EffectivelyOnce EffectivelyOnce EffectivelyOnce
