package main

import (
	"dsim/kernel/display"
	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/viz"
)

func main() {
	s := metrics.NewSeries("x", "1/s")
	s.Add(sim.Second, 1)
	display.Show(viz.Lines(viz.Options{Title: "A line"}, s))
}
