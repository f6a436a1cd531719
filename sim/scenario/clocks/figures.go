package clocks

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"dsim/sim"
	"dsim/sim/net"
	"dsim/sim/viz"
)

// Show picks the timestamps a space-time diagram writes beside each event;
// add them up to show several.
type Show int

const (
	ShowLamport  Show = 1 << iota // Lamport time: "3"
	ShowVector                    // vector time: "[1,2,0]"
	ShowPhysical                  // the process's clock, in seconds: "1.234s"
)

// maxDiagram bounds the events a space-time diagram draws: past a few
// dozen, labels overlap and the diagram shows nothing. Figures draws the
// first figureEvents.
const (
	maxDiagram   = 60
	figureEvents = 30
)

// Figures are the lesson's plots: the clocks' errors, the space-time
// diagram of the first 30 events with their Lamport and vector timestamps,
// what the order of the clocks costs, and with clients what they saw.
func (r *Result) Figures() []*viz.Figure {
	to := time.Duration(0)
	if len(r.Events) > figureEvents {
		to = r.Events[figureEvents].At.Duration()
	}
	figs := []*viz.Figure{r.ClockFigure(), r.SpaceTimeFigure(ShowLamport|ShowVector, 0, to), r.OrderFigure()}
	if r.Config.Clients > 0 {
		figs = append(figs, r.SessionFigure())
	}
	return figs
}

// ClockFigure draws each process's clock error over time: its clock minus
// true time. Without synchronisation each line is straight, its slope the
// clock's drift; with it, a saw-tooth held near zero.
func (r *Result) ClockFigure() *viz.Figure {
	c := r.Config
	sync, name := "never synchronised", "clocks-error"
	if c.SyncPeriod > 0 {
		sync, name = "synchronised every "+c.SyncPeriod.String(), "clocks-error-synced"
	}
	o := viz.Options{Title: fmt.Sprintf("Clock error per process (±%v, ±%gppm, %s)", c.Skew, c.DriftPPM, sync),
		YLabel: "clock minus true time (ms)", Name: name, End: r.End}
	if len(r.Syncs) > 0 {
		o.Note = fmt.Sprintf("Cristian's bound after a sync: at most %v", r.MaxSyncBound().Round(10*time.Microsecond))
	}
	return viz.Lines(o, r.ClockError...)
}

// SpaceTimeFigure draws the space-time diagram of the events from from to
// to (to = 0: the end), at most 60 of them: a lane per process and client,
// time flowing down, an arrow per message, each event a mark (writes are
// squares) with the timestamps show asks for. With ShowPhysical, messages
// that arrived at an earlier clock reading than they left at are drawn in
// a colour of their own.
func (r *Result) SpaceTimeFigure(show Show, from, to time.Duration) *viz.Figure {
	lo, hi := sim.FromDuration(from), sim.FromDuration(to)
	if to <= 0 {
		hi = sim.MaxTime
	}
	var events []viz.Event
	drawn := map[int]bool{} // events drawn, by index
	last := sim.Time(0)
	for _, e := range r.Events {
		if e.At < lo || e.At >= hi {
			continue
		}
		if len(events) == maxDiagram {
			break
		}
		events = append(events, viz.Event{Lane: e.Proc, At: e.At, Label: label(e, show), Square: e.Kind == Write})
		drawn[e.Index] = true
		last = e.At
	}
	var arrows, backward []viz.Arrow
	for _, e := range r.Events {
		if e.Kind != Send || !drawn[e.Index] {
			continue
		}
		m := r.message(e.Msg)
		kind := m.Kind
		at := m.At
		switch {
		case m.Fate == net.InFlight:
			at = r.End
		case m.Fate == net.Delivered && m.At > last:
			continue // arrives after the last event drawn
		}
		a := viz.Arrow{From: int(m.From), To: int(m.To), Sent: m.Sent, At: at, Label: kind,
			Dropped: m.Fate != net.Delivered && m.Fate != net.InFlight}
		if show&ShowPhysical != 0 && m.Fate == net.Delivered && r.backward(m) {
			// Last, so that the colours of the ordinary kinds come first.
			a.Label = "arrived at an earlier clock"
			backward = append(backward, a)
			continue
		}
		arrows = append(arrows, a)
	}
	arrows = append(arrows, backward...)
	title := fmt.Sprintf("Space-time diagram: %d events, %s", len(events), showText(show))
	return viz.SpaceTime(viz.Options{Title: title, Name: "clocks-spacetime", End: r.End}, r.Lanes, arrows, events)
}

