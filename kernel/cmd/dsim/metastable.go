package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"dsim/kernel/display"
	"dsim/sim/scenario/metastable"
)

// demo runs the retry-storm lesson: the storm and its twin side by side,
// then the tipping point.
func demo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo", stderr)
	out, seed := outAndSeed(fs, "root seed")
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "dsim demo: the retry-storm lesson.")
	names := []string{"storm", "recovery"}
	var results []*metastable.Result
	for _, name := range names {
		cfg, _ := metastable.PresetConfig(name)
		cfg.Seed = *seed
		for _, p := range metastable.Presets() {
			if p.Name == name {
				fmt.Fprintf(stdout, "\n== %s: %s\n\n", p.Name, p.Description)
			}
		}
		res, err := runMetastable(ctx, cfg, filepath.Join(*out, name), name)
		if err != nil {
			return err
		}
		results = append(results, res)
	}
	fmt.Fprintln(stdout, "\n== side by side")
	display.SetOutDir(*out)
	fmt.Fprintln(stdout)
	display.Show(metastable.CompareTable(names, results...))
	fig, err := metastable.Compare(names, results...)
	if err != nil {
		return err
	}
	display.Show(fig)

	fmt.Fprintln(stdout, "\n== the tipping point: the storm's clients with a 1.5s timeout, as contention grows (10 seeds per slope)")
	fmt.Fprintln(stdout)
	cfg, _ := metastable.PresetConfig("tipping")
	cfg.Seed = *seed
	var slopes []time.Duration
	for ms := 4; ms <= 14; ms++ {
		slopes = append(slopes, time.Duration(ms)*time.Millisecond)
	}
	tab, tfig, err := metastable.TippingContext(ctx, cfg, slopes, 10)
	if err != nil {
		return err
	}
	display.Show(tab)
	display.Show(tfig)
	return nil
}

func runMetastable(ctx context.Context, cfg metastable.Config, out, name string) (*metastable.Result, error) {
	res, err := metastable.RunContext(ctx, cfg)
	if err != nil {
		return nil, err
	}
	display.SetOutDir(out)
	display.Show(res.Summary())
	display.Show([]any{res.StoryFigure(name), res.QueueFigure(name), res.LatencyFigure(name), res.DistributionFigure(name)})
	return res, nil
}
