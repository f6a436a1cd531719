// Package scenario is the contract every lesson's model keeps, so that
// learning one teaches all and the front ends (the dsim command, sweeps,
// the explorer) loop over them instead of knowing each by hand.
//
// # The shape of a scenario
//
// Each scenario is a package under sim/scenario with:
//
//	cfg := metastable.Default()          // documented defaults
//	cfg.Timeout = 2 * time.Second        // plain exported fields
//	res, err := metastable.Run(cfg)      // validates first: a bad field gives an error naming it
//	res.Summary()                        // a table of the headline numbers
//	res.Verdict()                        // a typed outcome with a one-line explanation
//	res.Figures()                        // the standard plots
//	metastable.Presets()                 // the lesson's experiments
//	metastable.KnobTable()               // every knob: flag, unit, default, range
//	metastable.Sweep(cfg, spec)          // a parameter study over named knobs
//	metastable.Scenario()                // the descriptor the front ends use
//
// # Knob tables
//
// A knob is one field of a scenario's Config, declared once in its Table:
// name (the field, dotted for a nested one: "Backoff.Base"), kind (number,
// count, duration, switch, choice, distribution, text), unit, default,
// range and a one-line doc. From the table come Default() and the filling
// of zero fields, the range checks of Validate (errors read
// "metastable: Timeout=-1s: must be between 1ms and 1h"), the command
// line's flags (-timeout, -backoff-base), the sweep knobs and the
// documented knob tables. Rules across fields (R <= N, a trigger inside
// the run) stay hand-written in the package's rules, which Validate runs
// after the table's checks.
//
// Zero fields take the default, so a Config literal needs only the fields
// it changes; a knob whose zero means something of its own says so
// (ZeroMeans: "no retries", "unbounded"). Set refuses an explicit zero that
// would silently become the default, so a command line cannot mistake one
// for the other. The ranges are chosen so that no product a run computes
// (a timeout times the attempts, a trigger's end) can overflow.
//
// A knob that matters only in some modes says so (OnlyWith, OnlyWithout:
// the users experiment's population, a function's memory, a breaker's
// window); Table.Ignored says why such a knob does nothing in a Config,
// the command line warns when one is set to no effect, the explorer greys
// it out, and help and the documented tables say when it matters
// (Knob.OnlyText: "only with -experiment users"). A knob may matter under
// either of several conditions (OnlyWithEither: a trigger's window with a
// spike, a capacity drop or a slowdown). The rule for a knob the mode
// ignores: the command line warns and runs, and the model leaves it
// unused (builds nothing for it: standbys without a sloppy quorum, early
// refresh without a TTL), unless its value contradicts the mode it asks
// for (deltas switched on with no gossip rounds to send them), which
// Validate refuses, naming it. A name that
// is no knob, preset or scenario gets the nearest one in its error
// ("did you mean Timeout?"), by Closest, the one judge of near names.
//
// # One vocabulary
//
// Rates are per second (Set also reads "60/min"); every latency or service
// time is a dist.Dist with its text form ("exp(500ms)"; a plain "500ms" or
// "0.5", in seconds, is a constant); shares and chances read "10%", sizes
// in MB "2GB" (1 GB = 1024 MB); retries wait by resilience.Backoff and breakers take a
// resilience.BreakerConfig; a trigger or fault window is a sim.Window;
// verdict outcomes are typed with a String method; durations in results
// are time.Duration.
//
// # Adding a scenario
//
//  1. A package sim/scenario/NAME with doc.go (the model, its rules and
//     sources), config.go (Config, its knob table, Default, Validate),
//     model.go (Run, RunContext), result.go (Result, Summary), verdict.go
//     and figures.go, presets.go.
//  2. In it, func Scenario() scenario.Scenario, built by the internal
//     describe.New from the knob table, Presets, Default, Validate and
//     RunContext (its Preset type has an Info method, its Result a Report
//     method from describe.Report, and its Verdict an Outcome field);
//     describe.WithCompare adds its side-by-side table and figure of
//     several runs, when it has them (the explorer shows them when runs
//     are pinned); Sweep, SweepContext and KnobTable wrap it. The knob table names the
//     scenario; describe's Bad, Validate and Find take the name from it.
//  3. One line in sim/scenario/registry. The command (dsim NAME), dsim
//     presets, sweeps and the explorer then know it, and the registry's
//     tests check its knobs are documented everywhere (go test
//     ./sim/scenario/registry -update regenerates the knob tables of its
//     doc.go and the README).
package scenario
