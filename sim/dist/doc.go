// Package dist provides the distributions dsim models draw from: latencies,
// service times, gaps between arrivals, message sizes.
//
// # Kinds
//
// Constant, Uniform, Exponential, Normal, TruncNormal, LogNormal, Pareto,
// Gamma, Mixture, Shifted and Empirical. Each samples from a named stream of
// package sim (never a global generator), knows its mean and variance,
// prints itself in a text form, and that text parses back (Parse) to an
// equal distribution. The text form is what scripts, flags and summary
// tables use:
//
//	exp(10ms)
//	pareto(0.235ms, 10)
//	mix(0.9: pareto(0.235ms, 10), 0.1: exp(0.6ms))
//	tnormal(30ms, 20ms)
//
// # Rules
//
//   - Values of a distribution of durations are float seconds; Time turns a
//     draw into a sim.Time, rounded to the nanosecond.
//   - LogNormal and Gamma are given by their mean and coefficient of
//     variation (CV = sd/mean), so every parameter but the shape keeps the
//     unit of the values, and CV 1 is as variable as exponential.
//   - Pareto with alpha <= 1 has an infinite mean, with alpha <= 2 an
//     infinite variance; Mean and Variance report +Inf.
//   - TruncNormal is the normal cut at 0: no draw below 0 is made, so its
//     mean is above Mu, and Mean says by how much (the exact formula).
//   - Constructors do not check their arguments; Parse does, and so do
//     Validate and ValidateDuration, which every scenario calls on its
//     distribution fields. Errors quote the distribution, name the bad
//     parameter, its value and the allowed range.
//   - A distribution holds no random state, so one value may be shared by
//     many components and many concurrent runs.
//
// # Limits
//
// Inside these limits every draw is finite, and Mean and Variance are finite
// (Pareto's infinite moments aside) and agree with the draws: the edges were
// measured with 10⁷ draws each, sample mean and variance against the
// formulas and sample quantiles against the CDF (limits_test.go).
//
//   - A value (constant, uniform ends, normal mean, shift, emp point) is at
//     most 1e15 in magnitude, or 1,000,000h for durations.
//   - A scale (exp and lognormal and gamma mean, normal sd, pareto xm) is at
//     least 1e-9 (1ns for durations).
//   - The CV of lognormal and gamma is between 1e-6 and 10; pareto's alpha
//     between 0.1 and 1e6; tnormal's mu at least 0.
//   - A mixture's weights are positive, and each is at least 1e-6 of their
//     total, so that every part is drawn at its share.
//   - Mix and shift nest at most 16 deep; a distribution holds at most
//     10,000 numbers (parameters, weights and points); Parse reads at most
//     1 MiB of text.
//
// # Durations are never negative
//
// A distribution used for durations must not draw below 0, and nothing
// moves a negative draw to 0 behind the user's back. ValidateDuration
// refuses, naming the part and the alternative, a normal whose mean is less
// than 14.2 sd above 0 (math/rand/v2's normal draws reach 14.11 sd), a shift
// whose constant takes the least draw below 0, and a negative constant,
// uniform end or emp point. Use tnormal, lognormal or gamma for a spread
// that must stay positive. Time panics on a negative draw, which only a Dist
// of the caller's own can make; in a run the engine reports it with the
// seed.
//
// A draw of exp or pareto (or gamma with CV 1) is +Inf with probability
// below 1e-19 (a uniform of exactly 0 in the ziggurat's tail); Time turns it
// into sim.MaxTime.
//
// Sampling for gamma is delegated to gonum.org/v1/gonum/stat/distuv, and
// normal, lognormal and pareto draw as distuv does, driven by the caller's
// math/rand/v2 stream.
package dist
