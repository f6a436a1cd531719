package lab

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Shrunk is the smallest failing case a shrink found, and how it got
// there.
type Shrunk struct {
	Case   *Case
	Result *Result // its run
	Runs   int     // runs the shrink made
	Steps  []string
}

// String lists the shrink's steps and the case it ended with.
func (s *Shrunk) String() string {
	t := s.Case.Test
	var b strings.Builder
	fmt.Fprintf(&b, "shrunk in %d runs to %d nodes, %d clients, %v, %d faults (seed %d): %s\n", s.Runs, t.Nodes, t.Clients, t.Duration, len(t.Faults), t.Seed, s.Case.Failure)
	for _, st := range s.Steps {
		fmt.Fprintf(&b, "  %s\n", st)
	}
	b.WriteString(indent(t.Faults.String()))
	return b.String()
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return "  " + strings.Join(lines, "\n  ") + "\n"
}

// DefaultShrinkRuns bounds a shrink's runs when Shrink is given none.
const DefaultShrinkRuns = 500

// Shrink looks for a smaller case that fails the same way (the same
// checkers find violations, or a node breaks the run with the same
// cause), in the spirit of delta debugging: it drops faults (halves of
// the schedule, then quarters, down to single ones), shortens each
// remaining fault, shortens the workload, takes clients away, lowers the
// rate, and takes nodes away (the last one, and its mentions in the
// faults), keeping every change after which the run still fails, until
// nothing more can go or maxRuns runs are spent (0: DefaultShrinkRuns).
// The seed stays the same. The case's node code must be set (Test.New,
// or a reference node's name).
func Shrink(c *Case, maxRuns int) (*Shrunk, error) {
	return ShrinkContext(context.Background(), c, maxRuns)
}

// ShrinkContext is Shrink, stopped when ctx is done (returning the
// smallest case so far).
func ShrinkContext(ctx context.Context, c *Case, maxRuns int) (*Shrunk, error) {
	if maxRuns == 0 {
		maxRuns = DefaultShrinkRuns
	}
	if maxRuns < 0 || maxRuns > 1_000_000 {
		return nil, fmt.Errorf("lab: maxRuns=%d: must be in [1, 1000000]", maxRuns)
	}
	r, err := RunContext(ctx, c.Test)
	if r == nil {
		return nil, err
	}
	if r.OK() {
		return nil, fmt.Errorf("lab: the case passes (seed %d): there is nothing to shrink", c.Test.Seed)
	}
	s := &shrinker{ctx: ctx, want: signature(r), max: maxRuns, out: &Shrunk{Case: NewCase(r), Result: r, Runs: 1}}
	s.run()
	return s.out, nil
}

type shrinker struct {
	ctx  context.Context
	want []string
	max  int
	out  *Shrunk
	sc   scratch // the memory of candidates that are not kept
}

// signature is how a run fails: the checkers that found violations, or
// the cause of a node's error.
func signature(r *Result) []string {
	if r.Err != nil {
		for _, cause := range []error{ErrPanic, ErrMalformed, ErrFlood, ErrSilent, ErrLimit, ErrUnknownDst} {
			if errors.Is(r.Err, cause) {
				return []string{"error: " + cause.Error()}
			}
		}
		return []string{"error"}
	}
	var out []string
	for _, v := range r.Verdicts {
		if v.Outcome == Invalid {
			out = append(out, v.Checker)
		}
	}
	return out
}

// try runs a candidate and keeps it if it still fails the same way.
func (s *shrinker) try(t Test, step string) bool {
	if s.out.Runs >= s.max || s.ctx.Err() != nil {
		return false
	}
	if t.Validate() != nil {
		return false
	}
	s.out.Runs++
	r, c, err := runTest(s.ctx, t, &s.sc)
	if r == nil || err != nil && r.Err == nil {
		return false
	}
	got := signature(r)
	same := false
	for _, g := range got {
		same = same || slices.Contains(s.want, g)
	}
	if !same {
		s.sc.reclaim(c)
		return false
	}
	s.out.Case, s.out.Result = NewCase(r), r
	s.out.Steps = append(s.out.Steps, step)
	return true
}

