// Package viz draws dsim's figures on gonum.org/v1/plot.
//
// # Figures
//
//   - Lines: series over time, fault windows (Span) shaded behind them.
//
//   - Bands: latency percentiles over time, the p50–p99 band shaded, an
//     SLO as a dashed line (Options.SLO), on a log axis if asked (LogY).
//
//   - PercentileDist: latency by percentile on a log axis of 1/(1-q), as
//     HdrHistogram plots it, so the tail gets as much room as the body.
//
//   - CDF, Histogram, Bars, and Heatmap (with a colour bar) for sweeps.
//
//   - XY: curves against a numeric x axis, on a log scale with
//     Options.LogX (times that span decades, labelled 1, 2, 5 a decade).
//     Markers (Curve.Points, Curve.Marked) are drawn above every line, each
//     set in its own shape; Curve.Style lets related curves share a colour
//     and Curve.Dashed tell them apart.
//
//   - Blocks: lanes of coloured bars, a state per stretch of a lane (a
//     server's role over time) or a cell per index (the entries of a log);
//     its legend, in rows beneath the plot, lists only the kinds drawn.
//
//   - Messages and FaultSpans draw a sim/net network's trace and faults;
//     SweepHeatmap and SweepLines a sim/sweep result.
//
// # Layers
//
// Drawing depends on data, never the reverse: the engine, sim/net and
// sim/sweep never import viz, which may import the result types it draws
// (a network's trace, a sweep's grid). A scenario package, which is a lesson
// (a model with its theory, verdict and figures), may import viz for its
// Figures methods.
//
// Every constructor returns a *Figure and never fails: points that are NaN
// or infinite are left out, empty input gives an empty, labelled plot that
// says "no data" (or Options.Note). Figure.Plot is the underlying
// *plot.Plot, for users who want to add to it.
//
// # Lines
//
// A series over time is drawn as a line broken where windows are missing,
// so that it never bridges a time with no data. The step of the windows is
// the smallest gap between points, the last gap left out: a run that ends
// inside a window plots that partial window closer to its neighbour, and
// it stays joined to the line. A line that lies on an earlier one (a quarter
// of its points or more on that line's points) is drawn dashed, so that
// neither hides the other. A point with no neighbour to join (a lone
// window between gaps) is drawn as a dot in the line's colour, never as an
// invisible one-point line. Figure.Lines reports what was drawn: the joined
// pieces and the dots of each line.
//
// # Axes and notes
//
// Axes of lines start at zero when no value is negative and leave a fifth
// of room above the data for the legend, except when the quantity has a
// top: Options.YMax (1 for a share), or 100 for an axis in percent (its
// label ends in "(%)", or the series' unit is "%") whose values lie in
// 0..100. A share never runs past 100%; the legend then goes to the corner
// the lines leave emptiest. Options.Note writes a line on the figure, in
// another empty corner, for what the data cannot show.
//
// The legend of Lines, XY and Bands never covers a point or a shaded window: as
// the figure is drawn, it goes to the first corner where its box holds no
// point of a line (anywhere along its segments) or a marker, meets no
// span's shading, and is not the note's, or else beside the data area.
// Figure.LegendBox measures where it was drawn, Figure.LegendEntries what
// it lists.
//
// # Output
//
// WriteSVG and WritePNG write to an io.Writer; Save picks the format from
// the file extension. SVG output is byte-for-byte reproducible (fonts are
// referenced, not embedded), which the golden tests in testdata/ pin; rerun
// them with `go test ./sim/viz -update` (make golden) after reviewing a
// change, and set DSIM_PNG_DIR to get PNGs of every golden figure to look at.
//
// # Frames for interactive pages
//
// Figure.Frame places what a figure draws on its SVG image: the data area,
// each line's points (at most MaxFramePoints, thinned evenly) with their
// values, and the shaded windows with their labels, in the SVG's own
// coordinates. A front end that shows the SVG adds interaction from it (the
// explorer reads the value of each line under the pointer and labels the
// windows) without a second drawing library. Figures with a colour bar,
// bars and heatmaps have no lines to place.
//
// # Theme
//
// Default sets sizes for a figure 720 pixels wide at 96 dpi (a notebook
// column), Okabe and Ito's colour-blind-safe palette, and the colour of
// shaded windows. Axes carry units: time in s, min or h by the run's length,
// latency in µs, ms or s by its largest value.
package viz
