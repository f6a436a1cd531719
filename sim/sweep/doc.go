// Package sweep runs parameter studies: a model over a grid of knob
// values (or explicit points), several runs per point, in parallel, with
// the same result whatever the number of workers.
//
//   - Spec names the knobs and their values, the runs per point (Reps),
//     the root seed, the workers (all cores by default) and, for a
//     cluster, a Shard: run k of the sweep belongs to shard k mod n + 1.
//   - Each run gets a seed derived from the root seed, the point's values
//     and the replication (RunSeed), never from the order runs happen in;
//     so a knob may not take a value twice, nor may two points be equal.
//     Runs are handed to workers in a shuffled order fixed by the seed, so
//     heavy corners of a grid do not all come last; results are filed by
//     run index.
//   - Func runs the model once and reports Metrics: named numbers, and
//     latency histograms. A number is finite, or NaN for "no value this
//     run"; a share (Metrics.Share) is 0 or 1; a metric whose name ends
//     in "(%)" is a percentage, within [0, 100]. Every run reports its
//     metrics in one order (the table's columns follow the first report
//     by run index). A report that breaks these is the run's error.
//   - Result gives per point and metric the mean and a 95% confidence
//     interval (Student's t, cut to [0, 100] for a percentage, where no
//     mean can lie outside; Wilson's score interval for a share recorded
//     with Metrics.Share, such as "this run ended metastable"), a table
//     (text, Markdown, HTML, CSV, JSON via metrics.Table), a heatmap over
//     two knobs and the same as a table (Pivot), and lines with confidence
//     bands over one.
//   - A shard's Result is written as a results file (Encode, Save, or
//     automatically under WithShard); MergeFiles (or Merge) combines the
//     shards into the result a single run gives.
//
// # Limits and memory
//
// A spec is refused, naming the field, the value and the limit, with more
// than MaxKnobs knobs, MaxPoints points, or MaxRuns runs (points × Reps);
// every count is checked before it is multiplied, so none overflows. A
// sweep keeps no run's latency histogram: as a run finishes, each of its
// histograms is merged into its point's, held in HdrHistogram's packed
// form (the buckets in use, a few KB, where the dense form takes 190 KB).
// A run then costs about 25 bytes plus 8 per metric; a sweep whose result
// grows past MaxMemory stops with an error saying so, and since what it
// holds only grows as runs are filed, whatever their order, the same
// sweep fails with any number of workers. At most MaxMetrics metric names
// (and as many histogram names) per sweep.
//
// # Results files
//
// A results file is JSON: the spec, the names of the metrics, shares and
// histograms, each point's histograms merged over the file's runs (V2
// compressed encoding, base64, which any HdrHistogram library reads), and
// the runs, one a line. Reading one trusts nothing: it is read as a stream
// (MaxFileBytes in all, 64 MiB per entry), stops when its context is
// cancelled (also on a pipe that never ends), and checks every field and
// value (the spec as Validate does; each run within the sweep and the
// file's shard, listed once, with the seed RunSeed gives it, its values
// as for a run's report; histograms of metrics.Latency's range). Merging
// checks the files against each other: the same sweep (name, seed, reps,
// knobs, points), no shard or run twice, a metric a share in all or none,
// and the metrics in one order, which shows names swapped between files.
// Errors name the file, the field and the value. Save writes only into
// its folder, under a checked name (letters, digits, '-', '_', '.').
//
// # Scripts
//
// Run calls fn from several goroutines at once. The script host calls a
// function a script passes from one goroutine at a time, since its
// interpreter makes no promise that interpreted code may run on several at
// once; scenario packages offer compiled sweeps that take knob names
// instead of a function, so the parallel part stays compiled. A front end
// lends a sweep its progress line (WithProgress) and a cluster's shard
// (WithShard) through the context; the package keeps no state of its own.
package sweep
