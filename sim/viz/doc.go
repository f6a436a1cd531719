// Package viz draws dsim's figures on gonum.org/v1/plot.
//
// # Figures
//
//   - Lines: series over time, fault windows (Span) shaded behind them.
//   - Bands: latency percentiles over time, the p50–p99 band shaded.
//   - PercentileDist: latency by percentile on a log axis of 1/(1-q), as
//     HdrHistogram plots it, so the tail gets as much room as the body.
//   - CDF, Histogram, Bars, and Heatmap (with a colour bar) for sweeps.
//
// Every constructor returns a *Figure and never fails: points that are NaN
// or infinite are left out, empty input gives an empty, labelled plot.
// Figure.Plot is the underlying *plot.Plot, for users who want to add to it.
//
// # Output
//
// WriteSVG and WritePNG write to an io.Writer; Save picks the format from
// the file extension. SVG output is byte-for-byte reproducible (fonts are
// referenced, not embedded), which the golden tests in testdata/ pin; rerun
// them with `go test ./sim/viz -update` (make golden) after reviewing a
// change, and set DSIM_PNG_DIR to get PNGs of every golden figure to look at.
//
// # Theme
//
// Default sets sizes for a figure 720 pixels wide at 96 dpi (a notebook
// column), Okabe and Ito's colour-blind-safe palette, and the colour of
// shaded windows. Axes carry units: time in s, min or h by the run's length,
// latency in µs, ms or s by its largest value.
package viz
