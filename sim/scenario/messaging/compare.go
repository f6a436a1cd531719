package messaging

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"dsim/sim/metrics"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/service"
	"dsim/sim/viz"
)

// CompareTable lays runs side by side, names labelling them: the design,
// the outcome and the checker's counts.
func CompareTable(names []string, results ...*Result) *metrics.Table {
	t, row := describe.SideBySide(names, results)
	row("design", func(r *Result) any { return r.Config.Design() })
	row("outcome", func(r *Result) any { return r.Verdict().Outcome.String() })
	row("published", func(r *Result) any { return r.Published })
	row("lost", func(r *Result) any { return r.Lost })
	row("duplicated", func(r *Result) any { return r.ExtraEffects })
	row("dead-lettered", func(r *Result) any { return r.DeadLettered })
	row("refused or given up", func(r *Result) any { return r.Refused + r.Abandoned })
	row("deliveries per message", func(r *Result) any { return fmt.Sprintf("%.3f", r.DeliveriesPerMessage()) })
	row("longest queue", func(r *Result) any { return r.MaxDepth })
	// The rows of the ordering, retry and writer knobs, when some run
	// sets them, so the delivery designs' table stays as it was.
	if slices.ContainsFunc(results, func(r *Result) bool { return r.Config.Keys > 0 }) {
		row("out of order", func(r *Result) any { return r.OutOfOrder })
	}
	if slices.ContainsFunc(results, func(r *Result) bool { return r.Republished > 0 }) {
		row("copies republished, skipped", func(r *Result) any { return fmt.Sprintf("%d, %d", r.Republished, r.Skipped) })
	}
	if slices.ContainsFunc(results, func(r *Result) bool { return r.Config.writes() }) {
		row("events lost", func(r *Result) any { return r.Writer.LostEvents })
		row("phantoms", func(r *Result) any { return r.Writer.Phantoms })
	}
	return t
}

// count is one of the checker's counts a comparison draws.
type count struct {
	name, title string
	of          func(*Result) int64
}

var counts = []count{
	{"lost", "Messages lost", func(r *Result) int64 { return r.Lost }},
	{"duplicated", "Effects duplicated (redeliveries and copies)", func(r *Result) int64 { return r.ExtraEffects }},
	{"out of order", "Effects out of their key's order", func(r *Result) int64 { return r.OutOfOrder }},
	{"lost events", "Events lost (orders committed, never published)", func(r *Result) int64 { return r.Writer.LostEvents }},
	{"phantoms", "Phantom events (published, never committed)", func(r *Result) int64 { return r.Writer.Phantoms }},
	{"dead-lettered", "Messages dead-lettered", func(r *Result) int64 { return r.DeadLettered }},
	{"refused or given up", "Publications refused or given up", func(r *Result) int64 { return r.Refused + r.Abandoned }},
}

// Counts lists the names CountBars takes.
func Counts() []string {
	var names []string
	for _, c := range counts {
		names = append(names, c.name)
	}
	return names
}

// ComparePresets runs the named presets with one seed, side by side:
// the ordering designs, the producers' retries with and without keys,
// the dual writes against the outbox.
func ComparePresets(seed uint64, names ...string) (*Comparison, error) {
	return ComparePresetsContext(context.Background(), seed, names...)
}

// ComparePresetsContext is ComparePresets stopped by ctx.
func ComparePresetsContext(ctx context.Context, seed uint64, names ...string) (*Comparison, error) {
	if len(names) == 0 {
		return nil, fmt.Errorf("messaging: ComparePresets needs preset names")
	}
	c := &Comparison{}
	for _, name := range names {
		cfg, err := PresetConfig(name)
		if err != nil {
			return nil, err
		}
		cfg.Seed = seed
		r, err := RunContext(ctx, cfg)
		if err != nil {
			return nil, err
		}
		c.Designs = append(c.Designs, name)
		c.Results = append(c.Results, r)
	}
	return c, nil
}

