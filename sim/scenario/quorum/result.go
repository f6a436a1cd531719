package quorum

import (
	"fmt"
	"math"
	"strings"

	"github.com/anishathalye/porcupine"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/net"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/viz"
)

// Sides are the two halves of the default partition. Without a partition
// they are still the clients' labels.
var Sides = []string{"majority", "minority"}

// Side holds one side's clients' operations over time.
type Side struct {
	Name       string
	OK, Failed *metrics.Rate // operations completed and failed, per window
	ops, good  int64
}

// Result is what a run produced: every operation, the checker's verdict,
// latencies and throughput by side.
type Result struct {
	Config Config // with defaults filled in and the model resolved

	Ops                       []Op // in completion order
	Reads, Writes             int64
	FailedReads, FailedWrites int64
	ReadLatency, WriteLatency *metrics.Latency // successful operations only
	Sides                     []*Side

	Check CheckResult
	// StaleReads, InvertedReads and LostWrites count what clients saw
	// go wrong, without the checker (see the package doc, Checking).
	StaleReads    int64
	InvertedReads int64
	LostWrites    int64
	Truncated     bool // clients stopped at MaxOps

	Network net.Stats
	Events  int64
	Spans   []viz.Span // fault windows
	End     sim.Time

	net       *net.Network
	info      *porcupine.LinearizationInfo
	inversion *Inversion // the first inverted read, if any
}

// record files a finished operation.
func (r *Result) record(o *Op) {
	r.Ops = append(r.Ops, *o)
	side := r.Sides[0]
	if o.Side == Sides[1] {
		side = r.Sides[1]
	}
	side.ops++
	at := min(o.End, r.endOfIssue())
	if o.OK {
		side.good++
		side.OK.Add(at, 1)
		if o.Write {
			r.WriteLatency.Record(at, o.End-o.Start)
		} else {
			r.ReadLatency.Record(at, o.End-o.Start)
		}
	} else {
		side.Failed.Add(at, 1)
	}
	if o.Write {
		r.Writes++
		if !o.OK {
			r.FailedWrites++
		}
	} else {
		r.Reads++
		if !o.OK {
			r.FailedReads++
		}
	}
}

// endOfIssue is the last instant of the metric windows: operations that
// finish after clients stopped issuing count in the last window.
func (r *Result) endOfIssue() sim.Time { return sim.FromDuration(r.Config.Duration) - 1 }

