package csi

import (
	"testing"
)

// BenchmarkAPI runs the API scenario: 6,000 orders through an
// asynchronous downstream with 16 workers, and the checker.
func BenchmarkAPI(b *testing.B) {
	cfg, _ := PresetConfig("api")
	orders := 0
	for i := 0; i < b.N; i++ {
		res, err := Run(cfg)
		if err != nil {
			b.Fatal(err)
		}
		orders += len(res.Orders)
	}
	b.ReportMetric(float64(orders)/b.Elapsed().Seconds(), "orders/s")
}
