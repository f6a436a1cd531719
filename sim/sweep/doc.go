// Package sweep runs parameter studies: a model over a grid of knob
// values (or explicit points), several runs per point, in parallel, with
// the same result whatever the number of workers.
//
//   - Spec names the knobs and their values, the runs per point (Reps),
//     the root seed, the workers (all cores by default) and, for a
//     cluster, a Shard: run k of the sweep belongs to shard k mod n + 1.
//   - Each run gets a seed derived from the root seed, the point's values
//     and the replication (RunSeed), never from the order runs happen in.
//     Runs are handed to workers in a shuffled order fixed by the seed, so
//     heavy corners of a grid do not all come last; results are gathered
//     by run index.
//   - Func runs the model once and reports Metrics: named numbers, and
//     latency histograms (merged per point; carried in results files in
//     HdrHistogram's V2 compressed encoding).
//   - Result gives per point and metric the mean and a 95% confidence
//     interval (Student's t; Wilson's score interval for a share recorded
//     with Metrics.Share, such as "this run ended metastable"), a table
//     (text, Markdown, HTML, CSV, JSON via metrics.Table), a heatmap over
//     two knobs and the same as a table (Pivot), and lines with confidence
//     bands over one.
//   - A shard's Result is written as a results file (Encode, WriteFile,
//     or automatically under SetShard); Merge combines the shards into the
//     result a single run gives.
//
// # Scripts
//
// The Yaegi interpreter makes no promise that an interpreted function may
// run on several goroutines at once (its history has races in type
// handling at run time), so Run calls a function a script passes from one
// goroutine at a time. Scenario packages offer compiled sweeps that take
// knob names instead of a function, so the parallel part stays compiled.
package sweep