// Availability is the share of a side's operations, started in [from, to),
// that succeeded. NaN when there were none.
func (r *Result) Availability(side string, from, to sim.Time) float64 {
	var n, ok int
	for _, o := range r.Ops {
		if o.Side == side && o.Start >= from && o.Start < to {
			n++
			if o.OK {
				ok++
			}
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return float64(ok) / float64(n)
}

// faultWindow is the first fault's window, or the whole run.
func (r *Result) faultWindow() (from, to sim.Time, during bool) {
	if len(r.Spans) == 0 {
		return 0, r.End, false
	}
	return r.Spans[0].From, r.Spans[0].To, true
}

// Summary is the table of headline numbers.
func (r *Result) Summary() *metrics.Table {
	c := r.Config
	t := metrics.NewTable(fmt.Sprintf("Quorum store: %s, N=%d R=%d W=%d, %s versions, read repair %s, network %v (seed %d)",
		c.Model, c.Nodes, c.R, c.W, c.Versioning, c.ReadRepair, c.latencyText(), c.Seed), "metric", "value")
	t.Add("operations (reads + writes)", fmt.Sprintf("%d (%d + %d)", r.Reads+r.Writes, r.Reads, r.Writes))
	t.Add("failed reads", fmt.Sprintf("%d (%s)", r.FailedReads, metrics.Pct(metrics.Ratio(r.FailedReads, r.Reads))))
	t.Add("failed writes", fmt.Sprintf("%d (%s)", r.FailedWrites, metrics.Pct(metrics.Ratio(r.FailedWrites, r.Writes))))
	if r.ReadLatency.Count() > 0 {
		t.Add("read latency mean / p99", fmt.Sprintf("%v / %v", ms(r.ReadLatency.Mean()), ms(r.ReadLatency.Quantile(0.99))))
	}
	if r.WriteLatency.Count() > 0 {
		t.Add("write latency mean / p99", fmt.Sprintf("%v / %v", ms(r.WriteLatency.Mean()), ms(r.WriteLatency.Quantile(0.99))))
	}
	t.Add("stale reads", fmt.Sprintf("%d (%s of successful reads)", r.StaleReads, metrics.Pct(metrics.Ratio(r.StaleReads, r.Reads-r.FailedReads))))
	t.Add("inverted reads", fmt.Sprintf("%d (%s of successful reads)", r.InvertedReads, metrics.Pct(metrics.Ratio(r.InvertedReads, r.Reads-r.FailedReads))))
	t.Add("acknowledged writes lost", fmt.Sprint(r.LostWrites))
	t.Add("linearizability (porcupine)", string(r.Check))
	from, to, during := r.faultWindow()
	for _, s := range r.Sides {
		if s.ops == 0 {
			continue
		}
		label := "answered, " + s.Name + " side"
		if during {
			label += " during the fault"
		}
		t.Add(label, metrics.Pct(r.Availability(s.Name, from, to)))
	}
	t.Add("messages sent (lost, cut)", fmt.Sprintf("%d (%d, %d)", r.Network.Sent, r.Network.Lost, r.Network.Cut))
	if r.Truncated {
		t.Note("clients stopped at MaxOps=%d operations", c.MaxOps)
	}
	t.Note("%v", r.Verdict())
	return t
}

// ms rounds a latency to a readable precision.
func ms(t sim.Time) string {
	return fmt.Sprintf("%.1fms", float64(t)/float64(sim.Millisecond))
}

// label names the run's consistency setting in figure titles and file
// names: the model, and what changes what the model means (a sloppy
// quorum, versioning or read repair other than the model's own), so that
// runs of one model with different mechanisms are told apart.
func (c Config) label() string {
	own := Config{Model: c.Model, Nodes: c.Nodes}.withDefaults()
	parts := []string{string(c.Model)}
	if c.Versioning != own.Versioning {
		parts = append(parts, string(c.Versioning)+" versions")
	}
	if c.ReadRepair != own.ReadRepair {
		parts = append(parts, string(c.ReadRepair)+" read repair")
	}
	if c.SloppyQuorum {
		parts = append(parts, "sloppy quorum")
	}
	return strings.Join(parts, ", ")
}

// Verdict is the run's outcome in CAP terms: was it consistent
// (linearizable, no stale or inverted reads, no lost writes) and was it
// available on each side.
type Verdict struct {
	Outcome       Outcome
	Check         CheckResult
	StaleReads    int64
	InvertedReads int64
	LostWrites    int64
	Available     []float64 // per side in Sides, during the first fault (or the run)
	DuringFault   bool
}

// Verdict judges the run.
func (r *Result) Verdict() Verdict {
	from, to, during := r.faultWindow()
	v := Verdict{Outcome: outcome(r.Check, r.StaleReads+r.InvertedReads, r.LostWrites), Check: r.Check,
		StaleReads: r.StaleReads, InvertedReads: r.InvertedReads, LostWrites: r.LostWrites, DuringFault: during}
	for _, s := range r.Sides {
		v.Available = append(v.Available, r.Availability(s.Name, from, to))
	}
	return v
}

// Consistent reports whether the run was consistent: the checker found
// the history linearizable, no read was stale or inverted and no
// acknowledged write was lost. A lost write no client read before a later
// write replaced it leaves the history linearizable, and is still a
// violation.
func (v Verdict) Consistent() bool {
	return v.Check == IsLinearizable && v.StaleReads == 0 && v.InvertedReads == 0 && v.LostWrites == 0
}

func (v Verdict) String() string {
	var b strings.Builder
	counts := fmt.Sprintf("%d stale reads, %d inverted reads, %d acknowledged writes lost", v.StaleReads, v.InvertedReads, v.LostWrites)
	switch {
	case v.Consistent():
		fmt.Fprintf(&b, "Consistent: the history is linearizable (%s). ", counts)
	case v.Check == IsLinearizable:
		fmt.Fprintf(&b, "Not consistent: %s; the history is linearizable all the same, as no read observed it. ", counts)
	case v.Check == NotLinearizable:
		fmt.Fprintf(&b, "Not consistent: the history is not linearizable (%s). ", counts)
	default:
		fmt.Fprintf(&b, "Consistency %s (%s). ", v.Check, counts)
	}
	if v.DuringFault {
		b.WriteString("During the fault, ")
	} else {
		b.WriteString("Over the run, ")
	}
	var parts []string
	for i, a := range v.Available {
		if a == a { // not NaN: the side had operations
			parts = append(parts, fmt.Sprintf("the %s side answered %s", Sides[i], metrics.Pct(a)))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "no operation started")
	}
	b.WriteString(strings.Join(parts, " and "))
	b.WriteString(".")
	return b.String()
}

// Markdown is the verdict for a notebook.
func (v Verdict) Markdown() string {
	s := v.String()
	head, rest, _ := strings.Cut(s, ": ")
	return "**" + head + ":** " + rest
}

// Figures are the lesson's plots: operations answered and failed on each
// side over time, the latency distributions, and a message-sequence
// diagram of a slice of the run.
func (r *Result) Figures() []*viz.Figure {
	return []*viz.Figure{r.ThroughputFigure(), r.LatencyFigure(), r.MessagesFigure(AroundFirstFault)}
}

// ThroughputFigure draws each side's answered and failed operations per
// second, with the faults shaded.
func (r *Result) ThroughputFigure() *viz.Figure {
	var series []*metrics.Series
	for _, s := range r.Sides {
		if s.ops > 0 {
			series = append(series, s.OK.Series(), s.Failed.Series())
		}
	}
	return viz.Lines(viz.Options{Title: fmt.Sprintf("Operations by side (%s; N=%d R=%d W=%d)", r.Config.label(), r.Config.Nodes, r.Config.R, r.Config.W),
		YLabel: "operations per second", Name: "quorum-ops-" + viz.Slug(r.Config.label()), Spans: r.Spans, End: r.End}, series...)
}

// LatencyFigure draws the read and write latency distributions.
func (r *Result) LatencyFigure() *viz.Figure {
	return viz.CDF(viz.Options{Title: fmt.Sprintf("Latency of successful operations (%s; %s)", r.Config.label(), r.Config.distance()),
		Name: "quorum-latency-" + viz.Slug(r.Config.label())}, r.ReadLatency, r.WriteLatency)
}

// AroundFirstFault asks MessagesFigure for the messages from just before
// the first fault (or from 2s in, when there is none).
const AroundFirstFault sim.Time = 0

// MessagesFigure draws the messages of a short slice of the run as a
// sequence diagram: from `from` (AroundFirstFault: 100ms before the first
// fault's start, or 2s in), the first 40 messages.
func (r *Result) MessagesFigure(from sim.Time) *viz.Figure {
	if from == 0 {
		from = 2 * sim.Second
		if len(r.Spans) > 0 {
			from = max(0, r.Spans[0].From-100*sim.Millisecond)
		}
	}
	return viz.Messages(r.net, viz.Options{Title: fmt.Sprintf("Messages (%s): clients (c), replicas (r), standbys (s)", r.Config.label()), Name: "quorum-messages-" + viz.Slug(r.Config.label()),
		Spans: clipSpans(r.Spans, from)}, from, 0, 40)
}

func clipSpans(spans []viz.Span, from sim.Time) []viz.Span {
	var out []viz.Span
	for _, s := range spans {
		if s.To > from {
			out = append(out, viz.Span{From: max(s.From, from), To: s.To, Label: s.Label})
		}
	}
	return out
}

// Trace is the network's message log (the first few thousand messages).
func (r *Result) Trace() string { return r.net.TraceText() }

// CompareTable puts runs side by side: latency, failures, consistency.
func CompareTable(names []string, results ...*Result) *metrics.Table {
	t, row := describe.SideBySide(names, results)
	row("model (N, R, W)", func(r *Result) any {
		return fmt.Sprintf("%s (%d, %d, %d)", r.Config.label(), r.Config.Nodes, r.Config.R, r.Config.W)
	})
	row("network latency", func(r *Result) any { return r.Config.NetworkLatency.String() })
	row("regions", func(r *Result) any {
		if r.Config.Regions <= 1 {
			return "1"
		}
		return fmt.Sprintf("%d, %v inside", r.Config.Regions, r.Config.LocalLatency)
	})
	row("read mean / p99", func(r *Result) any {
		return fmt.Sprintf("%v / %v", ms(r.ReadLatency.Mean()), ms(r.ReadLatency.Quantile(0.99)))
	})
	row("write mean / p99", func(r *Result) any {
		return fmt.Sprintf("%v / %v", ms(r.WriteLatency.Mean()), ms(r.WriteLatency.Quantile(0.99)))
	})
	row("failed operations", func(r *Result) any {
		return metrics.Pct(metrics.Ratio(r.FailedReads+r.FailedWrites, r.Reads+r.Writes))
	})
	row("stale reads", func(r *Result) any { return r.StaleReads })
	row("inverted reads", func(r *Result) any { return r.InvertedReads })
	row("lost writes", func(r *Result) any { return r.LostWrites })
	row("linearizable", func(r *Result) any { return string(r.Check) })
	return t
}
