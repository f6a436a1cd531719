package messaging_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"dsim/sim/dist"
	"dsim/sim/internal/simtest"
	"dsim/sim/scenario/internal/scenariotest"
	"dsim/sim/scenario/messaging"
	"dsim/sim/sweep"
)

var preset = scenariotest.Runner[*messaging.Result](messaging.Scenario())

// Every message taken is processed, skipped as a producer's copy, lost,
// dead-lettered or unfinished.
func conserved(t *testing.T, name string, r *messaging.Result) {
	t.Helper()
	if r.Published != r.Processed+r.Skipped+r.Lost+r.DeadLettered-r.DeadProcessed+r.Unfinished {
		t.Errorf("%s seed %d: published %d != processed %d + skipped %d + lost %d + dead %d - %d + unfinished %d",
			name, r.Config.Seed, r.Published, r.Processed, r.Skipped, r.Lost, r.DeadLettered, r.DeadProcessed, r.Unfinished)
	}
}

// Each preset tells its story on every seed: its outcome, and the
// counts the lesson's prose states.
func TestPresetsTellTheirStories(t *testing.T) {
	want := map[string]messaging.Outcome{
		"calm": messaging.EffectivelyOnce, "at-most-once": messaging.Lost, "at-least-once": messaging.Duplicated,
		"idempotent": messaging.EffectivelyOnce, "short-ttl": messaging.Duplicated, "poison": messaging.DeadLettered,
		"slow-consumers": messaging.Behind, "backpressure": messaging.HeldBack, "drop": messaging.Refused,
		"queue-reorders": messaging.OutOfOrder, "log-keeps-order": messaging.EffectivelyOnce, "commit-rarely": messaging.Duplicated,
		"producer-retries": messaging.Duplicated, "producer-retries-idempotent": messaging.EffectivelyOnce,
		"dual-write-loses": messaging.LostEvents, "dual-write-phantoms": messaging.Phantoms, "outbox": messaging.EffectivelyOnce,
	}
	for _, p := range messaging.Presets() {
		for seed := uint64(1); seed <= 5; seed++ {
			r := preset(t, p.Name, seed)
			conserved(t, p.Name, r)
			if o := r.Verdict().Outcome; o != want[p.Name] {
				t.Errorf("%s seed %d: %v, want %v", p.Name, seed, r.Verdict(), want[p.Name])
			}
			c := r.Config
			switch p.Name {
			case "at-most-once":
				// Ack-before-process loses exactly the messages whose
				// consumer crashed mid-processing, and delivers none twice.
				if r.Lost == 0 || r.Lost != r.CrashedInProcessing || r.Redelivered != 0 || r.Duplicates != 0 {
					t.Errorf("%s seed %d: lost %d, crashed in processing %d, redelivered %d", p.Name, seed, r.Lost, r.CrashedInProcessing, r.Redelivered)
				}
			case "at-least-once":
				// Each lost acknowledgement is one duplicate, unless its
				// redelivery is still in processing at the end; a crash
				// redelivers a message whose effect never happened.
				if r.Lost != 0 || r.Duplicates == 0 || r.Duplicates > r.AcksLost || r.Duplicates < r.AcksLost-5 || r.Redelivered != r.AcksLost+r.Crashed {
					t.Errorf("%s seed %d: lost %d, duplicates %d, acks lost %d, redelivered %d, crashed %d", p.Name, seed, r.Lost, r.Duplicates, r.AcksLost, r.Redelivered, r.Crashed)
				}
			case "idempotent":
				// A TTL longer than the largest redelivery delay: zero
				// duplicated effects.
				if r.Duplicates != 0 || r.DedupHits > r.AcksLost || r.DedupHits < r.AcksLost-5 {
					t.Errorf("%s seed %d: duplicates %d, store hits %d, acks lost %d", p.Name, seed, r.Duplicates, r.DedupHits, r.AcksLost)
				}
			case "short-ttl":
				if r.Duplicates == 0 || r.DedupEvicted != 0 || 10*r.DedupHits > r.Duplicates {
					t.Errorf("%s seed %d: duplicates %d, evicted %d, hits %d", p.Name, seed, r.Duplicates, r.DedupEvicted, r.DedupHits)
				}
			case "poison":
				if r.DeadLettered == 0 || r.Poison != int64(c.MaxDeliveries)*r.DeadLettered || r.Lost+r.Duplicates+r.Unfinished != 0 {
					t.Errorf("%s seed %d: dead %d, failed deliveries %d", p.Name, seed, r.DeadLettered, r.Poison)
				}
			case "backpressure", "drop":
				// Redeliveries are never refused, so only they can pass the bound.
				if r.MaxDepth > float64(c.MaxDepth+int(r.Redelivered)) {
					t.Errorf("%s seed %d: depth %v beyond the bound %d", p.Name, seed, r.MaxDepth, c.MaxDepth)
				}
			}
		}
	}
}