// message returns the trace's record of message id.
func (r *Result) message(id int64) net.Record {
	i := sort.Search(len(r.Trace), func(i int) bool { return r.Trace[i].ID >= id })
	return r.Trace[i]
}

// backward reports whether a delivered message arrived at an earlier
// clock reading than it left at.
func (r *Result) backward(m net.Record) bool {
	for _, e := range r.Events {
		if e.Kind == Receive && e.Msg == m.ID {
			return e.Clock < r.sendOf(e).Clock
		}
	}
	return false
}

func label(e Event, show Show) string {
	var parts []string
	if e.Kind == Write {
		parts = append(parts, "w"+strconv.Itoa(e.Write))
	}
	if show&ShowLamport != 0 {
		parts = append(parts, strconv.FormatInt(e.Lamport, 10))
	}
	if show&ShowVector != 0 {
		v := make([]string, len(e.Vector))
		for i, x := range e.Vector {
			v[i] = strconv.Itoa(x)
		}
		parts = append(parts, "["+strings.Join(v, ",")+"]")
	}
	if show&ShowPhysical != 0 {
		parts = append(parts, fmt.Sprintf("%.3fs", e.Clock.Seconds()))
	}
	return strings.Join(parts, " ")
}

func showText(show Show) string {
	var s []string
	if show&ShowLamport != 0 {
		s = append(s, "Lamport")
	}
	if show&ShowVector != 0 {
		s = append(s, "vector")
	}
	if show&ShowPhysical != 0 {
		s = append(s, "physical")
	}
	if len(s) == 0 {
		return "no timestamps"
	}
	return strings.Join(s, " and ") + " timestamps"
}

// OrderFigure draws what ordering by clocks cost the run, as shares:
// messages that arrived "before" they left by the clocks, and the writes
// last writer wins would lose under each kind of stamp.
func (r *Result) OrderFigure() *viz.Figure {
	o := r.Order
	pct := func(a, b int) float64 {
		if b == 0 {
			return 0
		}
		return 100 * float64(a) / float64(b)
	}
	f := viz.Bars(viz.Options{Title: fmt.Sprintf("Order by clocks: %d messages between processes, %d writes", o.Delivered, o.Writes),
		YLabel: "share (%)", Name: "clocks-order"},
		[]string{"messages at an earlier clock", "writes lost: physical stamps", "writes lost: Lamport stamps"},
		[]float64{pct(o.Backward, o.Delivered), pct(o.LostPhysical, o.Writes), pct(o.LostLamport, o.Writes)})
	f.Plot.Y.Min, f.Plot.Y.Max = 0, 100
	return f
}

// SessionFigure draws the clients' reads: answered, stale by each
// guarantee, and the operations refused or timed out.
func (r *Result) SessionFigure() *viz.Figure {
	s := r.Sessions
	tokens, name := "without session tokens", "clocks-sessions"
	if r.Config.Tokens {
		tokens, name = "with session tokens", "clocks-sessions-tokens"
	}
	return viz.Bars(viz.Options{Title: fmt.Sprintf("Client reads %s (%d clients, %d processes)", tokens, r.Config.Clients, r.Config.Processes),
		YLabel: "operations", Name: name},
		[]string{"reads", "missed own write", "went back in time", "refused", "timed out"},
		[]float64{float64(s.Reads), float64(s.ReadYourWrites), float64(s.MonotonicReads), float64(s.Refused), float64(s.TimedOut)})
}
