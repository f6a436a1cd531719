//go:build !unix

package lab

// cpuSeconds is not measured here: BenchmarkSearchEfficiency leaves out
// its CPU metric.
func cpuSeconds() float64 { return 0 }