// With acknowledgements lost independently with chance p and unlimited
// redelivery, the mean deliveries per message is 1/(1-p): within 2% over
// more than 100,000 messages, for p = 0.1 and 0.3.
func TestDeliveriesPerMessage(t *testing.T) {
	for _, p := range []float64{0.1, 0.3} {
		cfg := messaging.Default()
		cfg.Rate, cfg.Duration, cfg.Drain = 1100, 110*time.Second, 10*time.Second
		cfg.Consumers, cfg.Workers, cfg.Service = 1, 64, dist.MustParse("exp(1ms)")
		cfg.Visibility, cfg.AckLoss = 100*time.Millisecond, p
		r, err := messaging.Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		got, want := r.DeliveriesPerMessage(), r.TheoryDeliveries()
		t.Logf("p=%g: %.4f deliveries per message over %d, theory %.4f", p, got, r.Published, want)
		if r.Published < 100_000 || !r.TheoryApplies() || math.Abs(got-want) > 0.02*want {
			t.Errorf("p=%g: %.4f deliveries per message over %d, theory %.4f", p, got, r.Published, want)
		}
	}
}

// Each design under the same crashes and lost acknowledgements: only
// at-most-once loses, only at-least-once duplicates.
func TestCompareDesigns(t *testing.T) {
	cfg, err := messaging.PresetConfig("at-least-once")
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := messaging.CompareDesigns(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(cmp.Designs, " ") != "at-most-once at-least-once idempotent" {
		t.Fatalf("designs %v", cmp.Designs)
	}
	most, least, idem := cmp.Results[0], cmp.Results[1], cmp.Results[2]
	if most.Lost == 0 || least.Lost != 0 || idem.Lost != 0 || least.Duplicates == 0 || idem.Duplicates != 0 {
		t.Errorf("lost %d %d %d, duplicated %d %d %d", most.Lost, least.Lost, idem.Lost, most.Duplicates, least.Duplicates, idem.Duplicates)
	}
	if len(cmp.Bars()) != 3 || len(cmp.Table().Rows) == 0 {
		t.Error("no figures or table")
	}
}

// Every rule across fields names the field, its value and the limit.
func TestValidate(t *testing.T) {
	scenariotest.Refused(t, "messaging: ", messaging.Default, messaging.Config.Validate, messaging.Run, []scenariotest.Bad[messaging.Config]{
		{Set: func(c *messaging.Config) { c.Rate = -1 }, Want: "messaging: Rate=-1"},
		{Set: func(c *messaging.Config) { c.AckLoss = 1 }, Want: "AckLoss=1"},
		{Set: func(c *messaging.Config) { c.Drain = 2 * time.Minute }, Want: "Drain=2m: leaves no time to publish in Duration=1m"},
		{Set: func(c *messaging.Config) { c.Window = 2 * time.Minute }, Want: "Window=2m: is longer than Duration=1m"},
		{Set: func(c *messaging.Config) { c.DedupTTL = time.Second }, Want: "DedupTTL=1s: is the store of idempotent consumers: set Idempotent"},
		{Set: func(c *messaging.Config) { c.CrashEvery, c.CrashFor = time.Second, 2*time.Second }, Want: "CrashFor=2s: must be shorter than CrashEvery=1s"},
		{Set: func(c *messaging.Config) { c.CrashEvery = time.Minute }, Want: "CrashEvery=1m: must be shorter than the publishing time"},
		{Set: func(c *messaging.Config) { c.Rate, c.Duration = 1e6, time.Hour }, Want: "Rate=1e+06: publishes about"},
		{Set: func(c *messaging.Config) { c.Ack = "never" }, Want: "Ack"},
		{Set: func(c *messaging.Config) { c.Overflow = "spill" }, Want: "Overflow"},
		{Set: func(c *messaging.Config) { c.MaxDeliveries = 5000 }, Want: "MaxDeliveries=5000"},
		{Set: func(c *messaging.Config) { c.CommitEvery = 10 }, Want: "CommitEvery=10: commits a log's offsets: set Partitions"},
		{Set: func(c *messaging.Config) { c.Partitions = 5000 }, Want: "Partitions=5000"},
		{Set: func(c *messaging.Config) { c.Keys = -1 }, Want: "Keys=-1"},
		{Set: func(c *messaging.Config) { c.ProducerRetries = 3 }, Want: "ProducerRetries=3: retries after ProducerTimeout"},
		{Set: func(c *messaging.Config) { c.PublishLoss = 0.1 }, Want: "PublishLoss=0.1: loses answers a producer waits for forever"},
		{Set: func(c *messaging.Config) { c.PublishLoss = 1 }, Want: "PublishLoss=1"},
		{Set: func(c *messaging.Config) { c.WriteMode = "twice" }, Want: "WriteMode"},
		{Set: func(c *messaging.Config) { c.RelayBatch = 10 }, Want: "RelayBatch=10: sets the outbox's relay"},
		{Set: func(c *messaging.Config) { c.WriterCrashEvery = time.Second }, Want: "WriterCrashEvery=1s: crashes the writer: set WriteMode"},
		{Set: func(c *messaging.Config) {
			c.WriteMode, c.WriterCrashEvery, c.WriterCrashFor = "outbox", time.Second, 2*time.Second
		}, Want: "WriterCrashFor=2s: must be shorter than WriterCrashEvery=1s"},
		{Set: func(c *messaging.Config) {
			c.WriteMode, c.PublishLoss, c.ProducerTimeout = "outbox", 0.1, time.Second
		}, Want: "PublishLoss=0.1: is the producers' path to the broker"},
	})
	for _, p := range messaging.Presets() {
		if err := p.Config.Validate(); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
	}
	if _, err := messaging.PresetConfig("nope"); err == nil || !strings.Contains(err.Error(), "short-ttl") {
		t.Errorf("unknown preset: %v", err)
	}
}

// A run whose producers are held without end stops at the bound on held
// publications with an error that says what to do; a cancelled context
// stops a run.
func TestBounded(t *testing.T) {
	cfg := messaging.Default()
	cfg.Rate, cfg.MaxDepth, cfg.Duration, cfg.Drain = 1e5, 1, 100*time.Second, time.Second
	cfg.Consumers, cfg.Workers, cfg.Service = 1, 1, dist.MustParse("const(1s)")
	if _, err := messaging.Run(cfg); err == nil || !strings.Contains(err.Error(), "ProducerTimeout") {
		t.Errorf("held without end: %v", err)
	}
	// Producers that give up after a second of back-pressure: their
	// messages never enter the queue.
	held, err := messaging.PresetConfig("backpressure")
	if err != nil {
		t.Fatal(err)
	}
	held.ProducerTimeout = time.Second
	r, err := messaging.Run(held)
	if err != nil {
		t.Fatal(err)
	}
	if r.Abandoned == 0 || r.Verdict().Outcome != messaging.Refused {
		t.Errorf("producers giving up: %v", r.Verdict())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := messaging.RunContext(ctx, messaging.Default()); err == nil {
		t.Error("a cancelled run finished")
	}
}

// One seed, one result, on any number of cores; another seed, another.
func TestDeterminism(t *testing.T) {
	digest := func(seed uint64) string {
		r := preset(t, "at-least-once", seed)
		return r.Summary().String() + r.Table.String()
	}
	simtest.Seeded(t, digest, 3)
}

// Every figure draws, and a sweep over the ack loss reports theory
// beside the run.
func TestFiguresAndSweep(t *testing.T) {
	for _, p := range messaging.Presets() {
		for _, f := range preset(t, p.Name, 1).Figures() {
			if _, err := f.PNG(); err != nil {
				t.Errorf("%s: %v", p.Name, err)
			}
		}
	}
	base := messaging.Default()
	base.Duration, base.Drain = 20*time.Second, 5*time.Second
	spec := sweep.Spec{Knobs: []sweep.Knob{{Name: "AckLoss", Values: []float64{0.1, 0.5}}}, Reps: 2}
	res := scenariotest.SameOnAnyWorkers(t, messaging.Sweep, base, spec)
	scenariotest.FirstColumn(t, res, "AckLoss (chance)")
	if _, err := messaging.DeliveriesFigure(res); err != nil {
		t.Error(err)
	}
	scenariotest.SweepStops(t, messaging.SweepContext, base, spec.Knobs[0])
	scenariotest.Descriptor(t, messaging.Scenario(), "messaging", len(messaging.Presets()))
	scenariotest.Report(t, messaging.Scenario(), base, "EffectivelyOnce", 3)
}
