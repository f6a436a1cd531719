package lab

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"time"

	"dsim/sim"
	"dsim/sim/lab/internal/bounds"
)

// Nemesis is the spec a fault schedule is drawn from: which kinds of
// fault, how often, how long. The draw uses its own stream of the seed
// ("lab/nemesis"), so the same seed gives the same schedule whatever the
// node does.
type Nemesis struct {
	// Kinds are the fault kinds drawn from, each as likely (FaultKinds
	// lists them all). Empty: no faults.
	Kinds []string
	// Interval is the mean time from one fault's start to the next
	// (exponential gaps, the first from time zero); default 2s.
	Interval time.Duration
	// Length is the mean length of a fault (exponential, at least a tenth
	// of it); default 1s. No fault outlasts the test's Duration.
	Length time.Duration
	// Max bounds the faults of one schedule; default 50.
	Max int
}

// MaxFaults bounds a schedule, drawn or given.
const MaxFaults = 10_000

func (n Nemesis) withDefaults() Nemesis {
	n.Interval = cmp.Or(n.Interval, 2*time.Second)
	n.Length = cmp.Or(n.Length, time.Second)
	n.Max = cmp.Or(n.Max, 50)
	return n
}

func (n Nemesis) validate() error {
	for i, k := range n.Kinds {
		ok := false
		for _, known := range FaultKinds() {
			ok = ok || k == known
		}
		if !ok {
			return fmt.Errorf("lab: Nemesis.Kinds[%d]=%q: must be one of %s", i, k, quoteList(FaultKinds()))
		}
	}
	return cmp.Or(
		bounds.In("lab", "Nemesis.Interval", n.Interval, time.Millisecond, MaxDuration),
		bounds.In("lab", "Nemesis.Length", n.Length, time.Millisecond, MaxDuration),
		bounds.In("lab", "Nemesis.Max", n.Max, 0, MaxFaults),
	)
}

// Draw draws the fault schedule of test t: t.Faults when it is set, else
// one drawn from t.Nemesis and t.Seed. Faults are in order of their start.
func Draw(t Test) (Schedule, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return t.withDefaults().schedule(), nil
}

func (t Test) schedule() Schedule {
	if t.Faults != nil {
		return append(Schedule(nil), t.Faults...)
	}
	n := t.Nemesis
	if len(n.Kinds) == 0 {
		return Schedule{}
	}
	r := sim.Stream(t.Seed, "lab/nemesis")
	nodes := t.nodeIDs()
	out := Schedule{}
	at := time.Duration(0)
	for len(out) < n.Max {
		at += time.Duration(r.ExpFloat64() * float64(n.Interval))
		if at >= t.Duration {
			break
		}
		length := max(time.Duration(r.ExpFloat64()*float64(n.Length)), n.Length/10)
		length = min(length, t.Duration-at)
		f, ok := drawFault(r, n.Kinds[r.IntN(len(n.Kinds))], nodes)
		if !ok || length <= 0 {
			continue
		}
		f.Window = sim.Window{Start: at.Round(time.Millisecond), Duration: max(length.Round(time.Millisecond), time.Millisecond)}
		out = append(out, f)
	}
	return out
}

// drawFault draws the particulars of a fault of one kind; false when the
// cluster is too small for it.
func drawFault(r *rand.Rand, kind string, nodes []string) (Fault, bool) {
	n := len(nodes)
	shuffled := append([]string(nil), nodes...)
	r.Shuffle(n, func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	some := func(k int) []string { return sorted(shuffled[:k]) }
	f := Fault{Kind: kind}
	switch kind {
	case FaultPartition:
		if n < 2 {
			return f, false
		}
		shapes := []string{"halves", "majority"}
		if n >= 3 {
			shapes = append(shapes, "bridge")
		}
		f.Shape = shapes[r.IntN(len(shapes))]
		switch f.Shape {
		case "halves":
			f.Sides = [][]string{sorted(shuffled[:n/2]), sorted(shuffled[n/2:])}
		case "majority":
			k := 1 + r.IntN(max(1, (n-1)/2))
			f.Sides = [][]string{sorted(shuffled[:k]), sorted(shuffled[k:])}
		case "bridge":
			// The first node talks to both sides; the sides do not talk.
			rest := shuffled[1:]
			f.Sides = [][]string{sorted(rest[:len(rest)/2]), sorted(rest[len(rest)/2:])}
		}
	case FaultOneWay:
		if n < 2 {
			return f, false
		}
		k := 1 + r.IntN(n-1)
		f.From, f.To = sorted(shuffled[:k]), sorted(shuffled[k:])
	case FaultCrash:
		f.Nodes = some(1 + r.IntN(max(1, (n+1)/2)))
		f.Keep = r.IntN(2) == 0
	case FaultPause:
		f.Nodes = some(1 + r.IntN(max(1, n/2)))
	case FaultClock:
		f.Nodes = some(1 + r.IntN(max(1, n/2)))
		sign := time.Duration(1 - 2*r.IntN(2))
		if r.IntN(2) == 0 {
			f.Jump = sign * (10*time.Millisecond + time.Duration(r.Int64N(int64(time.Second)))).Round(time.Millisecond)
		} else {
			f.Drift = float64(sign) * (0.001 + 0.049*r.Float64())
			f.Drift = float64(int64(f.Drift*1e4)) / 1e4
		}
	case FaultLoss, FaultDuplicate:
		f.Rate = float64(10+r.IntN(41)) / 100
	case FaultSlow:
		f.Nodes = some(1)
		f.Delay = time.Duration(20+r.IntN(181)) * time.Millisecond
	}
	return f, true
}

func sorted(names []string) []string {
	out := append([]string(nil), names...)
	// Node names are n0..n63: order by number, not by text (n10 after n9).
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && nodeLess(out[j], out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func nodeLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}
