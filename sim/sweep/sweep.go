package sweep

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
)

// RunSeed is the seed of a run: derived from the root seed, the point's
// values and the replication, so it never depends on the order runs are
// made in, on the workers, or on the other points of the sweep.
func RunSeed(root uint64, values []float64, rep int) uint64 {
	h := uint64(14695981039346656037)
	mix := func(x uint64) {
		for i := 0; i < 8; i++ {
			h ^= x & 0xff
			h *= 1099511628211
			x >>= 8
		}
	}
	mix(root)
	for _, v := range values {
		mix(math.Float64bits(v))
	}
	mix(uint64(rep))
	h += 0x9e3779b97f4a7c15
	h = (h ^ h>>30) * 0xbf58476d1ce4e5b9
	h = (h ^ h>>27) * 0x94d049bb133111eb
	return h ^ h>>31
}

// Run runs the sweep: every point Reps times, on Workers goroutines. Runs
// are filed as they finish (each run's histograms merged into its point's,
// its numbers kept), and the result is the same whatever the number of
// workers. A run's error stops the sweep and is returned with its point
// and seed; so is a report the sweep refuses (see Metrics), results that
// grow past MaxMemory, and ctx's cancellation.
func Run(ctx context.Context, spec Spec, fn Func) (*Result, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	if fn == nil {
		return nil, errors.New("sweep: the run function is nil")
	}
	if ctx == nil {
		ctx = context.Background()
	}
	spec = spec.withDefaults()
	shard := shardOf(ctx)
	if spec.Shard.N == 0 {
		spec.Shard = shard.shard
	}
	points := spec.points()
	var todo []int
	for k := 0; k < len(points)*spec.Reps; k++ {
		if spec.Shard.has(k) {
			todo = append(todo, k)
		}
	}
	call := fn
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	b := newBuilder(spec, points)
	if err := b.collect(ctx, cancel, len(todo), start(ctx, spec, points, todo, call)); err != nil {
		return nil, err
	}
	res, err := b.finish()
	if err != nil {
		return nil, fmt.Errorf("sweep %s: %w", spec.Name, err)
	}
	if dir := shard.dir; spec.Shard.N > 1 && dir != "" {
		if _, err := res.Save(ctx, dir); err != nil {
			return nil, fmt.Errorf("sweep %s: writing the shard's results: %w", spec.Name, err)
		}
	}
	return res, nil
}

// finished is a run made: its index, and what it reported or its error.
type finished struct {
	k   int
	m   *Metrics
	err error
}

// start makes the runs in todo on the spec's workers and sends each as it
// finishes; the channel closes when all have, or ctx stops them. These
// goroutines only hand out runs and collect them: each run is a whole
// engine of its own on one goroutine, its seed comes from its point and
// replication, and the builder files results by run index, so nothing the
// scheduler does reaches a result.
func start(ctx context.Context, spec Spec, points []Point, todo []int, call Func) <-chan finished {
	jobs := make(chan int)
	done := make(chan finished)
	var wg sync.WaitGroup
	for w := 0; w < min(spec.Workers, max(1, len(todo))); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range jobs {
				m, err := safeCall(call, points[k/spec.Reps], RunSeed(spec.Seed, points[k/spec.Reps].Values, k%spec.Reps))
				done <- finished{k, m, err}
			}
		}()
	}
	go handOut(ctx, spec, todo, jobs)
	go func() { wg.Wait(); close(done) }()
	return done
}

// collect files the runs as they finish, reporting progress. The first
// error (by run index, among the runs made) cancels the rest.
func (b *builder) collect(ctx context.Context, cancel context.CancelFunc, total int, done <-chan finished) error {
	spec := b.spec
	at := func(k int) string {
		p := b.points[k/spec.Reps]
		return fmt.Sprintf("sweep %s: run at %v, rep %d (seed %d)", spec.Name, p, k%spec.Reps, RunSeed(spec.Seed, p.Values, k%spec.Reps))
	}
	report := progressOf(ctx)
	if report == nil {
		report = func(Progress) {}
	}
	report(Progress{Name: spec.Name, Total: total})
	count, failed, errAt := 0, error(nil), -1
	for d := range done {
		count++
		switch {
		case d.err == nil && failed != nil: // stopping: no need to file it
		case d.err == nil:
			d.err = b.file(d.k, d.m.report(), fmt.Sprintf("run %d", d.k), true)
			if errors.Is(d.err, errMemory) {
				d.err = fmt.Errorf("sweep %s: stopped after %d of %d runs: %w", spec.Name, count, total, d.err)
			} else if d.err != nil {
				d.err = fmt.Errorf("%s reports: %w", at(d.k), d.err)
			}
		default:
			d.err = fmt.Errorf("%s: %w", at(d.k), d.err)
		}
		if d.err != nil && (errAt < 0 || d.k < errAt) {
			failed, errAt = d.err, d.k
			cancel()
		}
		report(Progress{Name: spec.Name, Done: count, Total: total})
	}
	report(Progress{Name: spec.Name, Done: count, Total: total, Finished: true})
	if failed != nil {
		return failed
	}
	if err := ctx.Err(); err != nil && count < total {
		return fmt.Errorf("sweep %s: stopped after %d of %d runs: %w", spec.Name, count, total, context.Cause(ctx))
	}
	return nil
}

// handOut gives the workers the runs in a shuffled order, fixed by the
// seed: a grid often puts its heaviest runs together (the largest load
// last), and a worker left alone with them at the end wastes the others.
// Runs are filed by index, so the order never shows in a result.
func handOut(ctx context.Context, spec Spec, todo []int, jobs chan<- int) {
	defer close(jobs)
	shuffle := rand.New(rand.NewPCG(spec.Seed, uint64(len(todo))))
	shuffle.Shuffle(len(todo), func(i, j int) { todo[i], todo[j] = todo[j], todo[i] })
	for _, k := range todo {
		select {
		case jobs <- k:
		case <-ctx.Done():
			return
		}
	}
}

// safeCall turns a panic in the user's function into an error.
func safeCall(fn Func, p Point, seed uint64) (m *Metrics, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	m, err = fn(p, seed)
	if err == nil && m == nil {
		m = NewMetrics()
	}
	return m, err
}
