package messaging_test

import (
	"strings"
	"testing"

	"dsim/sim/internal/simtest"
	"dsim/sim/scenario/messaging"
)

// storySeeds are the seeds each ordering, retry and writer story is
// held to.
var storySeeds = []uint64{1, 2, 3, 4}

// A queue's parallel workers apply some deposits after a later one to
// the same account; a log of partitions by account applies none out of
// order; committing its offsets rarely turns each crash into a batch of
// duplicates, many more than committing each message does, and still
// none out of order.
func TestOrderingStories(t *testing.T) {
	for _, seed := range storySeeds {
		q, l, rare := preset(t, "queue-reorders", seed), preset(t, "log-keeps-order", seed), preset(t, "commit-rarely", seed)
		for name, r := range map[string]*messaging.Result{"queue-reorders": q, "log-keeps-order": l, "commit-rarely": rare} {
			conserved(t, name, r)
			if r.Lost != 0 || r.Unfinished != 0 {
				t.Errorf("%s seed %d: %d lost, %d unfinished", name, seed, r.Lost, r.Unfinished)
			}
		}
		if q.OutOfOrder == 0 || q.ExtraEffects != 0 {
			t.Errorf("queue seed %d: %d out of order, %d duplicated", seed, q.OutOfOrder, q.ExtraEffects)
		}
		if l.OutOfOrder != 0 || l.ExtraEffects != 0 {
			t.Errorf("log seed %d: %d out of order, %d duplicated", seed, l.OutOfOrder, l.ExtraEffects)
		}
		if rare.OutOfOrder != 0 || rare.Duplicates == 0 || rare.Rewinds == 0 {
			t.Errorf("commit-rarely seed %d: %d out of order, %d duplicated, %d rewinds", seed, rare.OutOfOrder, rare.Duplicates, rare.Rewinds)
		}
		each := rare.Config
		each.CommitEvery = 0
		r, err := messaging.Run(each)
		if err != nil {
			t.Fatal(err)
		}
		if r.OutOfOrder != 0 || 3*r.Duplicates >= rare.Duplicates {
			t.Errorf("seed %d: committing each message %d duplicates (%d out of order), every 25 %d", seed, r.Duplicates, r.OutOfOrder, rare.Duplicates)
		}
	}
}

// A producer that retries a publication whose answer was lost publishes
// a copy; every copy's effect is a duplicate, unless the consumers
// deduplicate by the producer's key, when every copy is skipped.
func TestProducerRetryStories(t *testing.T) {
	for _, seed := range storySeeds {
		plain, keyed := preset(t, "producer-retries", seed), preset(t, "producer-retries-idempotent", seed)
		if plain.Republished == 0 || plain.ExtraEffects != plain.Republished || plain.Duplicates != 0 || plain.Lost != 0 {
			t.Errorf("retries seed %d: %d copies, %d extra effects, %d redelivery duplicates, %d lost", seed, plain.Republished, plain.ExtraEffects, plain.Duplicates, plain.Lost)
		}
		if keyed.Republished != plain.Republished || keyed.ExtraEffects != 0 || keyed.Skipped != keyed.Republished {
			t.Errorf("keyed seed %d: %d copies (%d without keys), %d extra effects, %d skipped", seed, keyed.Republished, plain.Republished, keyed.ExtraEffects, keyed.Skipped)
		}
		if v := plain.Verdict().Reason; !strings.Contains(v, "copies") {
			t.Errorf("retries seed %d: the verdict does not name the copies: %s", seed, v)
		}
	}
}

// A writer crashing between its two writes loses events (commit, then
// publish) or publishes phantoms (publish, then commit); the outbox does
// neither, and its relay's copies are skipped.
func TestWriterStories(t *testing.T) {
	for _, seed := range storySeeds {
		loses, phantoms, outbox := preset(t, "dual-write-loses", seed), preset(t, "dual-write-phantoms", seed), preset(t, "outbox", seed)
		if w := loses.Writer; w.LostEvents == 0 || w.Phantoms != 0 || w.Failed == 0 || w.Committed != w.Published+w.LostEvents {
			t.Errorf("commit-then-publish seed %d: %+v", seed, w)
		}
		if w := phantoms.Writer; w.Phantoms == 0 || w.LostEvents != 0 || w.Published != w.Committed+w.Phantoms {
			t.Errorf("publish-then-commit seed %d: %+v", seed, w)
		}
		w := outbox.Writer
		if w.LostEvents != 0 || w.Phantoms != 0 || w.Pending != 0 || w.Published != w.Committed || outbox.ExtraEffects != 0 {
			t.Errorf("outbox seed %d: %+v, %d extra effects", seed, w, outbox.ExtraEffects)
		}
		if outbox.Republished == 0 || outbox.Skipped != outbox.Republished || w.Relayed != outbox.Published {
			t.Errorf("outbox seed %d: %d relay copies, %d skipped, %d relayed, %d published", seed, outbox.Republished, outbox.Skipped, w.Relayed, outbox.Published)
		}
		for name, r := range map[string]*messaging.Result{"dual-write-loses": loses, "dual-write-phantoms": phantoms, "outbox": outbox} {
			conserved(t, name, r)
		}
	}
}

// The designs side by side: the table gains the rows of the knobs the
// runs set, and CountBars draws a figure per count, refusing an unknown
// one by name.
func TestComparePresets(t *testing.T) {
	cmp, err := messaging.ComparePresets(1, "dual-write-loses", "dual-write-phantoms", "outbox")
	if err != nil {
		t.Fatal(err)
	}
	if s := cmp.Table().String(); !strings.Contains(s, "phantoms") || !strings.Contains(s, "events lost") {
		t.Errorf("table:\n%s", s)
	}
	figs, err := cmp.CountBars("lost events", "phantoms")
	if err != nil || len(figs) != 2 {
		t.Fatalf("%d figures, %v", len(figs), err)
	}
	if _, err := cmp.CountBars("gone"); err == nil || !strings.Contains(err.Error(), "out of order") {
		t.Errorf("unknown count: %v", err)
	}
	if _, err := messaging.ComparePresets(1, "nope"); err == nil {
		t.Error("an unknown preset was accepted")
	}
	if s := messaging.CompareTable([]string{"a"}, preset(t, "calm", 1)).String(); strings.Contains(s, "phantoms") || strings.Contains(s, "out of order") {
		t.Errorf("the delivery designs' table gained rows:\n%s", s)
	}
}

// The new stages are deterministic too: a log's rewinds, producers'
// retries over a lossy hop and a crashing writer's relay.
func TestStoriesDeterministic(t *testing.T) {
	for _, name := range []string{"commit-rarely", "producer-retries", "outbox"} {
		t.Run(name, func(t *testing.T) {
			simtest.Seeded(t, func(seed uint64) string {
				r := preset(t, name, seed)
				return r.Summary().String() + r.Table.String()
			}, 3)
		})
	}
}
