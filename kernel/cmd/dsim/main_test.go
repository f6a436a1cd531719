package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dsim/kernel/interp"
)

// TestMain lets the test binary be dsim's worker: dsim run and the REPL
// start this same program again to run scripts (see interp.Main).
func TestMain(m *testing.M) {
	interp.Main()
	if interp.IsWorker() {
		main()
		return
	}
	os.Exit(m.Run())
}

func TestDemoPrintsSummariesAndWritesFigures(t *testing.T) {
	dir := t.TempDir()
	var out, errs bytes.Buffer
	if code := run(context.Background(), []string{"demo", "-out", dir}, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	for _, want := range []string{"== storm", "== recovery", "Metastable: the trigger ended", "Recovered: healthy again", "Side by side", "Tipping point"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	for _, f := range []string{"storm/metastable-storm-story.svg", "recovery/metastable-recovery-story.png", "storm/metastable-storm-queue.svg",
		"storm/metastable-storm-latency.svg", "recovery/metastable-recovery-percentiles.svg", "metastable-compare.png", "metastable-tipping.svg"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{nil, 2, "Usage"},
		{[]string{"bogus"}, 2, `unknown command "bogus"`},
		{[]string{"queueing", "-servers", "0"}, 2, "Servers=0"},
		{[]string{"queueing", "-service", "exp(-1ms)"}, 2, "mean must be positive"},
		{[]string{"queueing", "-preset", "nope"}, 2, `unknown preset "nope"`},
		{[]string{"queueing", "-pattern", "zigzag"}, 2, `Pattern="zigzag"`},
		{[]string{"queueing", "extra"}, 2, "unexpected arguments"},
		{[]string{"queueing", "-duration", "1m", "-rate", "120", "-out", dir}, 0, ""},
		{[]string{"presets"}, 0, ""},
		{[]string{"metastable", "-timeout", "-1s"}, 2, "Timeout=-1s"},
		{[]string{"metastable", "-backoff", "linear"}, 2, `unknown backoff "linear"`},
		{[]string{"metastable", "-preset", "nope"}, 2, `unknown preset "nope"`},
		{[]string{"metastable", "-preset", "storm", "-budget", "0.1", "-backoff", "full-jitter", "-out", dir}, 0, ""},
	} {
		var out, errs bytes.Buffer
		code := run(context.Background(), c.args, &out, &errs)
		if code != c.code || !strings.Contains(errs.String(), c.msg) {
			t.Errorf("%v: exit %d (want %d), stderr %q", c.args, code, c.code, errs.String())
		}
	}
}

func TestInterruptStopsRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errs bytes.Buffer
	code := run(ctx, []string{"queueing", "-preset", "mm4", "-duration", "1000h", "-out", t.TempDir()}, &out, &errs)
	if code != 1 || !strings.Contains(errs.String(), "interrupted") || !strings.Contains(errs.String(), "seed=1") {
		t.Errorf("exit %d, stderr %q", code, errs.String())
	}
}
