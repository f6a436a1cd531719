package raft

import (
	"dsim/sim/internal/simtest"
	"os"
	"strings"
	"testing"
	"time"
)

func availability(t *testing.T, scenario string) *AvailabilityRun {
	t.Helper()
	a, err := Availability(Config{}, scenario, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Result.OK() {
		t.Fatalf("%s: %s", scenario, a.Result.Failure())
	}
	t.Log(a)
	return a
}

// What the clients see through each fault (§5.2, §6, §8): a crashed or
// paused leader leaves the cluster without a leader for about an
// election timeout; a partition that leaves the leader its majority
// costs only the clients of the cut-off nodes; a partition that cuts the
// leader off with a minority stops it committing until a new leader is
// elected on the majority side. Every run stays linearizable with every
// invariant holding.
func TestAvailabilityThroughFaults(t *testing.T) {
	crash := availability(t, LeaderCrash)
	minority := availability(t, MinorityPartition)
	isolated := availability(t, LeaderMinorityPartition)
	pause := availability(t, LeaderPause)
	for _, a := range []*AvailabilityRun{crash, isolated, pause} {
		if a.Leaderless < DefaultElectionMin/2 || a.Leaderless > time.Second {
			t.Errorf("%s: %v without a leader, want about an election timeout", a.Scenario, a.Leaderless)
		}
		if a.Unavailable < a.Leaderless/2 || a.Unavailable > 1500*time.Millisecond {
			t.Errorf("%s: longest with no answer %v", a.Scenario, a.Unavailable)
		}
	}
	// During a minority partition the leader keeps its majority; when it
	// heals, n3 and n4 come back with the terms their failed elections
	// raised, and their first message deposes the leader (Raft without
	// PreVote, §9.6 of Ongaro's thesis): one election after the heal.
	if minority.Leaderless > time.Second || !deposedAfter(minority, "n0", FaultStart+FaultLength) {
		t.Errorf("minority partition: %v without a leader; n0 deposed after the heal: %v", minority.Leaderless, deposedAfter(minority, "n0", FaultStart+FaultLength))
	}
	// The clients of the cut-off nodes wait out their timeouts.
	if minority.TimedOut < 8 || isolated.TimedOut < 8 {
		t.Errorf("timed out: minority %d, leader with a minority %d", minority.TimedOut, isolated.TimedOut)
	}
}

func deposedAfter(a *AvailabilityRun, node string, at time.Duration) bool {
	m := a.Result.Monitor.(*Monitor)
	for _, c := range m.roles {
		if c.node == node && c.role == Follower && c.at.Duration() >= at {
			return true
		}
	}
	return false
}

func TestAvailabilityRejectsAnUnknownScenario(t *testing.T) {
	_, err := Availability(Config{}, "meteor", 1)
	if err == nil || !strings.Contains(err.Error(), `raft: scenario="meteor": must be one of "leader-crash"`) {
		t.Fatal(err)
	}
	if _, err := Availability(Config{MaxBatch: -1}, LeaderCrash, 1); err == nil || !strings.Contains(err.Error(), "MaxBatch=-1") {
		t.Fatal(err)
	}
}

// The snapshot of the logs, taken just before the partition heals,
// shows the old leader's entries of its term, never committed, beside
// the new leader's committed ones.
func TestTimelineAndLogs(t *testing.T) {
	a := availability(t, LeaderMinorityPartition)
	s, ok := Logs(a.Result)
	if !ok {
		t.Fatal("no snapshot")
	}
	leaders := 0
	for _, r := range s.Roles[2:] {
		if r == Leader {
			leaders++
		}
	}
	if s.Roles[0] != Leader || leaders != 1 || s.NodeTerms[0] >= s.NodeTerms[2] {
		t.Fatalf("roles %v terms %v", s.Roles, s.NodeTerms)
	}
	last := len(s.Terms[0]) - 1
	newer := 0
	for k, ok := range s.Settled[2] {
		if ok && s.Terms[2][k] == s.NodeTerms[2] {
			newer++
		}
	}
	if last < 0 || s.Settled[0][last] || newer == 0 {
		t.Fatalf("n0's last entry should be bound to go, and n2 hold committed entries of its term (%d)", newer)
	}
	from, to := s.window()
	if to != len(s.Terms[2]) || s.Terms[0][from+LogCells/4] == s.Terms[2][from+LogCells/4] || s.Terms[0][from+LogCells/4-1] != s.Terms[2][from+LogCells/4-1] {
		t.Fatalf("window %d-%d does not run from the divergence to the end of the longest log (%d)", from, to, len(s.Terms[2]))
	}
	tl, err := Timeline(a.Result, "timeline")
	if err != nil {
		t.Fatal(err)
	}
	figs := map[string]interface{ Save(string) error }{"timeline": tl, "logs": LogsFigure(s, "logs")}
	for _, f := range AvailabilityFigures([]*AvailabilityRun{a}) {
		figs[f.Name] = f
	}
	if out := os.Getenv("DSIM_FIGURES"); out != "" {
		for name, f := range figs {
			if err := f.Save(out + "/" + name + ".png"); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// The same seed gives the same run and the same numbers.
func TestAvailabilityIsDeterministic(t *testing.T) {
	simtest.SameAcrossProcs(t, func() string {
		a, err := Availability(Config{}, LeaderPause, 3)
		if err != nil {
			t.Fatal(err)
		}
		return a.Result.History.Sum() + "\n" + a.String()
	})
}

func TestTimelineRejectsBadInput(t *testing.T) {
	a := availability(t, LeaderCrash)
	if _, err := TimelineBetween(a.Result, "x", time.Second, time.Second); err == nil || !strings.Contains(err.Error(), "from=1s, to=1s") {
		t.Fatal(err)
	}
	r := *a.Result
	r.Monitor = nil
	if _, err := Timeline(&r, "x"); err == nil || !strings.Contains(err.Error(), "no Raft monitor") {
		t.Fatal(err)
	}
	if _, ok := Logs(&r); ok {
		t.Fatal("a snapshot without a monitor")
	}
}