func (s *shrinker) cur() Test { return s.out.Case.Test }

func (s *shrinker) run() {
	for changed := true; changed && s.out.Runs < s.max && s.ctx.Err() == nil; {
		changed = s.dropFaults()
		changed = s.shortenFaults() || changed
		changed = s.earlierFaults() || changed
		changed = s.shortenWorkload() || changed
		changed = s.fewerClients() || changed
		changed = s.lowerRate() || changed
		changed = s.fewerNodes() || changed
	}
}

// dropFaults is Zeller and Hildebrandt's ddmin over the fault schedule:
// split it in n chunks, keep one chunk alone if that still fails, else
// drop one chunk if that does, else split finer; down to single faults.
func (s *shrinker) dropFaults() bool {
	changed := false
	if len(s.cur().Faults) > 0 {
		t := s.cur()
		t.Faults = Schedule{}
		if s.try(t, "dropped every fault") {
			return true
		}
	}
	n := 2
	for len(s.cur().Faults) >= 2 && s.out.Runs < s.max {
		faults := s.cur().Faults
		n = min(n, len(faults))
		chunks := split(faults, n)
		reduced := false
		for _, c := range chunks {
			t := s.cur()
			t.Faults = append(Schedule{}, c...)
			if s.try(t, fmt.Sprintf("kept only %d of %d faults: %s", len(c), len(faults), oneLine(c))) {
				n, reduced = 2, true
				break
			}
		}
		for i := 0; !reduced && n > 2 && i < len(chunks); i++ {
			t := s.cur()
			t.Faults = Schedule{}
			for j, c := range chunks {
				if j != i {
					t.Faults = append(t.Faults, c...)
				}
			}
			if s.try(t, fmt.Sprintf("dropped %d fault(s): %s", len(chunks[i]), oneLine(chunks[i]))) {
				n, reduced = max(n-1, 2), true
			}
		}
		if reduced {
			changed = true
			continue
		}
		if n >= len(faults) {
			break
		}
		n = min(2*n, len(faults))
	}
	return s.pairs() || changed
}

// pairs tries every fault alone and every pair, when ddmin left more than
// two: one fault often changes the timing of all that follows it, so a
// smaller subset can fail where no chunk of ddmin's did.
func (s *shrinker) pairs() bool {
	faults := s.cur().Faults
	if len(faults) <= 2 || len(faults) > 12 {
		return false
	}
	for i := range faults {
		for j := i; j < len(faults); j++ {
			t := s.cur()
			t.Faults = Schedule{faults[i]}
			if j > i {
				t.Faults = append(t.Faults, faults[j])
			}
			if s.try(t, fmt.Sprintf("kept only %d of %d faults: %s", len(t.Faults), len(faults), oneLine(t.Faults))) {
				return true
			}
		}
	}
	return false
}

// split cuts a schedule into n chunks of nearly equal length.
func split(faults Schedule, n int) []Schedule {
	var out []Schedule
	for i := 0; i < n; i++ {
		lo, hi := i*len(faults)/n, (i+1)*len(faults)/n
		if hi > lo {
			out = append(out, faults[lo:hi])
		}
	}
	return out
}

func oneLine(s Schedule) string {
	return strings.ReplaceAll(strings.TrimSpace(s.String()), "\n", "; ")
}

// repeat tries, again and again, the smaller test that step makes of the
// current one, while step can make one and the run still fails the same
// way. step changes the test it is given and names the change, or says
// the test cannot shrink that way. repeat reports whether a step was kept.
func (s *shrinker) repeat(step func(t *Test) (change string, ok bool)) bool {
	changed := false
	for {
		t := s.cur()
		change, ok := step(&t)
		if !ok || !s.try(t, change) {
			return changed
		}
		changed = true
	}
}

