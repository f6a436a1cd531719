package viz

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"dsim/sim"
	"dsim/sim/lab"
	"dsim/sim/net"
)

// LabSpans turns a lab run's fault schedule into spans to shade, each
// labelled with its fault in words, healed by the end of the workload.
func LabSpans(r *lab.Result) []Span {
	var spans []Span
	for _, f := range r.Test.Faults {
		from := sim.FromDuration(f.Start)
		if from >= r.End {
			continue
		}
		to := r.End
		if f.Duration > 0 {
			to = min(to, sim.FromDuration(f.Window.End()))
		}
		label := f.String()
		if i := strings.LastIndex(label, " from "); i > 0 {
			label = label[:i]
		}
		spans = append(spans, Span{From: from, To: to, Label: label})
	}
	return spans
}

// violations returns the events of the history that the failed verdicts
// point at, by index.
func violations(r *lab.Result) map[int]bool {
	out := map[int]bool{}
	for _, v := range r.Verdicts {
		if v.Outcome != lab.Invalid {
			continue
		}
		for _, x := range v.Violations {
			for _, i := range x.Events {
				out[i] = true
			}
		}
	}
	return out
}

// violationWindow is the time around the first event a failed verdict
// points at, or the whole run.
func violationWindow(r *lab.Result) (from, to sim.Time) {
	first := sim.MaxTime
	for i := range violations(r) {
		if i >= 0 && i < len(r.History.Events) {
			first = min(first, r.History.Events[i].Time)
		}
	}
	if first == sim.MaxTime {
		return 0, 0
	}
	return max(0, first-150*sim.Millisecond), first + 100*sim.Millisecond
}

// LabMessages draws a lab run as a message-sequence (Lamport) diagram:
// a lane per node and per client, an arrow per message sent in [from, to)
// (dropped ones end in a cross), at most limit of them (0: 60), the
// faults shaded, and the events of the history that a failed checker
// points at marked as squares on their client's lane, with what they
// were. With from and to both zero it shows the time around the first
// such event (or the start of the run when none failed). The trace keeps
// the run's first Limits.Trace messages.
func LabMessages(r *lab.Result, o Options, from, to sim.Time, limit int) *Figure {
	if from == 0 && to == 0 {
		from, to = violationWindow(r)
	}
	if limit <= 0 {
		limit = 60
	}
	n := r.Network()
	now := n.Sim().Now()
	trace, _ := n.Trace()
	var arrows []Arrow
	for _, rec := range trace {
		if rec.Sent < from || (to > 0 && rec.Sent >= to) {
			continue
		}
		if len(arrows) == limit {
			break
		}
		at := rec.At
		if rec.Fate == net.InFlight {
			at = now
		}
		arrows = append(arrows, Arrow{From: int(rec.From), To: int(rec.To), Sent: rec.Sent, At: at, Label: rec.Kind, Dropped: rec.Fate != net.Delivered && rec.Fate != net.InFlight})
	}
	end := to
	if end == 0 {
		end = now
	}
	bad := violations(r)
	var events []Event
	for i := range bad {
		if i < 0 || i >= len(r.History.Events) {
			continue
		}
		e := r.History.Events[i]
		lane, ok := n.Lookup(e.Client)
		if !ok || e.Time < from || e.Time > end {
			continue
		}
		events = append(events, Event{Lane: int(lane), At: e.Time, Label: short(r.History.Line(e)), Square: true})
	}
	sortEvents(events)
	o.Title = cmp.Or(o.Title, "Messages between nodes and clients")
	if len(o.Spans) == 0 {
		for _, sp := range LabSpans(r) {
			if sp.To > from && (end == 0 || sp.From < end) {
				sp.From, sp.To = max(sp.From, from), min(sp.To, end)
				o.Spans = append(o.Spans, sp)
			}
		}
	}
	f := sequence(o, n.Names(), arrows, events)
	// The legend (kinds of message, faults in words) goes beside the
	// lanes, not over the last of them.
	f.Plot.X.Max = float64(len(n.Names())) - 0.5
	f.legendOut = true
	return f
}

// short keeps the end of a history line (what happened, not when), cut
// to fit beside a lane.
func short(line string) string {
	f := strings.Fields(line)
	if len(f) > 4 {
		f = f[4:] // drop time, client, type and node
	}
	s := strings.Join(f, " ")
	if len(s) > 28 {
		s = s[:27] + "…"
	}
	return s
}

func sortEvents(ev []Event) {
	for i := 1; i < len(ev); i++ {
		for j := i; j > 0 && (ev[j].At < ev[j-1].At || ev[j].At == ev[j-1].At && ev[j].Lane < ev[j-1].Lane); j-- {
			ev[j], ev[j-1] = ev[j-1], ev[j]
		}
	}
}

