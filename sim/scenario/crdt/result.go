package crdt

import (
	"fmt"
	"strings"
	"time"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/net"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/viz"
)

// FinalState is one replica at the end of the run.
type FinalState struct {
	Replica    string
	Value      string // what a user reads
	Naive      string // the naive set's value, for set types
	Size       int
	Tombstones int
	State      string // the canonical state
}

// Result is what a run produced.
type Result struct {
	Config Config // with defaults filled in

	Ops         int      // operations applied
	Messages    int64    // gossip messages sent
	Merges      int64    // gossip messages merged (delivered)
	Bytes       int64    // state bytes sent
	LastOp      sim.Time // when the last operation was applied
	Converged   bool
	ConvergedAt sim.Time // when every replica first held the same state after LastOp
	End         sim.Time

	Divergence *metrics.Series // distinct states among the replicas, per sample
	// HalfDivergence is, with a partition, the most distinct states within
	// one of its two halves, per sample: 1 when each half agrees within
	// itself (nil without a partition).
	HalfDivergence *metrics.Series
	StateSize      *metrics.Series // mean state size, bytes
	TombstoneCount *metrics.Series // mean tombstones per replica

	Final       []FinalState
	Resurrected []string // set types: elements the naive set brought back after a remove
	LostWrites  int      // LWW types: writes lost to a write made earlier in real time
	LostExample string   // one lost write, in words

	Network net.Stats
	Events  int64
	Spans   []viz.Span

	planned int
}

func newResult(cfg Config, last sim.Time) *Result {
	planned := len(cfg.Script)
	if planned == 0 {
		planned = cfg.Operations
	}
	r := &Result{Config: cfg, LastOp: last, planned: planned,
		Divergence:     metrics.NewSeries("distinct states, all replicas", "states"),
		StateSize:      metrics.NewSeries("state size", "bytes"),
		TombstoneCount: metrics.NewSeries("tombstones", "tombstones")}
	if cfg.Partition.Duration > 0 {
		r.HalfDivergence = metrics.NewSeries("distinct states within a half (the larger count)", "states")
	}
	return r
}

// ConvergenceTime is how long after the last operation the replicas took
// to agree (-1ns when they never did).
func (r *Result) ConvergenceTime() time.Duration {
	if !r.Converged {
		return -1
	}
	return (r.ConvergedAt - r.LastOp).Duration()
}

// Outcome is whether the replicas converged.
type Outcome int

const (
	Converged Outcome = iota
	Diverged
)

func (o Outcome) String() string { return [...]string{"Converged", "Diverged"}[o] }

// Verdict is the run's outcome with its explanation.
type Verdict struct {
	Outcome     Outcome
	Time        time.Duration // convergence time after the last operation
	Resurrected []string
	LostWrites  int
	Reason      string
}

func (v Verdict) String() string { return v.Outcome.String() + ": " + v.Reason }

// Markdown is the verdict for a notebook.
func (v Verdict) Markdown() string { return "**" + v.Outcome.String() + ":** " + v.Reason }

// Verdict judges the run.
func (r *Result) Verdict() Verdict {
	v := Verdict{Resurrected: r.Resurrected, LostWrites: r.LostWrites}
	if r.Converged {
		v.Outcome, v.Time = Converged, r.ConvergenceTime()
		v.Reason = fmt.Sprintf("all %d replicas hold the same state %v after the last operation (value %s)",
			r.Config.Replicas, v.Time.Round(time.Millisecond), r.Final[0].Value)
	} else {
		v.Outcome = Diverged
		v.Reason = r.divergedReason()
	}
	if len(r.Resurrected) > 0 {
		v.Reason += fmt.Sprintf("; the naive set brought back %d removed element(s): %s", len(r.Resurrected), strings.Join(r.Resurrected, ", "))
	}
	if r.LostWrites > 0 {
		v.Reason += fmt.Sprintf("; %d acknowledged write(s) lost to clock skew", r.LostWrites)
	}
	return v
}

// divergedReason says what still differs at the end: the replicas' states
// (counted from the final states, not the last sample, which may be older),
// or, when those agree, the naive sets kept beside them, which the run
// also waits for.
func (r *Result) divergedReason() string {
	states, naive := map[string]bool{}, map[string]bool{}
	for _, f := range r.Final {
		states[f.State] = true
		naive[f.Naive] = true
	}
	after := time.Duration(r.End - r.LastOp).Round(time.Millisecond)
	if len(states) > 1 {
		return fmt.Sprintf("%d distinct states remain %v after the last operation", len(states), after)
	}
	if len(naive) > 1 {
		return fmt.Sprintf("the replicas agree on the %s, but the naive sets beside them still differ %v after the last operation", r.Config.Type, after)
	}
	return fmt.Sprintf("the run ended %v after the last operation, before the replicas were seen to agree", after)
}

