//go:build unix

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Ctrl-C stops dsim merge while it waits on a pipe that never ends, and
// a stream that never ends stops at the size limit.
func TestMergeStopsOnCancel(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	// A writer that opens the FIFO, writes the start of a file and waits.
	stop := make(chan struct{})
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		w.WriteString(`{"format": "dsim-sweep/2", `)
		<-stop
		w.Close()
	}()
	defer close(stop)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	time.Sleep(50 * time.Millisecond) // the writer is there
	start := time.Now()
	var stdout, stderr bytes.Buffer
	code := run(ctx, []string{"merge", "-out", t.TempDir(), fifo}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "merge interrupted") || time.Since(start) > 5*time.Second {
		t.Errorf("exit %d after %v: %s", code, time.Since(start), stderr.String())
	}
	stderr.Reset()
	if code := run(context.Background(), []string{"merge", "-out", t.TempDir(), "/dev/zero"}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "/dev/zero: the file: not a results file") {
		t.Errorf("/dev/zero: exit %d: %s", code, stderr.String())
	}
}