// CountBars draws one bar chart per named count (Counts lists them:
// "lost", "duplicated", "out of order", "lost events", "phantoms"...),
// a bar per design: what each design got wrong, under the same seed.
func (c *Comparison) CountBars(names ...string) ([]*viz.Figure, error) {
	var figs []*viz.Figure
	for _, name := range names {
		i := slices.IndexFunc(counts, func(k count) bool { return k.name == name })
		if i < 0 {
			return nil, fmt.Errorf("messaging: CountBars: no count %q (have %s)", name, strings.Join(Counts(), ", "))
		}
		values := make([]float64, len(c.Results))
		for j, r := range c.Results {
			values[j] = float64(counts[i].of(r))
		}
		o := viz.Options{Title: fmt.Sprintf("%s, by design (seed %d)", counts[i].title, c.Results[0].Config.Seed),
			YLabel: name, Name: "messaging-" + viz.Slug(name)}
		if slices.Max(values) == 0 {
			o.Title += ": none in any"
		}
		figs = append(figs, viz.Bars(o, c.Designs, values))
	}
	return figs, nil
}

// Comparison is one configuration run under each delivery design, same
// seed: the same messages, the same crashes.
type Comparison struct {
	Designs []string
	Results []*Result
}

// CompareDesigns runs cfg as at-most-once (acknowledge before
// processing, with no acknowledgement lost: receive-and-delete, where the
// delivery is the acknowledgement; a lost early acknowledgement would
// deliver the message again), at-least-once (after) and idempotent
// (after, with a shared store; cfg's DedupTTL, or a minute when it has
// none).
func CompareDesigns(cfg Config) (*Comparison, error) {
	return CompareDesignsContext(context.Background(), cfg)
}

// CompareDesignsContext is CompareDesigns stopped by ctx.
func CompareDesignsContext(ctx context.Context, cfg Config) (*Comparison, error) {
	ttl := cfg.DedupTTL
	if ttl == 0 {
		ttl = time.Minute
	}
	loss := cfg.AckLoss
	c := &Comparison{}
	for _, d := range []struct {
		ack        service.AckMode
		loss       float64
		idempotent bool
		ttl        time.Duration
	}{{service.AckBefore, 0, false, 0}, {service.AckAfter, loss, false, 0}, {service.AckAfter, loss, true, ttl}} {
		cfg.Ack, cfg.AckLoss, cfg.Idempotent, cfg.DedupTTL = d.ack, d.loss, d.idempotent, d.ttl
		r, err := RunContext(ctx, cfg)
		if err != nil {
			return nil, err
		}
		c.Designs = append(c.Designs, r.Config.Design())
		c.Results = append(c.Results, r)
	}
	return c, nil
}

// Table is the designs side by side.
func (c *Comparison) Table() *metrics.Table { return CompareTable(c.Designs, c.Results...) }

// Bars draws, per design, the messages lost, the effects duplicated and
// the messages dead-lettered, counted by the broker's checker.
func (c *Comparison) Bars() []*viz.Figure {
	n := len(c.Results)
	lost, dup, dead := make([]float64, n), make([]float64, n), make([]float64, n)
	for i, r := range c.Results {
		lost[i], dup[i], dead[i] = float64(r.Lost), float64(r.Duplicates), float64(r.DeadLettered)
	}
	crash := "no crashes"
	if cfg := c.Results[0].Config; cfg.CrashEvery > 0 {
		crash = fmt.Sprintf("c1 down every %v for %v", cfg.CrashEvery, cfg.CrashFor)
	}
	ack := fmt.Sprintf("%g%% of acks lost after processing", 100*c.Results[len(c.Results)-1].Config.AckLoss)
	return []*viz.Figure{
		viz.Bars(viz.Options{Title: fmt.Sprintf("Messages lost by design (%s, %s, of %d)", crash, ack, c.Results[0].Published), YLabel: "messages lost", Name: "messaging-designs-lost"}, c.Designs, lost),
		viz.Bars(viz.Options{Title: fmt.Sprintf("Effects duplicated by design (%s, %s, of %d)", crash, ack, c.Results[0].Published), YLabel: "effects duplicated", Name: "messaging-designs-duplicated"}, c.Designs, dup),
		viz.Bars(viz.Options{Title: fmt.Sprintf("Messages dead-lettered by design (%s, %s, of %d)", crash, ack, c.Results[0].Published), YLabel: "messages dead-lettered", Name: "messaging-designs-dead"}, c.Designs, dead),
	}
}
