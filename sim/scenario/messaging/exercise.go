package messaging

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/grade"
)

// ExerciseSeeds are the seeds every exercise is checked over, so that an
// answer right by the luck of one seed is not called right.
func ExerciseSeeds() []uint64 { return []uint64{1, 2, 3, 4, 5} }

// DeliveryDesigns are the presets the first exercise asks about: which of
// them apply some effect twice?
func DeliveryDesigns() []string {
	return []string{"at-most-once", "at-least-once", "idempotent", "short-ttl"}
}

// runs remembers the presets' results over the exercise seeds: the runs
// are deterministic, and a student checks an answer more than once.
var runs grade.Memo[[]*Result]

// presetRuns runs the named preset, with set applied, on every exercise
// seed; key names the variant for the memo.
func presetRuns(name, key string, set func(*Config)) ([]*Result, error) {
	return runs.Get(key, func() ([]*Result, error) {
		cfg, err := PresetConfig(name)
		if err != nil {
			return nil, err
		}
		if set != nil {
			set(&cfg)
		}
		var got []*Result
		for _, seed := range ExerciseSeeds() {
			cfg.Seed = seed
			r, err := Run(cfg)
			if err != nil {
				return nil, err
			}
			got = append(got, r)
		}
		return got, nil
	})
}

// CheckDuplicates checks a prediction of which of DeliveryDesigns apply
// some message's effect twice, on every seed.
func CheckDuplicates(duplicating []string) scenario.Check {
	if len(duplicating) == 0 {
		return scenario.Checkf(false, "list the presets you predict duplicate effects, from %s, then run the cell", strings.Join(DeliveryDesigns(), ", "))
	}
	for _, name := range duplicating {
		if !slices.Contains(DeliveryDesigns(), name) {
			return scenario.Checkf(false, "%q is not one of %s", name, strings.Join(DeliveryDesigns(), ", "))
		}
	}
	var right, rows []string
	for _, name := range DeliveryDesigns() {
		rs, err := presetRuns(name, name, nil)
		if err != nil {
			return scenario.Checkf(false, "%v", err)
		}
		all := true
		var dups []string
		for _, r := range rs {
			all = all && r.Duplicates > 0
			dups = append(dups, fmt.Sprint(r.Duplicates))
		}
		if all {
			right = append(right, name)
		}
		rows = append(rows, fmt.Sprintf("%s: %s", name, strings.Join(dups, " ")))
	}
	got := slices.Clone(duplicating)
	slices.Sort(got)
	got = slices.Compact(got)
	slices.Sort(right)
	if !slices.Equal(got, right) {
		return scenario.Checkf(false, "not that set; run each preset and read its duplicated effects (%d seeds each)", len(ExerciseSeeds()))
	}
	return scenario.Checkf(true, "a duplicate needs a redelivery of a message whose effect happened and a consumer that does not recognise it: "+
		"at-most-once never redelivers, an idempotent store kept longer than the redelivery delay recognises every one, one forgetting after 2s recognises almost none; "+
		"effects duplicated over seeds %v: %s", ExerciseSeeds(), strings.Join(rows, "; "))
}

// AckLossExercise is the chance of losing an acknowledgement the second
// exercise sets on the calm preset.
const AckLossExercise = 0.3

// CheckDeliveries checks a prediction of the mean deliveries per message
// on the calm preset with AckLossExercise of the acknowledgements lost:
// right within 2% of the runs' mean over the exercise seeds.
func CheckDeliveries(predicted float64) scenario.Check {
	if !(predicted > 0) {
		return scenario.Checkf(false, "set predicted to the mean number of deliveries you expect per message, then run the cell")
	}
	rs, err := presetRuns("calm", "calm+acks", func(c *Config) { c.AckLoss = AckLossExercise })
	if err != nil {
		return scenario.Checkf(false, "%v", err)
	}
	var sum float64
	var each []string
	for _, r := range rs {
		sum += r.DeliveriesPerMessage()
		each = append(each, fmt.Sprintf("%.3f", r.DeliveriesPerMessage()))
	}
	mean := sum / float64(len(rs))
	if math.Abs(predicted-mean) > 0.02*mean {
		return scenario.Checkf(false, "%.3f is more than 2%% from what the runs measure; think of each delivery as a try that succeeds with chance %g", predicted, 1-AckLossExercise)
	}
	return scenario.Checkf(true, "each delivery's acknowledgement arrives with chance 1-p = %g, so the deliveries of a message are geometric, with mean 1/(1-p) = %.3f; the runs measured %s (mean %.3f) over seeds %v",
		1-AckLossExercise, 1/(1-AckLossExercise), strings.Join(each, " "), mean, ExerciseSeeds())
}