// Summary is the table of headline numbers.
func (r *Result) Summary() *metrics.Table {
	c := r.Config
	gossip := []string{}
	if c.MergeProbability > 0 {
		gossip = append(gossip, fmt.Sprintf("merge probability %g", c.MergeProbability))
	}
	if c.GossipPeriod > 0 {
		mode := "state"
		if c.Delta {
			mode = "delta"
		}
		gossip = append(gossip, fmt.Sprintf("%s gossip every %v to %d", mode, c.GossipPeriod, c.Fanout))
	}
	t := metrics.NewTable(fmt.Sprintf("CRDT %s on %d replicas, %s, delay %v (seed %d)", c.Type, c.Replicas, strings.Join(gossip, ", "), c.NetworkDelay, c.Seed), "metric", "value")
	t.Add("operations", fmt.Sprint(r.Ops))
	t.Add("last operation at", r.LastOp)
	if r.Converged {
		t.Add("converged after the last operation", r.ConvergenceTime())
	} else {
		t.Add("converged", "no")
	}
	t.Add("messages sent (merged, lost, cut)", fmt.Sprintf("%d (%d, %d, %d)", r.Messages, r.Merges, r.Network.Lost, r.Network.Cut))
	t.Add("bytes sent", fmt.Sprint(r.Bytes))
	t.Add("final value (r1)", r.Final[0].Value)
	t.Add("final state size (r1)", fmt.Sprintf("%d bytes, %d tombstones", r.Final[0].Size, r.Final[0].Tombstones))
	if r.Final[0].Naive != "" {
		t.Add("naive set's final value (r1)", r.Final[0].Naive)
	}
	if r.LostWrites > 0 {
		t.Add("acknowledged writes lost", fmt.Sprint(r.LostWrites))
	}
	t.Note("%v", r.Verdict())
	return t
}

// FinalTable lists each replica's final value and size.
func (r *Result) FinalTable() *metrics.Table {
	cols := []string{"replica", "value", "size (bytes)", "tombstones"}
	if r.Final[0].Naive != "" {
		cols = append(cols, "naive set")
	}
	t := metrics.NewTable("Final state per replica", cols...)
	for _, f := range r.Final {
		row := []any{f.Replica, f.Value, fmt.Sprint(f.Size), fmt.Sprint(f.Tombstones)}
		if f.Naive != "" {
			row = append(row, f.Naive)
		}
		t.Add(row...)
	}
	return t
}

// Figures are the lesson's plots: divergence over time, state size over
// time, and, for the types that keep tombstones, tombstones over time.
func (r *Result) Figures() []*viz.Figure {
	figs := []*viz.Figure{r.DivergenceFigure(), r.SizeFigure()}
	if keepsTombstones(r.Config.Type) {
		figs = append(figs, r.TombstoneFigure())
	}
	return figs
}

// keepsTombstones reports whether a type remembers what was removed.
func keepsTombstones(t Type) bool {
	return t == TwoPSetType || t == ORSetType || t == LWWMapType
}

// DivergenceFigure draws the number of distinct replica states over time:
// 1 means every replica agrees. With a partition it also draws the most
// distinct states within one half, which is 1 when each side agrees
// within itself.
func (r *Result) DivergenceFigure() *viz.Figure {
	series := []*metrics.Series{r.Divergence}
	if r.HalfDivergence != nil {
		series = append(series, r.HalfDivergence)
	}
	f := viz.Lines(viz.Options{Title: fmt.Sprintf("Divergence: distinct states among %d replicas (%s)", r.Config.Replicas, r.Config.Type),
		YLabel: "distinct states", Name: "crdt-divergence", Spans: r.Spans, End: r.End}, series...)
	f.Plot.Y.Min = 0
	return f
}

// SizeFigure draws the mean state size per replica, in bytes of its
// canonical text.
func (r *Result) SizeFigure() *viz.Figure {
	return viz.Lines(viz.Options{Title: fmt.Sprintf("State size per replica (%s)", r.Config.Type), YLabel: "bytes",
		Name: "crdt-size", Spans: r.Spans, End: r.End}, r.StateSize)
}

// TombstoneFigure draws the mean tombstones per replica: removed elements
// (2P-Set), removed tags (OR-Set) or deleted keys (LWW-Map) that the state
// keeps so that a merge cannot bring them back.
func (r *Result) TombstoneFigure() *viz.Figure {
	f := viz.Lines(viz.Options{Title: fmt.Sprintf("Tombstones per replica (%s)", r.Config.Type), YLabel: "tombstones",
		Name: "crdt-tombstones", Spans: r.Spans, End: r.End}, r.TombstoneCount)
	f.Plot.Y.Min = 0
	return f
}

// CompareTable puts runs side by side: convergence, traffic, final state.
func CompareTable(names []string, results ...*Result) *metrics.Table {
	t, row := describe.SideBySide(names, results)
	row("type", func(r *Result) any { return string(r.Config.Type) })
	row("gossip", func(r *Result) any {
		if r.Config.Delta {
			return fmt.Sprintf("delta every %v", r.Config.GossipPeriod)
		}
		return fmt.Sprintf("state every %v", r.Config.GossipPeriod)
	})
	row("converged after the last operation", func(r *Result) any {
		if !r.Converged {
			return "no"
		}
		return r.ConvergenceTime()
	})
	row("messages", func(r *Result) any { return fmt.Sprint(r.Messages) })
	row("bytes sent", func(r *Result) any { return fmt.Sprint(r.Bytes) })
	row("final value", func(r *Result) any { return r.Final[0].Value })
	row("tombstones", func(r *Result) any { return fmt.Sprint(r.Final[0].Tombstones) })
	return t
}
