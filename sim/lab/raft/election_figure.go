package raft

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"dsim/sim/viz"
)

// ElectionFigure draws the paper's Figure 16 for one group of ranges:
// for each range, the cumulative share of trials (y) that had elected a
// new leader by each time after the crash (x, ms, log scale). A trial
// with no leader within Cap never arrives: its curve stops below 1, and
// the note says how many there were.
func ElectionFigure(stats []ElectionStats, title string) *viz.Figure {
	var curves []viz.Curve
	var none []string
	for _, s := range stats {
		var done []time.Duration
		for _, d := range s.Samples {
			if d < s.Cap {
				done = append(done, d)
			}
		}
		sort.Slice(done, func(i, j int) bool { return done[i] < done[j] })
		c := viz.Curve{Name: s.Range.String()}
		for i, d := range done {
			c.X = append(c.X, float64(d)/float64(time.Millisecond))
			c.Y = append(c.Y, float64(i+1)/float64(s.Trials))
		}
		curves = append(curves, c)
		if s.NoLeader > 0 {
			none = append(none, fmt.Sprintf("%s: %d of %d", s.Range, s.NoLeader, s.Trials))
		}
	}
	o := viz.Options{Title: title, XLabel: "time without a leader after the crash (ms, log scale)",
		YLabel: "share of trials with a new leader", YMax: 1, LogX: true}
	if len(none) > 0 {
		o.Note = "no leader within the cap: " + strings.Join(none, ", ")
	}
	return viz.XY(o, curves...)
}
