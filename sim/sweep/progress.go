package sweep

import "context"

// Progress is how far a sweep has come, for a front end's progress line.
type Progress struct {
	Name        string
	Done, Total int // runs
	Finished    bool
}

// What a front end lends the sweeps run with its context: a progress line
// and a shard of a cluster's job. The library keeps none of it.
type (
	progressKey struct{}
	shardKey    struct{}
	shardConf   struct {
		shard Shard
		dir   string
	}
)

// WithProgress returns a context whose sweeps report to fn from the
// goroutine that called Run: when a sweep starts, after every run and at
// the end.
func WithProgress(ctx context.Context, fn func(Progress)) context.Context {
	return context.WithValue(ctx, progressKey{}, fn)
}

// WithShard returns a context whose sweeps run only shard s (unless their
// Spec names one) and write their results file into dir: what dsim run
// -shard does for every sweep of a script.
func WithShard(ctx context.Context, s Shard, dir string) context.Context {
	return context.WithValue(ctx, shardKey{}, shardConf{s, dir})
}

func progressOf(ctx context.Context) func(Progress) {
	fn, _ := ctx.Value(progressKey{}).(func(Progress))
	return fn
}

func shardOf(ctx context.Context) shardConf {
	c, _ := ctx.Value(shardKey{}).(shardConf)
	return c
}
