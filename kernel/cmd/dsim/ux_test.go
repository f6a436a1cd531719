package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dsim/sim/scenario"
	"dsim/sim/scenario/registry"
)

// dsimCase is one command line and what it must do: its exit status,
// text stderr must hold, and text it must not.
type dsimCase struct {
	args   []string
	code   int
	msg    string
	absent string
}

func runCases(t *testing.T, cases []dsimCase) {
	t.Helper()
	for _, c := range cases {
		var out, errs bytes.Buffer
		code := run(context.Background(), c.args, &out, &errs)
		if code != c.code || !strings.Contains(errs.String(), c.msg) || c.absent != "" && strings.Contains(errs.String(), c.absent) {
			t.Errorf("%v: exit %d (want %d), stderr %q (want %q, not %q)", c.args, code, c.code, errs.String(), c.msg, c.absent)
		}
	}
}

// A mistyped flag, knob, preset or command names the nearest.
func TestDidYouMean(t *testing.T) {
	runCases(t, []dsimCase{
		{args: []string{"metastable", "-timout", "1s"}, code: 2, msg: "unknown flag -timout: did you mean -timeout?"},
		{args: []string{"metastable", "-Timout=1s"}, code: 2, msg: "did you mean -timeout?"},
		{args: []string{"metastable", "-bakoff", "none"}, code: 2, msg: "did you mean -backoff-kind?"},
		{args: []string{"quorum", "-preset", "partition-eventul"}, code: 2, msg: `unknown preset "partition-eventul" (want one of lan,`},
		{args: []string{"quorum", "-preset", "partition-eventul"}, code: 2, msg: "; did you mean partition-eventual?"},
		{args: []string{"quorum", "-preset", "Partition-Eventual"}, code: 2, msg: "; did you mean partition-eventual?"},
		{args: []string{"queueing", "-sed", "3"}, code: 2, msg: "did you mean -seed?"},
		{args: []string{"queueing", "-presets", "mm1"}, code: 2, msg: "did you mean -preset?"},
		{args: []string{"metastble"}, code: 2, msg: `unknown command "metastble"; did you mean metastable?`},
		{args: []string{"presets", "quorom"}, code: 2, msg: "did you mean quorum?"},
		{args: []string{"metastable", "-xyzzy", "1"}, code: 2, msg: "unknown flag -xyzzy (dsim metastable -h", absent: "did you mean"},
	})
}

// The presets' descriptions start in one column, however long a name.
func TestPresetListAligned(t *testing.T) {
	for _, args := range [][]string{{"presets", "messaging"}, {"messaging", "-h"}} {
		var out, errs bytes.Buffer
		if code := run(context.Background(), args, &out, &errs); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs.String())
		}
		col := -1
		for _, l := range strings.Split(out.String(), "\n") {
			name, _, ok := strings.Cut(strings.TrimPrefix(l, "  "), " ")
			if !strings.HasPrefix(l, "  ") || !ok || name == "" || strings.HasPrefix(name, " ") { // "": a wrapped line
				continue
			}
			at := 2 + len(name) + len(strings.TrimPrefix(l, "  "+name)) - len(strings.TrimLeft(strings.TrimPrefix(l, "  "+name), " "))
			if col < 0 {
				col = at
			}
			if at != col {
				t.Errorf("%v: %q starts its description at %d, the first at %d", args, name, at, col)
			}
		}
		if col < 0 {
			t.Errorf("%v: no presets listed", args)
		}
	}
}

// Every value form a scenario's help promises reads for every knob it
// applies to: the parser may refuse a value out of range, never its form.
func TestHelpFormsParse(t *testing.T) {
	for _, s := range registry.All() {
		note := flagForms(s.Knobs.Knobs())
		for _, k := range s.Knobs.Knobs() {
			var texts []string
			switch {
			case k.Kind == scenario.Duration:
				texts = []string{"1.5s", "250ms", "2"}
			case k.Kind == scenario.Dist && k.DurationValues:
				texts = []string{"200ms", "0.2", "exp(200ms)", "lognormal(200ms, 0.5)"}
			case k.Kind == scenario.Dist:
				texts = []string{"1.5", "lognormal(1, 0.25)"}
			case strings.HasSuffix(k.Unit, "/s"):
				texts = []string{"5", "300/min"}
			case strings.HasSuffix(k.Unit, "/min"):
				texts = []string{"5", "5/s"}
			case k.Unit == "share" || k.Unit == "chance":
				texts = []string{"0.1", "10%"}
			case k.Unit == "MB":
				texts = []string{"512MB", "2GB"}
			}
			for _, text := range texts {
				cfg, _ := s.Copy(mustPreset(t, s))
				err := s.Knobs.Set(cfg, k.Name, text)
				if err != nil && !strings.Contains(err.Error(), "must be") {
					t.Errorf("%s -%s %s: %v (the help says: %s)", s.Name, k.Flag(), text, err, note)
				}
			}
		}
	}
}