// shortenFaults halves each fault's length while the run still fails.
func (s *shrinker) shortenFaults() bool {
	changed := false
	for i := 0; i < len(s.cur().Faults); i++ {
		changed = s.repeat(func(t *Test) (string, bool) {
			f := t.Faults[i]
			d := f.Duration
			if d == 0 {
				d = t.Duration - f.Start
			}
			if d <= 10*time.Millisecond {
				return "", false
			}
			t.Faults = append(Schedule{}, t.Faults...)
			t.Faults[i].Duration = (d / 2).Round(time.Millisecond)
			return fmt.Sprintf("shortened fault %d to %v", i+1, t.Faults[i].Duration), true
		}) || changed
	}
	return changed
}

// earlierFaults moves each fault to half its start while the run still
// fails, so that the workload can be shortened after it.
func (s *shrinker) earlierFaults() bool {
	changed := false
	for i := 0; i < len(s.cur().Faults); i++ {
		changed = s.repeat(func(t *Test) (string, bool) {
			if t.Faults[i].Start < 20*time.Millisecond {
				return "", false
			}
			start := (t.Faults[i].Start / 2).Round(time.Millisecond)
			t.Faults = append(Schedule{}, t.Faults...)
			t.Faults[i].Start = start
			return fmt.Sprintf("moved fault %d to %v", i+1, start), true
		}) || changed
	}
	return changed
}

// shortenWorkload halves the test's Duration (fewer operations), dropping
// the faults that start after it.
func (s *shrinker) shortenWorkload() bool {
	return s.repeat(func(t *Test) (string, bool) {
		d := (t.Duration / 2).Round(time.Millisecond)
		if d < 100*time.Millisecond {
			return "", false
		}
		t.Duration = d
		var kept Schedule
		for _, f := range t.Faults {
			if f.Start < d {
				kept = append(kept, f)
			}
		}
		t.Faults = append(Schedule{}, kept...)
		return fmt.Sprintf("shortened the workload to %v", d), true
	})
}

func (s *shrinker) fewerClients() bool {
	return s.repeat(func(t *Test) (string, bool) {
		if t.Clients <= 1 {
			return "", false
		}
		t.Clients--
		return fmt.Sprintf("%d client(s)", t.Clients), true
	})
}

func (s *shrinker) lowerRate() bool {
	return s.repeat(func(t *Test) (string, bool) {
		if t.Rate <= 1 {
			return "", false
		}
		t.Rate /= 2
		return fmt.Sprintf("rate %g/s", t.Rate), true
	})
}

// fewerNodes takes the last node away, and with it its mentions in the
// faults (a fault left without nodes goes too).
func (s *shrinker) fewerNodes() bool {
	return s.repeat(func(t *Test) (string, bool) {
		if t.Nodes <= 1 {
			return "", false
		}
		gone := fmt.Sprintf("n%d", t.Nodes-1)
		t.Nodes--
		t.Faults = withoutNode(t.Faults, gone)
		return fmt.Sprintf("%d node(s): %s removed", t.Nodes, gone), true
	})
}

func withoutNode(faults Schedule, gone string) Schedule {
	drop := func(list []string) []string {
		var out []string
		for _, n := range list {
			if n != gone {
				out = append(out, n)
			}
		}
		return out
	}
	out := Schedule{}
	for _, f := range faults {
		f.Nodes, f.From, f.To = drop(f.Nodes), drop(f.From), drop(f.To)
		var sides [][]string
		for _, side := range f.Sides {
			if side = drop(side); len(side) > 0 {
				sides = append(sides, side)
			}
		}
		f.Sides = sides
		switch f.Kind {
		case FaultPartition:
			if len(f.Sides) < 2 {
				continue
			}
		case FaultOneWay:
			if len(f.From) == 0 || len(f.To) == 0 {
				continue
			}
		case FaultCrash, FaultPause, FaultClock, FaultSlow:
			if len(f.Nodes) == 0 {
				continue
			}
		}
		out = append(out, f)
	}
	return out
}
