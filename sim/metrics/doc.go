// Package metrics records what a run did, in virtual time: counters, rates
// per window, gauges with time-weighted means, latency percentiles on
// HdrHistogram, time series, and the summary table every scenario prints.
//
// # Windows
//
// Windowed recorders (Rate, Gauge, Latency) cut virtual time into fixed
// windows [k·w, (k+1)·w) starting at zero, so every recorder of a run shares
// the same boundaries and their series line up on one time axis. A window's
// point is plotted at its middle. Call Close(end) once when the run ends:
// it emits the last, partial window.
//
// # Rules
//
//   - A Gauge's mean is time-weighted (a queue of 10 for 1 s and 0 for 9 s
//     averages 1), which is the L of Little's law; a plain mean of samples
//     would over-weight busy periods.
//   - Latency covers 1 µs to 1 h at 3 significant digits (HdrHistogram,
//     Gil Tene): a percentile is off by at most 0.1%. Its Mean is kept as an
//     exact sum. Values over 1 h are recorded as 1 h and counted in Clamped.
//     Exact zeros (a wait at an idle server) are counted apart: a
//     percentile that falls among them is 0, where the histogram's lowest
//     bucket would read 511 ns.
//   - Every Series holds at most MaxPoints points and is marked Truncated
//     past that.
//   - Recording costs O(1) and allocates nothing except when a series grows.
//
// # Tables
//
// Table keeps cells as values and formats them when rendered: Text (aligned,
// numbers right), Markdown, HTML (for notebooks), CSV and JSON (numbers stay
// numbers: durations in seconds, Pct as a fraction). A share of nothing is
// not 0%: Ratio(a, 0) is NaN, and a NaN float or Pct prints "n/a".
package metrics