// ExplainShortTTL checks the answer to: the short-ttl preset has
// idempotent consumers, yet nearly every lost acknowledgement still
// makes a duplicate; why?
//
//	a: the store is too small, and evicts ids before their message comes back
//	b: a message comes back only after its visibility timeout (5s) has run out, and by then the store has forgotten its id (TTL 2s)
//	c: each consumer keeps its own store, so a message redelivered to the other consumer is not recognised
//
// The evidence is the short-ttl and idempotent presets over the seeds.
func ExplainShortTTL(choice string) scenario.Check {
	const key = "b"
	short, err := presetRuns("short-ttl", "short-ttl", nil)
	if err != nil {
		return scenario.Checkf(false, "%v", err)
	}
	long, err := presetRuns("idempotent", "idempotent", nil)
	if err != nil {
		return scenario.Checkf(false, "%v", err)
	}
	holds := true
	var dups, hits, longDups []string
	for i, r := range short {
		c := r.Config
		holds = holds && r.Duplicates > 0 && r.DedupEvicted == 0 && c.DedupTTL < c.Visibility && long[i].Duplicates == 0
		dups = append(dups, fmt.Sprint(r.Duplicates))
		hits = append(hits, fmt.Sprint(r.DedupHits))
		longDups = append(longDups, fmt.Sprint(long[i].Duplicates))
	}
	c := short[0].Config
	evidence := fmt.Sprintf("over seeds %v the store evicted nothing and is shared by every consumer, yet let through %s duplicates and caught %s; "+
		"a redelivery comes at least the visibility timeout (%v) after the delivery whose acknowledgement was lost, and the id, stored when the effect was applied, lives %v; "+
		"the same store keeping ids for %v let through %s",
		ExerciseSeeds(), strings.Join(dups, " "), strings.Join(hits, " "), c.Visibility, c.DedupTTL, long[0].Config.DedupTTL, strings.Join(longDups, " "))
	return choose(choice, key, "abc", evidence, holds)
}

// choose grades a multiple-choice answer of the short-ttl question.
func choose(choice, key, options, evidence string, holds bool) scenario.Check {
	return chooseWith(choice, key, options, evidence, holds, "look at the store's evictions, who shares it, and how long after a delivery its redelivery comes")
}

// chooseWith grades a multiple-choice answer and gives the evidence when
// it is right, or hint when not; holds says whether the runs bear the key
// out on every seed.
func chooseWith(choice, key, options, evidence string, holds bool, hint string) scenario.Check {
	choice = strings.ToLower(strings.TrimSpace(choice))
	letters := strings.Join(strings.Split(options, ""), ", ")
	switch {
	case choice == "":
		return scenario.Checkf(false, "set choice to one of the letters %s, then run the cell", letters)
	case len(choice) != 1 || !strings.Contains(options, choice):
		return scenario.Checkf(false, "%q is not one of the letters %s", choice, letters)
	case choice != key:
		return scenario.Checkf(false, "the runs do not bear %s out; %s", choice, hint)
	case !holds:
		return scenario.Checkf(false, "the expected answer does not hold on every seed here: %s", evidence)
	}
	return scenario.Checkf(true, "%s", evidence)
}

// WriteDesigns are the presets the fourth exercise asks about: which of
// them lose events (an order committed whose event no one downstream
// ever hears of) when the writer crashes?
func WriteDesigns() []string { return []string{"dual-write-loses", "dual-write-phantoms", "outbox"} }

