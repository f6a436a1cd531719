package txn

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The same crash of a coordinator after prepare, under each design. 2PC:
// the participants that voted yes hold their locks for the whole
// downtime, and no reader ever sees money missing. Saga: nothing is
// locked, and readers see the money in flight.
func TestOutage(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		o := Outage{Seed: seed}
		runs, err := RunOutage(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		o = o.withDefaults()
		down := o.Crash.Duration
		twoPC, saga := runs[0], runs[1]
		t.Logf("seed %d, crash at %v: 2PC blocked %v (refused %d, half-done reads %d); saga: %d lock holds, half-done reads %d, refused %d",
			seed, twoPC.Result.Test.Faults[0].Start, twoPC.Blocked, twoPC.Refused, twoPC.HalfDone, len(saga.Monitor.Holds()), saga.HalfDone, saga.Refused)
		// A participant learns the decision at most a status round after the
		// restart: it asks every Retry, each ask waiting up to Timeout.
		slack := DefaultRetry + 2*DefaultTimeout + 20*time.Millisecond
		if twoPC.Blocked < down || twoPC.Blocked > down+slack {
			t.Errorf("seed %d: 2PC participant blocked %v, want the downtime %v (+ at most %v)", seed, twoPC.Blocked, down, slack)
		}
		if twoPC.HalfDone != 0 {
			t.Errorf("seed %d: 2PC readers saw %d transfers half done", seed, twoPC.HalfDone)
		}
		if len(saga.Monitor.Holds()) != 0 || saga.Blocked != 0 || saga.HalfDone == 0 {
			t.Errorf("seed %d: saga: %d lock holds, blocked %v, %d half-done reads; want none, none, some", seed, len(saga.Monitor.Holds()), saga.Blocked, saga.HalfDone)
		}
		for _, r := range runs {
			for _, v := range r.Result.Verdicts {
				if !v.OK() && !(r.Design == Saga && v.Checker == "bank-snapshot") {
					t.Errorf("seed %d %s: %s", seed, r.Design, v.Text())
				}
			}
		}
		if dir := os.Getenv("TXN_FIGURES"); dir != "" && seed == 1 {
			for _, f := range OutageFigures(runs) {
				if err := f.Save(filepath.Join(dir, f.Name+".png")); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// Fewer accounts, more conflicts: 2PC refuses more and acknowledges fewer
// transfers as the accounts get hotter; a saga, locking nothing, refuses
// only overdrafts.
func TestContention(t *testing.T) {
	rows, err := RunContention(context.Background(), Contention{Accounts: []int{2, 6, 24}, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	by := map[string][]ContentionRow{}
	for _, r := range rows {
		t.Logf("%-4s %2d accounts: %6.1f/s acknowledged, %4.1f%% refused, %4.1f%% reads answered, holds median %v max %v, %d half-done reads",
			r.Design, r.Accounts, r.Throughput, 100*r.Refused, 100*r.Reads, r.HoldMedian, r.HoldMax, r.HalfDone)
		by[r.Design] = append(by[r.Design], r)
	}
	p := by[TwoPC]
	if !(p[0].Refused > p[1].Refused && p[1].Refused > p[2].Refused && p[0].Throughput < p[2].Throughput) {
		t.Errorf("2PC: refusals %v and throughput %v do not fall and rise with more accounts", []float64{p[0].Refused, p[1].Refused, p[2].Refused}, []float64{p[0].Throughput, p[2].Throughput})
	}
	for _, s := range by[Saga] {
		if s.Refused > 0.05 || s.Throughput < p[len(p)-1].Throughput {
			t.Errorf("saga, %d accounts: %.1f%% refused, %.1f/s", s.Accounts, 100*s.Refused, s.Throughput)
		}
	}
	if dir := os.Getenv("TXN_FIGURES"); dir != "" {
		full, err := RunContention(context.Background(), Contention{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ContentionFigures(full) {
			if err := f.Save(filepath.Join(dir, f.Name+".png")); err != nil {
				t.Fatal(err)
			}
		}
	}
}
