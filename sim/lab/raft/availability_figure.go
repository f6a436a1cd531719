package raft

import (
	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/viz"
)

// AvailabilityFigures draws what the clients saw: for each run, the
// operations answered and timed out per second over time, the fault
// shaded; then the mean latency of the answered operations over time,
// every run on one figure.
func AvailabilityFigures(runs []*AvailabilityRun) []*viz.Figure {
	var figs []*viz.Figure
	var lat []*metrics.Series
	var end sim.Time
	for _, a := range runs {
		spans := viz.LabSpans(a.Result)
		end = max(end, a.Result.End)
		f := viz.Lines(viz.Options{Title: a.Scenario + ": operations per second", YLabel: "operations per second",
			Spans: spans, End: a.Result.End}, a.Throughput, a.Timeouts)
		f.Name = "raft-" + a.Scenario
		figs = append(figs, f)
		lat = append(lat, a.Latency)
	}
	o := viz.Options{Title: "Latency of the answered operations", YLabel: "mean latency (ms)", End: end,
		Spans: []viz.Span{{From: sim.FromDuration(FaultStart), To: sim.FromDuration(FaultStart + FaultLength), Label: "the fault"}}}
	f := viz.Lines(o, lat...)
	f.Name = "raft-latency"
	return append(figs, f)
}
