package quorum_test

import (
	"strings"
	"testing"
	"time"

	"dsim/sim/scenario/quorum"
	"dsim/sim/sweep"
)

// One write on the wire: the first write after 2s, its five puts and
// their acknowledgements, and a refusal for what the trace no longer
// holds.
func TestOperationFigure(t *testing.T) {
	cfg, err := quorum.PresetConfig("lan")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Clients = 1
	res, err := quorum.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	op, err := res.FirstOp(quorum.WriteOp, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if !op.Write || !op.OK || op.Start.Seconds() < 2 {
		t.Fatalf("FirstOp gave %v at %v", op, op.Start)
	}
	for _, o := range res.Ops {
		if o.Write && o.OK && o.Start.Seconds() >= 2 && o.Start < op.Start {
			t.Fatalf("%v began before %v", o, op)
		}
	}
	fig, err := res.OperationFigure(op)
	if err != nil || fig == nil || !strings.Contains(fig.Plot.Title.Text, op.String()) {
		t.Fatalf("figure %v, %v", fig, err)
	}
	if _, err := res.FirstOp(quorum.OpKind(0), 0); err == nil || !strings.Contains(err.Error(), "kind=OpKind(0)") {
		t.Errorf("a bad kind: %v", err)
	}
	if _, err := res.FirstOp(quorum.ReadOp, time.Hour); err == nil || !strings.Contains(err.Error(), "no successful read") {
		t.Errorf("nothing after the run: %v", err)
	}
	if _, err := res.OperationFigure(); err == nil {
		t.Error("no operation: no error")
	}

	// A busy run fills the trace: a late operation cannot be drawn.
	cfg.Clients, cfg.Duration, cfg.SkipCheck = 20, 60*time.Second, true
	res, err = quorum.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	late, err := res.FirstOp(quorum.ReadOp, 55*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := res.OperationFigure(late); err == nil || !strings.Contains(err.Error(), "the trace keeps the first 40000 messages") {
		t.Errorf("a late operation: %v", err)
	}
}

// The first inverted read of a slow-replicas run, told and drawn.
func TestFirstInversion(t *testing.T) {
	res := preset(t, "slow-replicas", 1)
	inv, ok := res.FirstInversion()
	if !ok || res.InvertedReads == 0 {
		t.Fatalf("seed 1 of slow-replicas has no inverted read (%d)", res.InvertedReads)
	}
	if inv.After.Start <= inv.Before.End || inv.Before.Value != inv.Write.Value || inv.After.Value == inv.Before.Value {
		t.Errorf("not an inversion: %+v", inv)
	}
	if !strings.Contains(inv.String(), "after it had ended, and returned the older") {
		t.Errorf("told as %q", inv)
	}
	if _, err := res.OperationFigure(inv.Write, inv.Before, inv.After); err != nil {
		t.Error(err)
	}
}

// SeedTable and PointOf name what they do not know.
func TestSeedTable(t *testing.T) {
	cfg := quorum.Default()
	cfg.Duration = 5 * time.Second
	sw, err := quorum.Sweep(cfg, sweep.Spec{Seed: 1, Reps: 3, Knobs: []sweep.Knob{{Name: "Model", Labels: []string{"strong", "weak"}}}})
	if err != nil {
		t.Fatal(err)
	}
	tab, err := quorum.SeedTable(sw, "linearizable", "read mean (ms)")
	if err != nil {
		t.Fatal(err)
	}
	text := tab.Text()
	if !strings.Contains(text, "3 of 3 (") || !strings.Contains(text, " ± ") || len(tab.Rows) != 2 {
		t.Errorf("table:\n%s", text)
	}
	if _, err := quorum.SeedTable(sw, "linearisable"); err == nil || !strings.Contains(err.Error(), `no metric "linearisable"; the sweep has consistent`) {
		t.Errorf("a misspelt metric: %v", err)
	}
	if _, err := quorum.SeedTable(sw); err == nil {
		t.Error("no metric named: no error")
	}
	if p, err := quorum.PointOf(sw, "weak"); err != nil || p != 1 {
		t.Errorf("PointOf weak: %d, %v", p, err)
	}
	if _, err := quorum.PointOf(sw, "eventual"); err == nil || !strings.Contains(err.Error(), "the sweep has strong, weak") {
		t.Errorf("an unknown label: %v", err)
	}
}

func TestPBSTimeTo(t *testing.T) {
	p, err := quorum.ProfileByName("LNKD-DISK")
	if err != nil {
		t.Fatal(err)
	}
	res, err := quorum.PBS(quorum.PBSConfig{Profile: p, N: 3, R: 1, W: 1, Seed: 1, Trials: 20000})
	if err != nil {
		t.Fatal(err)
	}
	at, ok := res.TimeTo(0.99)
	if !ok || res.At(at) < 0.99 || res.At(at-time.Millisecond) >= 0.99 {
		t.Errorf("TimeTo(0.99) = %v, %v: %.3f there", at, ok, res.At(at))
	}
	if _, ok := res.TimeTo(1.5); ok {
		t.Error("a share above 1 is reached")
	}
}
