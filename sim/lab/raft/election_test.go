package raft

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"dsim/sim/dist"
	"dsim/sim/internal/simtest"
)

// electionTrials is 200 in go test, 1,000 (the paper's count) under
// make soak (DSIM_SOAK=1).
func electionTrials() int {
	if os.Getenv("DSIM_SOAK") != "" {
		return 1000
	}
	return 200
}

func statsOf(t *testing.T, st []ElectionStats, r string) ElectionStats {
	t.Helper()
	for _, s := range st {
		if s.Range.String() == r {
			return s
		}
	}
	t.Fatalf("no range %s", r)
	return ElectionStats{}
}

// The paper's Figure 16, qualitatively (§9.3): with no randomness the
// votes split and no trial elects within the cap; 5 ms of randomness
// elects in every trial, far sooner; more randomness shortens the worst
// case; and 12-24 ms elects fastest of the T-2T ranges.
func TestElectionTimesReproduceFigure16(t *testing.T) {
	n := electionTrials()
	st, err := ElectionTimes(Election{}, append(RandomnessRanges(), ScaleRanges()[:4]...), n, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range st {
		t.Log(s)
	}
	none, five, fifty := statsOf(t, st, "150-150ms"), statsOf(t, st, "150-155ms"), statsOf(t, st, "150-200ms")
	if one := statsOf(t, st, "150-151ms"); one.NoLeader < n/10 {
		t.Errorf("150-151ms: %d of %d trials without a leader; one millisecond should leave many", one.NoLeader, n)
	}
	if none.NoLeader != n || none.SplitVotes < 10*n {
		t.Errorf("150-150ms: %d of %d trials without a leader, %d split votes; want all, split", none.NoLeader, n, none.SplitVotes)
	}
	if five.NoLeader != 0 || five.Median > none.Median/5 || five.SplitVotes == 0 {
		t.Errorf("150-155ms should elect in every trial, 5x sooner than 150-150ms, after split votes: %v", five)
	}
	if fifty.Max >= five.Max || fifty.Max > time.Second {
		t.Errorf("150-200ms worst case %v should be under a second and under 150-155ms's %v", fifty.Max, five.Max)
	}
	fast := statsOf(t, st, "12-24ms")
	for _, r := range []string{"25-50ms", "50-100ms", "100-200ms"} {
		if s := statsOf(t, st, r); fast.Median >= s.Median {
			t.Errorf("12-24ms median %v is not below %s's %v", fast.Median, r, s.Median)
		}
	}
	switch n {
	case 200:
		readmeElection(t, st)
	case 1000:
		readmeSoak(t, st)
	}
	// The shortest possible time is about half the minimum timeout: the
	// crash comes at most a heartbeat (half of it) after the last one.
	for _, s := range st {
		if min := s.Range.Min / 2; s.Samples[0] < min-5*time.Millisecond {
			t.Errorf("%v: a trial took %v, below half the minimum timeout", s.Range, s.Samples[0])
		}
	}
}

// With the paper's broadcast time taken as a 15 ms network round trip,
// a RequestVote arrives later than 5 ms of randomness separates the
// candidates: 150-155 ms splits for seconds, and the shortest range
// stops being the fastest. The package doc says why the default differs.
func TestElectionWithA15msRoundTrip(t *testing.T) {
	slow := Election{Latency: dist.MustParse("uniform(6ms, 9ms)"), WriteLatency: time.Millisecond}
	ms := time.Millisecond
	st, err := ElectionTimes(slow, []Range{{150 * ms, 155 * ms}, {12 * ms, 24 * ms}, {25 * ms, 50 * ms}}, 200, 1)
	if err != nil {
		t.Fatal(err)
	}
	if st[0].Median < time.Second || st[1].Median < st[2].Median {
		t.Errorf("with a 15 ms round trip: %v; %v; %v", st[0], st[1], st[2])
	}
	readmeSays(t, fmt.Sprintf("gives 150-155 ms a median of %.1f s and makes 12-24 ms slower than 25-50 ms (medians %d against %d ms)",
		st[0].Median.Seconds(), st[1].Median.Round(ms).Milliseconds(), st[2].Median.Round(ms).Milliseconds()))
}

func TestElectionTimesIsDeterministic(t *testing.T) {
	r := []Range{{150 * time.Millisecond, 155 * time.Millisecond}}
	simtest.SameAcrossProcs(t, func() string {
		a, err := ElectionTimes(Election{}, r, 20, 9)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(a[0].Samples)
	})
}

func TestElectionTimesValidates(t *testing.T) {
	ms := time.Millisecond
	ok := []Range{{150 * ms, 300 * ms}}
	bad := []struct {
		setup  Election
		ranges []Range
		trials int
		want   string
	}{
		{Election{Logs: []int{1, 1}}, ok, 1, "Election.Logs has 2 servers"},
		{Election{Logs: []int{1, 2, 1}}, ok, 1, "Election.Logs[1]=2"},
		{Election{Logs: []int{1, -1, 1}}, ok, 1, "Election.Logs[1]=-1"},
		{Election{Cap: -1}, ok, 1, "Election.Cap=-1ns"},
		{Election{WriteLatency: -ms}, ok, 1, "Election.WriteLatency=-1ms"},
		{Election{Latency: dist.MustParse("normal(1ms, 10ms)")}, ok, 1, "Election.Latency="},
		{Election{}, nil, 1, "ranges is empty"},
		{Election{}, []Range{{0, 10 * ms}}, 1, "ranges[0]=0-10ms"},
		{Election{}, []Range{{20 * ms, 10 * ms}}, 1, "ranges[0]=20-10ms"},
		{Election{}, []Range{{}}, 1, "ranges[0]=0-0ms: Min and Max must be set"},
		{Election{}, ok, 0, "trials=0"},
		{Election{}, ok, MaxTrials + 1, "trials=100001"},
	}
	for _, b := range bad {
		_, err := ElectionTimes(b.setup, b.ranges, b.trials, 1)
		if err == nil || !strings.HasPrefix(err.Error(), "raft: ") || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%+v %v %d: %v, want %q", b.setup, b.ranges, b.trials, err, b.want)
		}
	}
}

