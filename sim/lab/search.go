package lab

import (
	"cmp"
	"context"
	"dsim/sim/lab/internal/bounds"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
)

// Seeds is the range of seeds a search tries: From, From+1, ... for Count
// seeds, on Workers goroutines.
type Seeds struct {
	From    uint64 // the first seed; default 1
	Count   int    // how many; default 100
	Workers int    // runs at once; default GOMAXPROCS
}

// MaxSeeds bounds a search.
const MaxSeeds = 100_000_000

// Found is a failing seed, the first of the range.
type Found struct {
	Seed   uint64
	Case   *Case   // the failing run as a case: save it, replay it, shrink it
	Result *Result // the failing run
	Passed int     // seeds before it, all passed
}

// String says which seed fails, why, and how to reproduce it.
func (f *Found) String() string {
	return fmt.Sprintf("lab: seed %d fails (%d seeds before it pass): %s\nreproduce: test.Seed = %d; lab.Run(test), or save it: found.Case.Save(\"case.json\")",
		f.Seed, f.Passed, f.Result.Failure(), f.Seed)
}

// Search runs t on the seeds of s and returns the first that fails (a
// checker's verdict is not valid, or a node broke the run), or nil when
// every seed passes. The answer is the lowest failing seed whatever the
// number of workers: runs are handed out in seed order, and once a seed
// fails only lower ones are finished. An invalid test, or ctx's end, is
// an error.
//
// New is called from several goroutines at once when Workers > 1: a node
// written in a script is searched one run at a time (the script host sees
// to it).
//
// A worker runs each seed on the memory of the runs before it that it
// dropped (their histories, their nodes' stores), and so does Shrink: a
// node must not keep its Env or its Store past its run. A test with
// checkers of its own gets a history of its own each run, so that a
// checker may keep what it was given.
func Search(t Test, s Seeds) (*Found, error) { return SearchContext(context.Background(), t, s) }

// SearchContext is Search, stopped when ctx is done.
func SearchContext(ctx context.Context, t Test, s Seeds) (*Found, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	s.From = cmp.Or(s.From, 1)
	s.Count = cmp.Or(s.Count, 100)
	if s.Workers == 0 {
		s.Workers = runtime.GOMAXPROCS(0)
	}
	if err := cmp.Or(
		bounds.In("lab", "Seeds.Count", s.Count, 1, MaxSeeds),
		bounds.In("lab", "Seeds.Workers", s.Workers, 1, 1024),
	); err != nil {
		return nil, err
	}
	switch {
	case s.From > ^uint64(0)-uint64(s.Count):
		return nil, fmt.Errorf("lab: Seeds.From=%d: the range overflows", s.From)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	return search(ctx, t, s)
}

// searchGCPercent is the collector's target while a search runs, unless
// the program set its own (GOGC or debug.SetGCPercent). Runs keep little,
// so the heap stays near its floor and the collector starts every few MB
// allocated: a run of the gossip broadcast allocates about 0.35 MB (2 MB
// before runs reused their memory), and at Go's default of 100 the
// collector starts every 7 runs and two cores spend a fifth more CPU time
// per seed than one (BenchmarkSearchEfficiency's efficiency-cpu, 0.82);
// at 400, every 40 runs, and 0.94.
const searchGCPercent = 400

// search hands seeds out in order to a bounded pool. Each run is a whole
// engine on one goroutine; the pool only decides which seeds run, and the
// answer depends on none of its timing.
func search(ctx context.Context, t Test, s Seeds) (*Found, error) {
	if prev := debug.SetGCPercent(searchGCPercent); prev == 100 {
		defer debug.SetGCPercent(prev)
	} else {
		debug.SetGCPercent(prev) // the program's own choice stands
	}
	var (
		mu      sync.Mutex
		next    = 0
		stopAt  = s.Count // index of the lowest failure so far
		failure *Result
		runErr  error
		wg      sync.WaitGroup
	)
	take := func() (int, bool) {
		mu.Lock()
		defer mu.Unlock()
		if next >= stopAt || runErr != nil || ctx.Err() != nil {
			return 0, false
		}
		next++
		return next - 1, true
	}
	for w := 0; w < min(s.Workers, s.Count); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := new(scratch)
			for {
				i, ok := take()
				if !ok {
					return
				}
				tt := t
				tt.Seed = s.From + uint64(i)
				// Passing runs need no trace: a run without one keeps
				// every other draw, and the failing seed is run again
				// with it below.
				tt.Limits.Trace = -1
				r, c, err := runTest(ctx, tt, sc)
				var le *Error
				kept := false
				mu.Lock()
				switch {
				case err != nil && !errors.As(err, &le):
					if runErr == nil {
						runErr = err
					}
				case !r.OK() && i < stopAt:
					stopAt, failure, kept = i, r, true
				}
				mu.Unlock()
				if c != nil && !kept {
					sc.reclaim(c)
				}
			}
		}()
	}
	wg.Wait()
	if runErr != nil {
		return nil, runErr
	}
	if err := ctx.Err(); err != nil && failure == nil {
		return nil, fmt.Errorf("lab: search stopped after %d of %d seeds: %w", next, s.Count, context.Cause(ctx))
	}
	if failure == nil {
		return nil, nil
	}
	if t.Limits.Trace >= 0 {
		tt := t
		tt.Seed = failure.Test.Seed
		r, err := RunContext(ctx, tt)
		var le *Error
		if err != nil && !errors.As(err, &le) {
			return nil, err
		}
		failure = r
	}
	return &Found{Seed: failure.Test.Seed, Case: NewCase(failure), Result: failure, Passed: stopAt}, nil
}
