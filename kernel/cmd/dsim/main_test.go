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
		{[]string{"queueing", "-servers", "0"}, 2, "Servers=0: must be between 1 and 100000 servers (leave it unset for the default, 5)"},
		{[]string{"queueing", "-service", "exp(-1ms)"}, 2, "ServiceTime=exp(-1ms)"},
		{[]string{"queueing", "-preset", "nope"}, 2, `unknown preset "nope"`},
		{[]string{"queueing", "-pattern", "zigzag"}, 2, `Pattern=zigzag: want one of constant`},
		{[]string{"queueing", "extra"}, 2, `unexpected arguments ["extra"] (knobs are flags: -duration 5m)`},
		{[]string{"queueing", "-duration", "-out", "x"}, 2, "-duration: missing value (got the flag -out); write it as -duration 5m"},
		{[]string{"queueing", "-pattern", "--preset", "mm1"}, 2, "-pattern: missing value (got the flag --preset)"},
		{[]string{"queueing", "-out", "-seed", "3"}, 2, "-out: missing value (got the flag -seed)"},
		{[]string{"metastable", "-timeout", "-1s"}, 2, "Timeout=-1s"},
		{[]string{"metastable", "-capacity", "1e6", "-duration", "10s", "-out", dir}, 0, ""},
		{[]string{"metastable", "-capacity", "1.5"}, 2, "Capacity=1.5: want a whole number"},
		{[]string{"queueing", "-duration", "1000000h"}, 2, "Duration=1000000h: must be between"},
		{[]string{"metastable", "-service", "NaN"}, 2, "Service=NaN: NaN is not a number; want a distribution such as exp(500ms), or a constant"},
		{[]string{"metastable", "-timeout", "1e9h"}, 2, "Timeout=1e9h: out of range: beyond any duration (about 292 years); must be between 1ms and 1h"},
		{[]string{"metastable", "-backoff", "nne"}, 2, "want one of none, exponential, full-jitter, decorrelated-jitter; did you mean none?"},
		{[]string{"metastable", "-backoff", "Full-Jitter", "-duration", "10s", "-out", dir}, 0, ""},
		{[]string{"queueing", "-duration", "1m", "-rate", "120/min", "-out", dir}, 0, ""},
		{[]string{"queueing", "-rate", "0"}, 2, "ArrivalRate=0: must be between"},
		{[]string{"queueing", "-servers"}, 2, "-servers needs a value"},
		{[]string{"queueing", "-servers", "1", "-servers", "2"}, 2, "-servers is given twice"},
		{[]string{"queueing", "-preset", "mm1", "-preset", "mm4"}, 2, "-preset is given twice"},
		{[]string{"queueing", "-seed", "-3"}, 2, "-seed -3: want a whole number"},
		{[]string{"queueing", "-servers", "1", "-rate", "6000", "-duration", "1000h", "-out", dir}, 1, "2000000 requests in the system, the limit"},
		{[]string{"presets"}, 0, ""},
		{[]string{"metastable", "-timeout", "-1s"}, 2, "Timeout=-1s"},
		{[]string{"metastable", "-timeout", "0"}, 2, "Timeout=0s: must be between 1ms and 1h (leave it unset for the default, 3s)"},
		{[]string{"metastable", "-rate", "0"}, 2, "BaseRate=0: must be between 0.001 and 1e+06 req/s (leave it unset for the default, 10)"},
		{[]string{"metastable", "-timeout", "700000h"}, 2, "Timeout=700000h: must be between 1ms and 1h"},
		{[]string{"metastable", "-trigger-duration", "2562047h47m"}, 2, "Trigger.Duration=2562047h47m: must be between 1ms and 1000h"},
		{[]string{"metastable", "-pattern", "schedule"}, 2, `the "schedule" pattern needs at least one step`},
		{[]string{"metastable", "-pattern", "schedule", "-schedule", "20s:50, 30s:15", "-duration", "40s", "-out", dir}, 0, ""},
		{[]string{"metastable", "-schedule", "20s=50"}, 2, `Schedule=20s=50: step 1 "20s=50": want at:rate`},
		{[]string{"metastable", "-backoff", "linear"}, 2, `Backoff.Kind=linear: want one of none, exponential`},
		{[]string{"metastable", "-cancel", "maybe"}, 2, "is a switch: alone it means on"},
		{[]string{"metastable", "-cancel", "on", "maybe"}, 2, "unexpected arguments"},
		{[]string{"metastable", "-nope", "1"}, 2, "unknown flag -nope"},
		{[]string{"metastable", "-preset", "nope"}, 2, `unknown preset "nope"`},
		{[]string{"metastable", "-preset", "storm", "-budget", "10%", "-backoff", "full-jitter", "-cancel", "-Slope", "8ms", "-out", dir}, 0, ""},
		{[]string{"metastable", "-h"}, 0, ""},
		{[]string{"presets", "cache"}, 0, ""},
		{[]string{"presets", "nosuch"}, 2, `presets: unknown scenario "nosuch"`},
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
