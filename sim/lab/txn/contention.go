package txn

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"dsim/sim/lab"
	"dsim/sim/viz"
)

// Contention is the experiment on hot accounts: the same open-loop load
// on banks of fewer and more accounts, under each design.
type Contention struct {
	Accounts []int         // default 2, 3, 4, 6, 8, 12, 24
	Nodes    int           // default 3
	Clients  int           // default 6
	Rate     float64       // requests per second in all, a quarter of them reads; default 200
	Duration time.Duration // default 5s
	Seed     uint64
}

// ContentionRow is one design on one bank.
type ContentionRow struct {
	Design   string
	Accounts int
	// Throughput is the transfers acknowledged per second; Refused the
	// share of transfers refused (conflicts and overdrafts, or aborts).
	Throughput, Refused float64
	// Reads is the share of reads answered.
	Reads float64
	// HoldMedian and HoldMax are 2PC's lock holds by transfers (zero for
	// sagas, which lock nothing).
	HoldMedian, HoldMax time.Duration
	// HalfDone is the reads that saw a transfer half done.
	HalfDone int
}

// RunContention runs the experiment.
func RunContention(ctx context.Context, c Contention) ([]ContentionRow, error) {
	if c.Accounts == nil {
		c.Accounts = []int{2, 3, 4, 6, 8, 12, 24}
	}
	c.Nodes = cmp.Or(c.Nodes, 3)
	c.Clients = cmp.Or(c.Clients, 6)
	c.Rate = cmp.Or(c.Rate, 200)
	c.Duration = cmp.Or(c.Duration, 5*time.Second)
	if err := checkCluster(c.Nodes, 0); err != nil {
		return nil, err
	}
	if len(c.Accounts) > 100 {
		return nil, fmt.Errorf("txn: Accounts has %d banks: at most 100", len(c.Accounts))
	}
	var rows []ContentionRow
	for _, d := range Designs() {
		for _, n := range c.Accounts {
			test, err := LabTest(Config{Design: d, Accounts: n})
			if err != nil {
				return nil, err
			}
			test.Nodes, test.Clients, test.Rate, test.Open, test.Duration, test.Seed = c.Nodes, c.Clients, c.Rate, true, c.Duration, c.Seed
			r, err := lab.RunContext(ctx, test)
			if err == nil && r.Err != nil {
				err = r.Err
			}
			if err != nil {
				return nil, err
			}
			rows = append(rows, contentionRow(d, n, r))
		}
	}
	return rows, nil
}

func contentionRow(design string, accounts int, r *lab.Result) ContentionRow {
	row := ContentionRow{Design: design, Accounts: accounts}
	var transfers, refused, reads, answered int
	for _, op := range r.History.Ops() {
		switch {
		case op.Final:
		case op.F == "transfer":
			transfers++
			if op.Type == lab.OK {
				row.Throughput++
			} else if op.Type == lab.Fail {
				refused++
			}
		case op.F == "read":
			reads++
			if op.Type == lab.OK {
				answered++
			}
		}
	}
	row.Throughput /= r.Test.Duration.Seconds()
	row.Refused = float64(refused) / float64(max(transfers, 1))
	row.Reads = float64(answered) / float64(max(reads, 1))
	var holds []time.Duration
	for _, h := range r.Monitor.(*Monitor).Holds() {
		if !h.Read {
			holds = append(holds, (h.End - h.Start).Duration())
		}
	}
	if len(holds) > 0 {
		slices.Sort(holds)
		row.HoldMedian, row.HoldMax = holds[len(holds)/2], holds[len(holds)-1]
	}
	for _, v := range r.Verdicts {
		if v.Checker == "bank-snapshot" {
			row.HalfDone = v.Count
		}
	}
	return row
}

// ContentionFigures draws throughput and the share refused against the
// number of accounts, one line per design.
func ContentionFigures(rows []ContentionRow) []*viz.Figure {
	var thr, ref []viz.Curve
	for _, d := range Designs() {
		t, f := viz.Curve{Name: designName(d)}, viz.Curve{Name: designName(d)}
		for _, r := range rows {
			if r.Design == d {
				t.X, t.Y = append(t.X, float64(r.Accounts)), append(t.Y, r.Throughput)
				f.X, f.Y = append(f.X, float64(r.Accounts)), append(f.Y, 100*r.Refused)
			}
		}
		thr, ref = append(thr, t), append(ref, f)
	}
	return []*viz.Figure{
		viz.XY(viz.Options{Title: "Transfers acknowledged against hot accounts", XLabel: "accounts", YLabel: "transfers per second", Name: "txn-contention-throughput"}, thr...),
		viz.XY(viz.Options{Title: "Transfers refused against hot accounts", XLabel: "accounts", YLabel: "transfers refused (%)", Name: "txn-contention-refused"}, ref...),
	}
}
