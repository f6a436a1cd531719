package messaging_test

import (
	"strings"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/scenario/messaging"
	"dsim/sim/viz"
)

// Every figure of a writer's run names its write mode, and the time
// figures shade every crash of the writer and of c1, no more: the first
// after WriterCrashEvery (CrashEvery), then one each period while orders
// come, each as long as WriterCrashFor (CrashFor).
func TestFiguresNameTheRunAndShadeEveryCrash(t *testing.T) {
	for _, name := range []string{"dual-write-loses", "dual-write-phantoms", "outbox", "at-least-once"} {
		cfg, err := messaging.PresetConfig(name)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Duration, cfg.Drain = 12*time.Second, 2*time.Second
		if cfg.CrashEvery > 0 {
			cfg.CrashEvery, cfg.CrashFor = 3*time.Second, 500*time.Millisecond
		}
		res, err := messaging.Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		var want []sim.Window
		crashes := func(every, lasting time.Duration) {
			for at := every; every > 0 && at < cfg.Duration-cfg.Drain; at += every {
				want = append(want, sim.Window{Start: at, Duration: lasting})
			}
		}
		crashes(cfg.CrashEvery, cfg.CrashFor)
		crashes(cfg.WriterCrashEvery, cfg.WriterCrashFor)
		for _, f := range res.Figures() {
			title := f.Plot.Title.Text
			if cfg.WriteMode != "" && cfg.WriteMode != messaging.NoWriter && !strings.Contains(title, string(cfg.WriteMode)) {
				t.Errorf("%s: %q does not name the write mode %s", name, title, cfg.WriteMode)
			}
			if f.Name == "messaging-fate" {
				continue
			}
			spans := f.Frame().Spans
			if len(spans) != len(want) {
				t.Errorf("%s, %s: %d windows shaded, want %d", name, f.Name, len(spans), len(want))
				continue
			}
			for i, sp := range spans {
				if sp.From.Duration() != want[i].Start || sp.To.Duration() != want[i].End() {
					t.Errorf("%s, %s: window %d shaded %v-%v, want %v-%v", name, f.Name, i, sp.From, sp.To, want[i].Start, want[i].End())
				}
			}
			if !strings.Contains(spans[0].Label, "down") {
				t.Errorf("%s, %s: the first window is labelled %q", name, f.Name, spans[0].Label)
			}
		}
	}
}

// The legend of the time figures lies clear of every crash shaded: with
// c1 down every 5s no corner is free, so it goes beside the data.
func TestLegendClearOfCrashes(t *testing.T) {
	cfg, err := messaging.PresetConfig("at-most-once")
	if err != nil {
		t.Fatal(err)
	}
	res, err := messaging.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []*viz.Figure{res.QueueFigure(), res.RateFigure()} {
		box, ok := f.LegendBox()
		if !ok {
			t.Fatalf("%s: no legend", f.Name)
		}
		for _, sp := range f.Frame().Spans {
			if box.Left <= sp.Right && box.Right >= sp.Left {
				t.Errorf("%s: the legend (%.0f to %.0f) lies on %s from %v to %v (%.0f to %.0f)", f.Name, box.Left, box.Right, sp.Label, sp.From, sp.To, sp.Left, sp.Right)
			}
		}
	}
}
