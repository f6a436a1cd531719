package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// A script sweeps knobs of quorum and crdt (compiled runs, in parallel):
// the tables with one and two workers are the same.
func TestScriptScenarioSweepsAgreeAcrossWorkers(t *testing.T) {
	out, stderr, code := runScript(t, filepath.Join("testdata", "scenario_sweeps.go"), t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	one, two, ok := strings.Cut(out, "workers=2\n")
	one = strings.TrimPrefix(one, "workers=1\n")
	if !ok || one != two || !strings.Contains(one, "Nodes") || !strings.Contains(one, "GossipPeriod") {
		t.Fatalf("tables differ or are missing:\n%s", out)
	}
}