// A trial with no leader stops at its cap, counted, and the figure says
// so.
func TestElectionCapIsReported(t *testing.T) {
	st, err := ElectionTimes(Election{Cap: 500 * time.Millisecond}, []Range{{150 * time.Millisecond, 150 * time.Millisecond}}, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	s := st[0]
	if s.NoLeader != 3 || s.Max != 500*time.Millisecond || !s.Censored(0.5) || !strings.Contains(s.String(), "≥500ms") {
		t.Fatalf("%v", s)
	}
	f := ElectionFigure(st, "no randomness")
	if f == nil {
		t.Fatal("no figure")
	}
}

// The figures draw to PNG: a few trials into a temporary folder, or the
// test's number of trials into DSIM_FIGURES, to look at.
func TestElectionFigurePNG(t *testing.T) {
	out, trials := os.Getenv("DSIM_FIGURES"), electionTrials()
	if out == "" {
		out, trials = t.TempDir(), 20
	}
	for i, group := range [][]Range{RandomnessRanges(), ScaleRanges()} {
		st, err := ElectionTimes(Election{}, group, trials, 1)
		if err != nil {
			t.Fatal(err)
		}
		name := []string{"randomness", "scale"}[i]
		path := out + "/election-" + name + ".png"
		if err := ElectionFigure(st, "Election time, "+name).Save(path); err != nil {
			t.Fatal(err)
		}
		if info, err := os.Stat(path); err != nil || info.Size() < 1000 {
			t.Fatalf("%s: %v, %v", path, info, err)
		}
	}
}

// A cancelled context stops the experiment with the context's error.
func TestElectionTimesStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ElectionTimesContext(ctx, Election{}, RandomnessRanges(), 100, 1)
	if !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
}
