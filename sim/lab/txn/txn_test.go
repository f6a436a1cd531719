package txn

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"dsim/sim/internal/simtest"
	"dsim/sim/lab"
)

func bankTest(t *testing.T, cfg Config) lab.Test {
	t.Helper()
	test, err := LabTest(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return test
}

// 2PC keeps the bank atomic and every read consistent through every kind
// of fault, crashes among them, over 500 seeds: no transfer committed by
// one participant and aborted by another, every final read and every read
// during the run holding the bank's total, nothing left locked.
func TestTwoPCAtomicUnderFaults(t *testing.T) {
	for _, nem := range []lab.Nemesis{
		{Kinds: lab.FaultKinds()},
		{Kinds: []string{lab.FaultCrash}, Interval: 700 * time.Millisecond, Length: 400 * time.Millisecond},
	} {
		test := bankTest(t, Config{Design: TwoPC})
		test.Rate, test.Nemesis = 50, nem
		count := soak(500, 5000)
		if len(nem.Kinds) == 1 {
			count = soak(200, 2000)
		}
		found, err := lab.Search(test, lab.Seeds{Count: count})
		if err != nil {
			t.Fatal(err)
		}
		if found != nil {
			t.Fatalf("nemesis %v, seed %d fails:\n%s\n%s", nem.Kinds, found.Case.Test.Seed, found.Result.Test.Faults, verdictText(found.Result))
		}
	}
}

// A saga is atomic in the end, through every kind of fault (each saga is
// logged and driven to its end, by its coordinator's successor life if
// need be), but its readers see transfers half done.
func TestSagaAtomicInTheEnd(t *testing.T) {
	halfDone, seeds := 0, soak(150, 5000)
	for seed := uint64(1); seed <= uint64(seeds); seed++ {
		test := bankTest(t, Config{Design: Saga})
		test.Rate, test.Seed, test.Nemesis = 50, seed, lab.Nemesis{Kinds: lab.FaultKinds()}
		r, err := lab.Run(test)
		if err != nil {
			t.Fatal(err)
		}
		if r.Err != nil {
			t.Fatalf("seed %d: %v", seed, r.Err)
		}
		for _, v := range r.Verdicts {
			switch {
			case v.Checker == "bank-snapshot":
				halfDone += v.Count
			case !v.OK():
				t.Fatalf("seed %d: %s\n%s", seed, r.Test.Faults, v.Text())
			}
		}
	}
	if halfDone == 0 {
		t.Errorf("no reader saw a saga half done in %d seeds", seeds)
	}
	t.Logf("%d seeds; reads that saw a saga half done: %d", seeds, halfDone)
}

// With a credit limit, credits are refused and sagas compensate; a refund
// to a source that has since filled up is refused in its turn and asked
// again. The money is in flight meanwhile; every saga still ends.
func TestSagaCompensations(t *testing.T) {
	test := bankTest(t, Config{Design: Saga, CreditLimit: lab.BankBalance + 5})
	test.Rate, test.Seed = 100, 1
	r, err := lab.Run(test)
	if err != nil {
		t.Fatal(err)
	}
	m := r.Monitor.(*Monitor)
	refunded := 0
	for _, f := range m.Flights() {
		if f.Refunded {
			refunded++
		}
	}
	t.Logf("%d sagas, %d refunded, %d refunds refused", len(m.Flights()), refunded, m.RefundsRefused())
	if refunded == 0 || m.RefundsRefused() == 0 {
		t.Errorf("%d refunds, %d refused: want some of each", refunded, m.RefundsRefused())
	}
	for _, v := range r.Verdicts {
		if !v.OK() && v.Checker != "bank-snapshot" {
			t.Error(v.Text())
		}
	}
}

// soak is n, or under make soak (DSIM_SOAK set) long.
func soak(n, long int) int {
	if os.Getenv("DSIM_SOAK") != "" {
		return long
	}
	return n
}

func verdictText(r *lab.Result) string {
	var b strings.Builder
	for _, v := range r.Verdicts {
		b.WriteString(v.Text())
	}
	if r.Err != nil {
		b.WriteString(r.Err.Error())
	}
	return b.String()
}

func TestSameSeedSameHistory(t *testing.T) {
	for _, d := range Designs() {
		t.Run(d, func(t *testing.T) {
			test := bankTest(t, Config{Design: d})
			test.Seed, test.Nemesis = 7, lab.Nemesis{Kinds: lab.FaultKinds()}
			simtest.SameAcrossProcs(t, func() string {
				r, err := lab.Run(test)
				if err != nil {
					t.Fatal(err)
				}
				return r.History.Text()
			})
		})
	}
}

func TestValidation(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{Design: "3pc"}, `Design="3pc"`},
		{Config{Accounts: 1}, "Accounts=1"},
		{Config{Accounts: MaxAccounts + 1}, "Accounts=1001"},
		{Config{Timeout: -time.Second}, "Timeout=-1s"},
		{Config{Retry: 2 * time.Minute}, "Retry=2m0s"},
		{Config{CreditLimit: -1}, "CreditLimit=-1"},
		{Config{CreditLimit: 50}, "CreditLimit=50"},
		{Config{Frontends: -1}, "Frontends=-1"},
	} {
		_, err := LabTest(c.cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want an error naming %s", c.cfg, err, c.want)
		}
	}
	test := bankTest(t, Config{Frontends: 5})
	r, err := lab.Run(test)
	if err == nil && r.Err != nil {
		err = r.Err
	}
	if err == nil || !strings.Contains(err.Error(), "Frontends=5") {
		t.Errorf("5 front ends of 5 nodes: got %v, want an error naming Frontends", err)
	}
	bad := lab.Test{Node: "txn/3pc"}
	if err := Attach(&bad); err == nil || !strings.Contains(err.Error(), `Node="txn/3pc"`) {
		t.Errorf("Attach txn/3pc: %v", err)
	}
	good := lab.Test{Node: NodeName(Saga), Keys: 4}
	if err := Attach(&good); err != nil || good.New == nil || good.Monitor == nil {
		t.Errorf("Attach txn/saga: %v", err)
	}
}

func TestExperimentValidation(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		run  func() error
		want string
	}{
		{func() error { _, err := RunOutage(ctx, Outage{Nodes: 1}); return err }, "Nodes=1"},
		{func() error { _, err := RunOutage(ctx, Outage{Nodes: 3, Config: Config{Frontends: 3}}); return err }, "Frontends=3"},
		{func() error { _, err := RunOutage(ctx, Outage{Coordinator: "n9"}); return err }, `Coordinator="n9"`},
		{func() error { _, err := RunOutage(ctx, Outage{Clients: 1, Coordinator: "n2"}); return err }, `Coordinator="n2"`},
		{func() error { _, err := RunContention(ctx, Contention{Nodes: 1}); return err }, "Nodes=1"},
	} {
		if err := c.run(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want an error naming %s", err, c.want)
		}
	}
}