// CheckLosesEvents checks a prediction of which of WriteDesigns lose some
// order's event, on every exercise seed.
func CheckLosesEvents(losing []string) scenario.Check {
	if len(losing) == 0 {
		return scenario.Checkf(false, "list the presets you predict lose events, from %s, then run the cell", strings.Join(WriteDesigns(), ", "))
	}
	for _, name := range losing {
		if !slices.Contains(WriteDesigns(), name) {
			return scenario.Checkf(false, "%q is not one of %s", name, strings.Join(WriteDesigns(), ", "))
		}
	}
	var right, rows []string
	for _, name := range WriteDesigns() {
		rs, err := presetRuns(name, name, nil)
		if err != nil {
			return scenario.Checkf(false, "%v", err)
		}
		all := true
		var lost, phantoms []string
		for _, r := range rs {
			all = all && r.Writer.LostEvents > 0
			lost = append(lost, fmt.Sprint(r.Writer.LostEvents))
			phantoms = append(phantoms, fmt.Sprint(r.Writer.Phantoms))
		}
		if all {
			right = append(right, name)
		}
		rows = append(rows, fmt.Sprintf("%s: %s lost, %s phantoms", name, strings.Join(lost, " "), strings.Join(phantoms, " ")))
	}
	got := slices.Clone(losing)
	slices.Sort(got)
	got = slices.Compact(got)
	slices.Sort(right)
	if !slices.Equal(got, right) {
		return scenario.Checkf(false, "not that set; for each design, ask what a crash between its two steps leaves behind, then run the presets (%d seeds each)", len(ExerciseSeeds()))
	}
	return scenario.Checkf(true, "an event is lost when the order is committed and the crash comes before the publication: only commit-then-publish has that gap; "+
		"publish-then-commit has the other gap (an event for an order never committed, a phantom), and the outbox commits the order and its event together, so the relay publishes every committed order after a restart; "+
		"over seeds %v: %s", ExerciseSeeds(), strings.Join(rows, "; "))
}

// ExplainCommitRarely checks the answer to: commit-rarely duplicates
// effects in batches, with no acknowledgement lost; why?
//
//	a: each acknowledgement is lost now and then, and the log redelivers its message
//	b: a crash moves c1's partitions to c2, which starts from their last committed offset, so every message processed since that commit is delivered and applied again
//	c: the producers publish again what they have no answer for, and the log keeps the copies in order
//
// The evidence is commit-rarely over the seeds, beside the same log
// committing every message.
func ExplainCommitRarely(choice string) scenario.Check {
	const key = "b"
	rare, err := presetRuns("commit-rarely", "commit-rarely", nil)
	if err != nil {
		return scenario.Checkf(false, "%v", err)
	}
	each, err := presetRuns("commit-rarely", "commit-rarely+each", func(c *Config) { c.CommitEvery = 0 })
	if err != nil {
		return scenario.Checkf(false, "%v", err)
	}
	holds := true
	var dups, rewinds, eachDups []string
	for i, r := range rare {
		holds = holds && r.Duplicates > 0 && r.Rewinds > 0 && r.AcksLost == 0 && r.Republished == 0 && 3*each[i].Duplicates < r.Duplicates
		dups = append(dups, fmt.Sprint(r.Duplicates))
		rewinds = append(rewinds, fmt.Sprint(r.Rewinds))
		eachDups = append(eachDups, fmt.Sprint(each[i].Duplicates))
	}
	evidence := fmt.Sprintf("over seeds %v no acknowledgement was lost and no producer published a copy, yet %s effects were duplicated, after %s rewinds to a committed offset; "+
		"committing every %d messages, a rewind goes back over up to that many processed messages of its partition; committing each one, the same crashes duplicated %s",
		ExerciseSeeds(), strings.Join(dups, " "), strings.Join(rewinds, " "), rare[0].Config.CommitEvery, strings.Join(eachDups, " "))
	return chooseWith(choice, key, "abc", evidence, holds, "look at the acknowledgements lost, the copies published and the rewinds in the run's summary")
}
