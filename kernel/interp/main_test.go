package interp

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"testing"
	"time"
)

// TestMain lets the test binary be a worker: Supervise and NewSession
// start this same program again (see Main). A run worker runs the script
// its command line names, as dsim run does: run [-timeout D] FILE.
func TestMain(m *testing.M) {
	Main()
	if IsWorker() {
		os.Exit(runWorker(os.Args[1:]))
	}
	os.Exit(m.Run())
}

func runWorker(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if len(args) == 4 && args[1] == "-timeout" {
		d, err := time.ParseDuration(args[2])
		if err != nil {
			return 2
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	h := New(Options{Exit: os.Exit, OutDir: os.TempDir()})
	if err := h.RunFile(ctx, args[len(args)-1]); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		return 1
	}
	return 0
}
