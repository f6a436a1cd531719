package quorum_test

import (
	"testing"
	"time"

	"dsim/sim/scenario/quorum"
)

// BenchmarkWAN runs the reference store: 5 replicas in 5 regions
// 75ms apart, Strong quorums, 20 clients, 10 virtual minutes. It reports
// client operations and engine events per wall second, without and with
// the linearizability check.
func BenchmarkWAN(b *testing.B) {
	for _, bc := range []struct {
		name  string
		check bool
	}{{"simulate", false}, {"simulate+check", true}} {
		b.Run(bc.name, func(b *testing.B) {
			cfg, _ := quorum.PresetConfig("wan")
			cfg.Seed, cfg.Clients, cfg.Duration = 1, 20, 10*time.Minute
			cfg.CheckTimeout, cfg.SkipCheck = time.Minute, !bc.check
			var ops, events int64
			for i := 0; i < b.N; i++ {
				res, err := quorum.Run(cfg)
				if err != nil {
					b.Fatal(err)
				}
				if bc.check && res.Check != quorum.IsLinearizable {
					b.Fatalf("check: %v", res.Check)
				}
				ops += res.Reads + res.Writes
				events += res.Events
			}
			sec := b.Elapsed().Seconds()
			b.ReportMetric(float64(ops)/sec, "ops/s")
			b.ReportMetric(float64(events)/sec, "events/s")
			b.ReportMetric(float64(ops)/float64(b.N), "ops/run")
		})
	}
}
