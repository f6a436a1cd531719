package crdt

import (
	"fmt"
	"time"

	"dsim/sim"
)

// Split is what a partition did to the replicas, read from the run's
// samples (every Window): when the operations stopped, whether each half
// settled on one state before the heal, how many states the replicas held
// at the heal, and how soon after it they agreed. Its sentence says only
// what the samples show, whatever the configuration.
type Split struct {
	Replicas    int
	Start, Heal time.Duration // the partition window
	LastOp      time.Duration // when the last operation was applied
	End         time.Duration // when the run ended
	// HalvesAgreed is the time from which, until the heal, each half held
	// a single state at every sample (-1: not so at the last sample before
	// the heal).
	HalvesAgreed time.Duration
	// StatesAtHeal and MostInHalf are the distinct states among all
	// replicas, and the most within one half, at the last sample before
	// the heal.
	StatesAtHeal, MostInHalf int
	// Healed says the run went on past the heal; AgreedAfter is then the
	// time from the heal until every replica held the same state (-1: not
	// by the end of the run).
	Healed      bool
	AgreedAfter time.Duration
}

// Split reads the partition's effect from the samples; ok is false when
// the run had no partition or ended before its first sample inside it.
func (r *Result) Split() (s Split, ok bool) {
	p := r.Config.Partition
	if p.Duration == 0 || r.HalfDivergence == nil {
		return Split{}, false
	}
	s = Split{Replicas: r.Config.Replicas, Start: p.Start, Heal: p.End(), LastOp: r.LastOp.Duration(),
		End: r.End.Duration(), HalvesAgreed: -1, AgreedAfter: -1}
	from, heal := sim.FromDuration(p.Start), sim.FromDuration(p.End())
	d, h := r.Divergence, r.HalfDivergence
	last := -1
	for i, t := range h.T {
		if t >= from && t < heal {
			last = i
		}
	}
	if last < 0 {
		return Split{}, false
	}
	s.StatesAtHeal, s.MostInHalf = int(d.V[last]), int(h.V[last])
	for i := last; i >= 0 && h.T[i] >= from && h.V[i] == 1; i-- {
		s.HalvesAgreed = h.T[i].Duration()
	}
	s.Healed = r.End >= heal
	if s.Healed && r.Converged {
		s.AgreedAfter = (r.ConvergedAt - heal).Duration()
	}
	return s, true
}

// String tells the partition's story in a few sentences.
func (s Split) String() string {
	ms := func(d time.Duration) time.Duration { return d.Round(100 * time.Millisecond) }
	out := fmt.Sprintf("The replicas were split in two halves from %v to %v. ", ms(s.Start), ms(s.Heal))
	if s.LastOp < s.Heal {
		out += fmt.Sprintf("Operations stopped at %v, inside the partition. ", ms(s.LastOp))
	} else {
		out += fmt.Sprintf("Operations went on until %v, after the heal. ", ms(s.LastOp))
	}
	switch {
	case s.HalvesAgreed >= 0 && s.StatesAtHeal == 2:
		out += fmt.Sprintf("From %v each half held a single state, and the %d replicas held 2 distinct states, one per half, until the heal. ",
			ms(s.HalvesAgreed), s.Replicas)
	case s.HalvesAgreed >= 0:
		out += fmt.Sprintf("From %v each half held a single state; at the heal the %d replicas held %d distinct state(s). ",
			ms(s.HalvesAgreed), s.Replicas, s.StatesAtHeal)
	default:
		out += fmt.Sprintf("The halves had not settled by the heal: just before it one half held %d distinct states, and all %d replicas %d. ",
			s.MostInHalf, s.Replicas, s.StatesAtHeal)
	}
	switch {
	case !s.Healed:
		out += "The run ended before the heal."
	case s.AgreedAfter >= 0:
		out += fmt.Sprintf("All %d agreed %v after the heal.", s.Replicas, s.AgreedAfter.Round(time.Millisecond))
	default:
		out += fmt.Sprintf("They still disagreed when the run ended, %v after the heal.", ms(s.End-s.Heal))
	}
	return out
}

// Markdown is the story for a notebook.
func (s Split) Markdown() string { return s.String() }