// LabTimeline draws each client's operations on its own row, over the
// run's time: a bar from invoke to completion, coloured by how it ended
// (ok, fail, or info: in doubt, drawn dashed to the end of the run since
// it may take effect any time after), the operations a failed checker
// points at drawn thick with a mark, and the faults shaded (each at least
// a few pixels wide). The quiet stretch between the end of the workload
// and the final reads is squeezed and greyed, so that both stay readable.
func LabTimeline(r *lab.Result, o Options) *Figure {
	// The axis ends with the last event (a workload without final reads
	// ends at r.End).
	last := r.End
	if ev := r.History.Events; len(ev) > 0 {
		last = max(last, ev[len(ev)-1].Time)
	}
	div, xlabel := timeScale(last)
	o.Title = cmp.Or(o.Title, "Operations by client")
	p := Default.newPlot(o.Title, or(o.XLabel, xlabel), or(o.YLabel, ""))
	if len(o.Spans) == 0 {
		o.Spans = LabSpans(r)
	}
	spans := addSpans(p, o.Spans, div)
	for _, s := range spans {
		s.shade.min = 3
	}
	clients := map[string]int{}
	var names []string
	for _, e := range r.History.Events {
		if _, ok := clients[e.Client]; !ok {
			clients[e.Client] = 0
			names = append(names, e.Client)
		}
	}
	// c0, c1, ..., c10: by length, then by name.
	sort.Slice(names, func(i, j int) bool {
		return len(names[i]) < len(names[j]) || len(names[i]) == len(names[j]) && names[i] < names[j]
	})
	for i, name := range names {
		clients[name] = i
	}
	bad := violations(r)
	tp := &opsPlotter{div: div, end: last}
	for _, op := range r.History.Ops() {
		ret := op.Return
		if op.Type == lab.Info {
			ret = last
		}
		tp.ops = append(tp.ops, opBar{row: clients[op.Client], from: op.Call, to: ret, kind: op.Type, bad: bad[op.Invoke] || bad[op.Complete]})
	}
	p.X.Min, p.X.Max = 0, math.Max(last.Seconds()/div, 1e-9)
	if a, b := r.End.Seconds()/div, r.FinalAt.Seconds()/div; b-a > 0.25*p.X.Max && p.X.Max > b && a > 0 {
		// The recovery is long and quiet: squeeze it.
		g := newGapScale(p.X.Min, a, b, p.X.Max)
		p.X.Scale, p.X.Tick.Marker = g, g
		p.Add(gapBand{from: a, to: b})
		p.Legend.Add("recovery (squeezed)", gapBand{})
	}
	p.Add(tp)
	for i, name := range []string{"ok", "fail", "info (in doubt)", "violation"} {
		p.Legend.Add(name, legendLine{tp.style(lab.EventType(i+1), i == 3)})
	}
	p.Y.Tick.Marker = laneTicks(names)
	p.Y.Min, p.Y.Max = -0.7, float64(len(names))-0.4
	p.Y.Scale = plot.InvertedScale{Normalizer: plot.LinearScale{}}
	f := finish(p, o, "operations", nil, len(tp.ops))
	f.spans = spans
	f.legendOut = true
	// A row per client, a figure no taller than the others.
	f.Height = vg.Length(math.Min(float64(Default.Height), float64(1.4*vg.Inch+vg.Length(len(names))*0.5*vg.Inch)))
	return f
}

type opBar struct {
	row      int
	from, to sim.Time
	kind     lab.EventType
	bad      bool
}

// opsPlotter draws the operations as bars, a client per row. Operations
// of one client that overlap in time (open-loop clients) are staggered
// within the row.
type opsPlotter struct {
	ops []opBar
	div float64
	end sim.Time
}

func (tp *opsPlotter) style(kind lab.EventType, bad bool) draw.LineStyle {
	st := draw.LineStyle{Width: 3, Color: Default.Color(0)}
	switch kind {
	case lab.Fail:
		st.Color = Default.Color(1)
	case lab.Info:
		st.Color, st.Dashes = color.Gray{Y: 0x99}, []vg.Length{2, 2}
	}
	if bad {
		st.Color, st.Width, st.Dashes = color.NRGBA{R: 0xC0, G: 0x10, B: 0x10, A: 0xFF}, 5, nil
	}
	return st
}

func (tp *opsPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	busy := map[int][]sim.Time{} // per row, the end of the last bar of each level
	for _, b := range tp.ops {
		level := 0
		ends := busy[b.row]
		for level < len(ends) && ends[level] > b.from {
			level++
		}
		if level == len(ends) {
			ends = append(ends, 0)
		}
		ends[level] = b.to
		busy[b.row] = ends
		y := trY(float64(b.row) - 0.18*float64(level%4))
		x0, x1 := trX(b.from.Seconds()/tp.div), trX(b.to.Seconds()/tp.div)
		if x1-x0 < 1.5 {
			x1 = x0 + 1.5
		}
		st := tp.style(b.kind, b.bad)
		c.StrokeLine2(st, x0, y, x1, y)
		if b.bad {
			c.DrawGlyph(draw.GlyphStyle{Color: st.Color, Radius: 4, Shape: draw.CrossGlyph{}}, vg.Point{X: x0, Y: y + 7})
		}
	}
}

// DataRange spans the run.
func (tp *opsPlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
	return 0, tp.end.Seconds() / tp.div, 0, 0
}

// LabFigures returns a lab run's standard figures: the operations by
// client, and the messages around the first violation (or the run's
// start).
func LabFigures(r *lab.Result) []*Figure {
	title := fmt.Sprintf("%s on %s, seed %d", r.Test.Workload, or(r.Test.Node, "a node"), r.Test.Seed)
	return []*Figure{
		LabTimeline(r, Options{Title: "Operations: " + title, Name: "lab-operations"}),
		LabMessages(r, Options{Title: "Messages: " + title, Name: "lab-messages"}, 0, 0, 0),
	}
}
