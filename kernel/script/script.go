// Package script is what a dsim script knows about the run it is part of:
// the root seed given with -seed, the arguments after the script's name,
// the context that Ctrl-C and -timeout cancel, and where figures go.
//
//	cfg := metastable.Default()
//	cfg.Seed = script.Seed()
//
// Outside the script runner (in compiled Go or a notebook) the seed is 1,
// there are no arguments and the context is never cancelled.
package script

import (
	"context"
	"sync"
)

var (
	mu   sync.Mutex
	seed uint64 = 1
	args []string
	ctx  = context.Background()
)

// Seed is the root seed of the run (dsim run -seed N; 1 by default).
func Seed() uint64 {
	mu.Lock()
	defer mu.Unlock()
	return seed
}

// Args are the arguments after the script's file name.
func Args() []string {
	mu.Lock()
	defer mu.Unlock()
	return append([]string(nil), args...)
}

// Context is cancelled when the user interrupts the script or its
// -timeout passes, and shows progress lines for the runs and sweeps
// started with it. A script's Run and Sweep calls without a context use it
// already (the host binds them to RunContext and SweepContext).
func Context() context.Context {
	mu.Lock()
	defer mu.Unlock()
	return ctx
}

// Set is called by the host before a script or REPL input runs.
func Set(c context.Context, rootSeed uint64, arguments []string) {
	mu.Lock()
	defer mu.Unlock()
	ctx, seed, args = c, rootSeed, append([]string(nil), arguments...)
}