func mustPreset(t *testing.T, s scenario.Scenario) any {
	cfg, err := s.Preset("")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// The README's command list under "Scripts and the REPL" names every
// script in scripts/.
func TestREADMEListsEveryScript(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "## Scripts and the REPL")
	_, list, ok2 := strings.Cut(section, "```sh\n")
	list, _, ok3 := strings.Cut(list, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatal("README.md has no command list under ## Scripts and the REPL")
	}
	scripts, err := filepath.Glob("../../../scripts/*.go")
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	for _, s := range scripts {
		if name := "scripts/" + filepath.Base(s); !strings.Contains(list, name+" ") {
			t.Errorf("README.md's list of scripts lacks %s", name)
		}
	}
}

// Steps left to its default adapts to a small Users; set against it, the
// error names both.
func TestScalingStepsAdapt(t *testing.T) {
	dir := t.TempDir()
	runCases(t, []dsimCase{
		{args: []string{"scaling", "-users", "5", "-duration", "1m", "-out", dir}, code: 0},
		{args: []string{"scaling", "-users", "2", "-duration", "1m", "-out", dir}, code: 0},
		{args: []string{"scaling", "-steps", "6", "-users", "5"}, code: 2, msg: "scaling: Steps=6: must be fewer than Users=5"},
	})
}

// A knob set on the command line that the chosen mode ignores runs, with
// a warning naming the knob and the mode; one that matters warns not.
func TestIgnoredKnobsWarn(t *testing.T) {
	dir := t.TempDir()
	runCases(t, []dsimCase{
		{args: []string{"scaling", "-experiment", "threads", "-users", "40", "-duration", "10s", "-out", dir}, code: 0,
			msg: "warning: scaling: -users has no effect: it matters only with Experiment=users; here Experiment=threads"},
		{args: []string{"scaling", "-users", "40", "-duration", "1m", "-out", dir}, code: 0, absent: "warning"},
		{args: []string{"elastic", "-deploy", "function", "-min", "3", "-duration", "20m", "-out", dir}, code: 0,
			msg: "warning: elastic: -min has no effect: it matters only with Deploy=servers; here Deploy=function"},
		{args: []string{"elastic", "-users", "50", "-peak", "100", "-duration", "20m", "-out", dir}, code: 0, msg: "-peak has no effect: it matters only with Users=0; here Users=50"},
		{args: []string{"elastic", "-in-step", "2", "-duration", "20m", "-out", dir}, code: 0, msg: "-in-step has no effect: it matters only with Policy=step"},
		{args: []string{"metastable", "-breaker-window", "5", "-duration", "10s", "-out", dir}, code: 0, msg: "-breaker-window has no effect: it matters only with CircuitBreaker=on"},
		{args: []string{"metastable", "-breaker", "-breaker-window", "5", "-duration", "10s", "-out", dir}, code: 0, absent: "warning"},
		{args: []string{"crdt", "-full-every", "3", "-out", dir}, code: 0, msg: "-full-every has no effect: it matters only with Delta=on; here Delta=off"},
		{args: []string{"crdt", "-clock-skew", "10ms", "-out", dir}, code: 0, msg: "-clock-skew has no effect: it matters only with Type=lww-register|lww-map; here Type=g-counter"},
		{args: []string{"metastable", "-spike-rate", "100", "-trigger-start", "5s", "-duration", "10s", "-out", dir}, code: 0,
			msg: "-trigger-start has no effect: it matters only with Pattern=spike|ramp or CapacityDrop≠0 or Slowdown≠1; here Pattern=constant, CapacityDrop=0, Slowdown=1"},
		{args: []string{"metastable", "-spike-rate", "100", "-duration", "10s", "-out", dir}, code: 0, msg: "-spike-rate has no effect: it matters only with Pattern=spike|ramp; here Pattern=constant"},
		{args: []string{"quorum", "-standbys", "2", "-duration", "5s", "-out", dir}, code: 0, msg: "-standbys has no effect: it matters only with SloppyQuorum=on; here SloppyQuorum=off"},
		{args: []string{"cache", "-early-refresh", "1", "-ttl", "0s", "-duration", "10s", "-out", dir}, code: 0, msg: "-early-refresh has no effect: it matters only with TTL≠0s; here TTL=0s"},
	})
}

// -h says, per knob, the mode it matters in, from the knob table.
func TestHelpSaysWhenAKnobMatters(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"scaling", "the largest population N of the users experiment (only with -experiment users)"},
		{"metastable", "attempts the breaker remembers (only with -circuit-breaker on)"},
		{"balance", "(only with -policy power-of-choices)"},
		{"queueing", "(only with -dependencies other than 0 and -max-retries other than 0 and -backoff-kind other than none)"},
		{"quorum", "(only with either -model eventual, or -sloppy-quorum on)"},
	} {
		var out, errs bytes.Buffer
		// -h wraps long docs onto more lines: read the words.
		if code := run(context.Background(), []string{c.name, "-h"}, &out, &errs); code != 0 || !strings.Contains(strings.Join(strings.Fields(out.String()+errs.String()), " "), c.want) {
			t.Errorf("dsim %s -h: status %d, no %q in\n%s%s", c.name, code, c.want, out.String(), errs.String())
		}
	}
}
