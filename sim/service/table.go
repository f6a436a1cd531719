package service

import (
	"fmt"

	"dsim/sim/metrics"
)

// Table is the per-component table of a run: for each component, in the
// order they were added, the calls it took (a load: sent), answered with
// success, failed and rejected, its latency (a client's from the caller's
// view; a server's response time; a pool's wait), its longest queue, and a
// note of its own.
func (s *System) Table() *metrics.Table {
	cfg := s.cfg.withDefaults()
	t := metrics.NewTable(fmt.Sprintf("Components: %v of virtual time (seed %d)", cfg.Duration, cfg.Seed),
		"component", "kind", "calls", "ok", "failed", "rejected", "mean", "p99", "max queue", "notes")
	if !s.ran {
		t.Note("The system has not run.")
		return t
	}
	for _, c := range s.comps {
		c.row(t)
	}
	return t
}
