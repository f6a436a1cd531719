// Package dist provides the distributions dsim models draw from: latencies,
// service times, gaps between arrivals, message sizes.
//
// # Kinds
//
// Constant, Uniform, Exponential, Normal, LogNormal, Pareto, Gamma, Mixture,
// Shifted and Empirical. Each samples from a named stream of package sim
// (never a global generator), knows its mean, prints itself in a text form,
// and that text parses back (Parse). The text form is what scripts, flags and
// summary tables use:
//
//	exp(10ms)
//	pareto(0.235ms, 10)
//	mix(0.9: pareto(0.235ms, 10), 0.1: exp(0.6ms))
//
// # Rules
//
//   - Values of a distribution of durations are float seconds; Time turns a
//     draw into a sim.Time and clamps negative draws to zero.
//   - LogNormal and Gamma are given by their mean and coefficient of
//     variation (CV = sd/mean), so every parameter but the shape keeps the
//     unit of the values, and CV 1 is as variable as exponential.
//   - Pareto with alpha <= 1 has an infinite mean; Mean reports +Inf.
//   - Constructors do not check their arguments; Parse does, and so does
//     Validate, which every scenario calls on its distribution fields.
//     Errors quote the distribution and name the bad parameter.
//   - A distribution holds no random state, so one value may be shared by
//     many components and many concurrent runs.
//
// Sampling for normal, lognormal, pareto and gamma is delegated to
// gonum.org/v1/gonum/stat/distuv, driven by the caller's math/rand/v2 stream.
package dist
