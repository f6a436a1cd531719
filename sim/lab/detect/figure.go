package detect

import (
	"math"

	"dsim/sim/viz"
)

// Figure draws the trade-off of a table: for each set of conditions and
// each kind of detector, the mean detection time (x, ms) against the false
// suspicions per node-hour (y, log10: the rates span four orders of
// magnitude), one point per parameter, joined from eager to patient. A
// set of conditions has one colour and marker; phi's thresholds are solid
// lines, fixed timeouts dashed. A detector with no false suspicion has no
// point (log10 of zero), and Note says so. The legend goes where it covers
// no point, or beside the data.
func Figure(t Table, title string) *viz.Figure {
	var curves []viz.Curve
	index := map[string]int{}
	conds := map[string]int{}
	zeros := 0
	for _, r := range t.Rows {
		key := r.Conditions + " " + r.Detector.Kind
		if _, ok := conds[r.Conditions]; !ok {
			conds[r.Conditions] = len(conds) + 1
		}
		i, ok := index[key]
		if !ok {
			i = len(curves)
			index[key] = i
			curves = append(curves, viz.Curve{Name: key, Style: conds[r.Conditions], Marked: true, Dashed: r.Detector.Kind == Fixed})
		}
		if r.FalsePerHour == 0 {
			zeros++
			continue
		}
		curves[i].X = append(curves[i].X, float64(r.MeanDetection.Microseconds())/1e3)
		curves[i].Y = append(curves[i].Y, math.Log10(r.FalsePerHour))
	}
	o := viz.Options{Title: title, XLabel: "mean detection time (ms)", YLabel: "false suspicions per node-hour (log10)"}
	if zeros > 0 {
		o.Note = "detectors with no false suspicion are left out (log10 of 0)"
	}
	return viz.XY(o, curves...)
}
