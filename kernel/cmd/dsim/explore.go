package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"

	"dsim/kernel/explore"
)

// exploreCmd serves the explorer: every scenario as a page of controls,
// re-run on every change, until Ctrl-C.
func exploreCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("explore", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to serve on; 0.0.0.0:8080 shares it with a classroom")
	runTime := fs.Duration("timeout", 20*time.Second, "wall time one run may take")
	runs := fs.Int("runs", 0, "runs at once (0: one per CPU)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *runTime <= 0 || *runTime > time.Hour {
		return fmt.Errorf("%w: -timeout %v: must be between 1ns and 1h", errUsage, *runTime)
	}
	if *runs < 0 || *runs > 1024 {
		return fmt.Errorf("%w: -runs %d: must be between 0 (one per CPU) and 1024", errUsage, *runs)
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("explore: %v", err)
	}
	fmt.Fprintf(stdout, "dsim explore: open http://%s/ (Ctrl-C stops)\n", l.Addr())
	if host, _, _ := net.SplitHostPort(l.Addr().String()); !net.ParseIP(host).IsLoopback() {
		fmt.Fprintln(stdout, "dsim explore: this address is reachable from other machines: anyone who reaches it can run simulations (each bounded in time)")
	}
	s := explore.New(explore.Options{Limits: explore.Limits{Runs: *runs, RunTime: *runTime}})
	return s.Serve(ctx, l)
}
