package raft

import (
	"strings"
	"testing"
)

// The logs figure names what each server was doing at the snapshot, just
// before the fault heals: a crashed leader is down, a paused one says so,
// a leader cut off with a minority is deposed once the majority elects
// another; and its indexes reach the end of the longest log.
func TestLogsFigureShowsEachServerAsItWasThen(t *testing.T) {
	want := map[string][]string{
		LeaderCrash:             {"n0 down t1"},
		LeaderPause:             {"n0 paused, deposed leader t1"},
		LeaderMinorityPartition: {"n0 deposed leader t1, cut off", "n1 follower t1, cut off"},
		MinorityPartition:       {"n0 leader t1", "n3 ", ", cut off"},
	}
	for _, sc := range FaultScenarios() {
		a, err := Availability(Config{}, sc, 1)
		if err != nil {
			t.Fatal(err)
		}
		s, ok := Logs(a.Result)
		if !ok {
			t.Fatalf("%s: no snapshot", sc)
		}
		f := LogsFigure(s, sc)
		lanes := f.Plot.Y.Tick.Marker.Ticks(0, 0)
		var labels []string
		for _, tk := range lanes {
			labels = append(labels, tk.Label)
		}
		all := strings.Join(labels, " | ")
		for _, w := range want[sc] {
			if !strings.Contains(all, w) {
				t.Errorf("%s: lanes %q lack %q", sc, all, w)
			}
		}
		for i, l := range labels {
			if strings.HasPrefix(l, "n0 leader") && s.Down[0] != "" {
				t.Errorf("%s: lane %d reads %q for a node that was %s", sc, i, l, s.Down[0])
			}
		}
		longest := 0
		for _, terms := range s.Terms {
			longest = max(longest, len(terms))
		}
		from, to := s.window()
		if to != longest || f.Plot.X.Max < float64(longest) || f.Plot.X.Min > float64(from)+1 {
			t.Errorf("%s: window %d-%d, axis %.1f-%.1f, longest log %d", sc, from, to, f.Plot.X.Min, f.Plot.X.Max, longest)
		}
		if to-from < LogCells && longest >= LogCells || to-from > 4*LogCells {
			t.Errorf("%s: window %d-%d is not between LogCells and 4·LogCells wide", sc, from, to)
		}
	}
}

// A window over logs that all agree shows their last LogCells entries;
// over logs far longer than 4·LogCells past their divergence, the last
// 4·LogCells.
func TestLogsWindow(t *testing.T) {
	same := make([]int64, 100)
	for i := range same {
		same[i] = 1
	}
	s := &Snapshot{Terms: [][]int64{same, same}}
	if from, to := s.window(); from != 100-LogCells || to != 100 {
		t.Errorf("agreeing logs: window %d-%d", from, to)
	}
	long := make([]int64, 1000)
	for i := range long {
		long[i] = 2
	}
	s = &Snapshot{Terms: [][]int64{same[:10], long}}
	if from, to := s.window(); from != 1000-4*LogCells || to != 1000 {
		t.Errorf("a long log: window %d-%d", from, to)
	}
	s = &Snapshot{Terms: [][]int64{same[:50], long[:60]}}
	if from, to := s.window(); from != 0 || to != 60 {
		t.Errorf("logs differing from index 0: window %d-%d", from, to)
	}
}
