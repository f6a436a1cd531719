package raft

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// readmeSays fails unless the README's consensus section holds each
// sentence, made from this run's numbers.
func readmeSays(t *testing.T, says ...string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(data)), " ")
	for _, s := range says {
		if !strings.Contains(text, s) {
			t.Errorf("the README does not say %q (from this run)", s)
		}
	}
}

func ms(d time.Duration) int64 { return d.Round(time.Millisecond).Milliseconds() }

// readmeElection checks the README's table against Figure 16's run (200
// trials, seed 1).
func readmeElection(t *testing.T, st []ElectionStats) {
	none, five, fifty, fast := statsOf(t, st, "150-150ms"), statsOf(t, st, "150-155ms"), statsOf(t, st, "150-200ms"), statsOf(t, st, "12-24ms")
	readmeSays(t,
		fmt.Sprintf("| 150-150ms | no leader within 10 s in %d of %d trials (split votes) |", none.NoLeader, none.Trials),
		fmt.Sprintf("| 150-155ms | median %d ms, worst %.1f s |", ms(five.Median), five.Max.Seconds()),
		fmt.Sprintf("| 150-200ms | median %d ms, worst %d ms |", ms(fifty.Median), ms(fifty.Max)),
		fmt.Sprintf("| 12-24ms | median %d ms, mean %d ms, worst %d ms |", ms(fast.Median), ms(fast.Mean), ms(fast.Max)))
}

// readmeSoak checks the README's line of 1,000 trials.
func readmeSoak(t *testing.T, st []ElectionStats) {
	five, fifty, fast := statsOf(t, st, "150-155ms"), statsOf(t, st, "150-200ms"), statsOf(t, st, "12-24ms")
	readmeSays(t, fmt.Sprintf("Over 1,000 trials, as the paper ran (`make soak`): 150-155ms median %d ms; 150-200ms worst %d ms; 12-24ms mean %d ms, worst %d ms.",
		ms(five.Median), ms(fifty.Max), ms(fast.Mean), ms(fast.Max)))
}

func TestReadmeAvailability(t *testing.T) {
	crash, err := Availability(Config{}, LeaderCrash, 1)
	if err != nil {
		t.Fatal(err)
	}
	pause, err := Availability(Config{}, LeaderPause, 1)
	if err != nil {
		t.Fatal(err)
	}
	if ms(crash.Leaderless) != ms(pause.Leaderless) {
		t.Errorf("the README says a crash and a pause cost the same: %v and %v", crash.Leaderless, pause.Leaderless)
	}
	readmeSays(t, fmt.Sprintf("without a leader able to commit for %d ms", ms(crash.Leaderless)))
}
