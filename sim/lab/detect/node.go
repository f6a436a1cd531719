package detect

import (
	"time"

	"dsim/sim/lab"
)

// Suspicion is what a node reports (lab.Env.Observe) each time one of its
// detectors changes its mind about a peer: it suspects it, or trusts it
// again when a heartbeat arrives.
type Suspicion struct {
	Peer     string
	Detector int // index in Config.Detectors
	Suspect  bool
}

// Node sends a heartbeat to every peer each Interval, runs every detector
// of its Config on every peer, and answers the echo workload's requests
// (the lab's clients need a node that answers something).
type Node struct {
	cfg     Config
	e       *lab.Env
	watches []*watch
	devs    []float64 // phi detectors: Deviations(threshold), once
}

// watch is what a node knows of one peer.
type watch struct {
	peer    string
	last    time.Duration // the node's clock at the last arrival (or at start)
	seen    bool          // a heartbeat has arrived
	gaps    *window
	gen     int // arrivals so far: a deadline timer of an older one is stale
	suspect []bool
	timers  []lab.Timer
}

// New returns a heartbeat node with cfg, which must be valid
// (Config.Validate).
func New(cfg Config) *Node {
	cfg = cfg.withDefaults()
	n := &Node{cfg: cfg, devs: make([]float64, len(cfg.Detectors))}
	for i, d := range cfg.Detectors {
		if d.Kind == Phi {
			n.devs[i] = Deviations(d.Threshold)
		}
	}
	return n
}

func (n *Node) Start(e *lab.Env) {
	n.e = e
	n.watches = nil
	for _, p := range e.Nodes() {
		if p == e.ID() {
			continue
		}
		// A peer not heard from yet is given the benefit of the doubt from
		// the start, as if a heartbeat had just come.
		w := &watch{peer: p, last: e.Now(), gaps: newWindow(n.cfg.Window),
			suspect: make([]bool, len(n.cfg.Detectors)), timers: make([]lab.Timer, len(n.cfg.Detectors))}
		n.watches = append(n.watches, w)
		n.arm(w)
	}
	n.beat()
	e.Every(n.cfg.Interval, n.beat)
}

func (n *Node) beat() {
	for _, w := range n.watches {
		n.e.Send(w.peer, lab.Body{Type: "heartbeat"})
	}
}

func (n *Node) Receive(e *lab.Env, m lab.Message) {
	switch m.Body.Type {
	case "heartbeat":
		for _, w := range n.watches {
			if w.peer == m.Src {
				n.arrive(w)
			}
		}
	case "echo":
		e.Reply(m, lab.Body{Type: "echo_ok", Echo: m.Body.Echo})
	}
}

// arrive takes a heartbeat of w's peer: its gap joins the window, every
// detector that suspected the peer trusts it again, and every deadline
// starts over.
func (n *Node) arrive(w *watch) {
	now := n.e.Now()
	if w.seen {
		w.gaps.add(now - w.last)
	}
	w.seen, w.last = true, now
	for i := range w.suspect {
		if w.suspect[i] {
			w.suspect[i] = false
			n.e.Observe(Suspicion{Peer: w.peer, Detector: i})
		}
	}
	n.arm(w)
}

// arm sets each detector's deadline: the moment, counted from the last
// arrival, at which it would suspect the peer if nothing else came. For
// phi that moment is exact, not polled: phi only grows between arrivals,
// so it passes the threshold once, mean + Deviations*std after the last.
func (n *Node) arm(w *watch) {
	w.gen++
	gen := w.gen
	mean, std := w.gaps.stats(n.cfg.Interval)
	std = max(std, n.cfg.MinStdDev)
	for i, d := range n.cfg.Detectors {
		after := d.Timeout
		if d.Kind == Phi {
			after = mean + time.Duration(n.devs[i]*float64(std))
		}
		// The deadline is on the node's clock, from the last arrival; a
		// pause may have eaten some of it already.
		wait := max(w.last+after-n.e.Now(), 0)
		w.timers[i].Stop()
		w.timers[i] = n.e.After(wait, func() {
			if w.gen != gen || w.suspect[i] {
				return
			}
			w.suspect[i] = true
			n.e.Observe(Suspicion{Peer: w.peer, Detector: i, Suspect: true})
		})
	}
}
