package interp

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// A worker is this same program started again to run user code under
// Limits. Its standard error (fd 2) is a pipe to the parent that carries
// only what the Go runtime writes itself, a fatal error's trace; the
// worker's own standard error is fd 3. The parent turns a trace into one
// line (crash.go).
const (
	workerEnv = "DSIM_WORKER" // "run:BYTES" or "session:BYTES", set for the worker only
	traceEnv  = "DSIM_TRACE"  // set to 1 to see the Go runtime's traces as they are
)

var inWorker bool

// Main makes this process a worker when Supervise or NewSession started
// it, and does nothing otherwise. Programs that use either must call it
// first in main (and in TestMain): a session worker serves its session
// and exits here; a run worker sets its limits and returns, and the
// program goes on to run its command line, for which IsWorker is then
// true.
func Main() {
	v, ok := os.LookupEnv(workerEnv)
	if !ok {
		return
	}
	os.Unsetenv(workerEnv) // scripts see the environment, but not this
	kind, mem, _ := strings.Cut(v, ":")
	n, _ := strconv.ParseInt(mem, 10, 64)
	Limits{Memory: n}.apply()
	if os.Getenv(traceEnv) == "" {
		debug.SetTraceback("none") // the parent reads the first lines only
	}
	os.Stderr = os.NewFile(3, "/dev/stderr")
	inWorker = true
	if kind == "session" {
		os.Exit(serveSession())
	}
}

// IsWorker reports whether this process is a run worker (see Main).
func IsWorker() bool { return inWorker }

// Process says how Supervise runs a script's worker.
type Process struct {
	Args           []string  // the worker's command line, without the program's name
	Stdin          io.Reader // nil means none
	Stdout, Stderr io.Writer
	Limits         Limits
	// Timeout is the script's own time limit, which the worker enforces;
	// Supervise kills a worker still running a grace period after it.
	Timeout time.Duration
}

// killGrace is how long a worker has to stop by itself after an
// interrupt or its time limit before it is killed.
const killGrace = 3 * time.Second

// Supervise runs this program again as a worker with p's command line and
// limits, and waits for it. Cancelling ctx interrupts the worker (SIGINT),
// which stops its script and reports it; a worker still running
// killGrace later is killed. Supervise returns nil when the worker exits
// with status 0; an *ExitError with its status when it exits otherwise,
// having said why itself; an *Error when it crashed (out of stack, out of
// memory, a fatal runtime error, a signal), saying why in one line.
func Supervise(ctx context.Context, p Process) error {
	_, err := supervise(ctx, p)
	return err
}

// supervise is Supervise that also returns the worker's state, for its
// resource use.
func supervise(ctx context.Context, p Process) (*os.ProcessState, error) {
	w, err := startProc("run", p.Args, p.Limits, p.Stdin, p.Stdout, p.Stderr, nil)
	if err != nil {
		return nil, err
	}
	var deadline <-chan time.Time
	if p.Timeout > 0 {
		t := time.NewTimer(p.Timeout + killGrace)
		defer t.Stop()
		deadline = t.C
	}
	done := ctx.Done()
	var reason string // why the worker was killed, if it was
	for w.state == nil {
		select {
		case <-w.exited:
			w.wait()
		case <-done:
			done = nil
			_ = w.cmd.Process.Signal(os.Interrupt)
			t := time.NewTimer(killGrace)
			defer t.Stop()
			deadline = t.C
		case <-deadline:
			deadline = nil
			reason = "did not stop after its time limit and was killed"
			if ctx.Err() != nil {
				reason = "did not stop when interrupted and was killed"
			}
			_ = w.cmd.Process.Kill()
		}
	}
	if reason != "" {
		return w.state, &Error{Msg: "the script " + reason, Kind: "killed"}
	}
	if err := w.crashError("the script", ctx.Err() != nil); err != nil {
		return w.state, err
	}
	if code := w.state.ExitCode(); code != 0 {
		return w.state, &ExitError{Code: code}
	}
	return w.state, nil
}

// proc is a running worker.
type proc struct {
	cmd    *exec.Cmd
	lim    Limits
	crash  *crashLog
	exited chan struct{} // closed when the process has exited
	state  *os.ProcessState
	files  []*os.File     // the parent's ends to close after the worker has exited
	copies sync.WaitGroup // copying of the worker's fd 3, when Stderr is not a file
}

// startProc starts a worker of kind "run" or "session". extra are further
// files for the worker, from fd 4 on.
func startProc(kind string, args []string, lim Limits, stdin io.Reader, stdout, stderr io.Writer, extra []*os.File) (*proc, error) {
	if err := lim.Validate(); err != nil {
		return nil, err
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("interp: cannot start a worker: %v", err)
	}
	w := &proc{lim: lim, exited: make(chan struct{})}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s:%d", workerEnv, kind, lim.Mem()))
	cmd.Stdin, cmd.Stdout = stdin, stdout
	cmd.SysProcAttr = workerAttr()
	crashR, crashW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = crashW
	errFile, ok := stderr.(*os.File)
	if !ok {
		// Both the copy of fd 3 and the crash log write to it.
		stderr = &lockedWriter{w: stderr}
		r, wr, err := os.Pipe()
		if err != nil {
			crashR.Close()
			crashW.Close()
			return nil, err
		}
		errFile = wr
		w.files = append(w.files, wr)
		w.copies.Add(1)
		go func() {
			defer w.copies.Done()
			defer r.Close()
			_, _ = io.Copy(stderr, r)
		}()
	}
	cmd.ExtraFiles = append([]*os.File{errFile}, extra...)
	w.crash = newCrashLog(crashR, stderr)
	if err := cmd.Start(); err != nil {
		crashW.Close()
		crashR.Close()
		w.closeFiles()
		return nil, fmt.Errorf("interp: cannot start a worker: %v", err)
	}
	crashW.Close()
	w.closeFiles() // the worker has its own copies
	w.files = nil
	w.cmd = cmd
	go func() {
		_ = cmd.Wait()
		close(w.exited)
	}()
	return w, nil
}

func (w *proc) closeFiles() {
	for _, f := range w.files {
		f.Close()
	}
}

// wait waits until the worker has exited and everything it wrote has been
// read.
func (w *proc) wait() {
	<-w.exited
	w.crash.wait()
	w.copies.Wait()
	w.state = w.cmd.ProcessState
}

// kill ends the worker and waits for it.
func (w *proc) kill() {
	_ = w.cmd.Process.Kill()
	w.wait()
}

// crashError says in one line (an *Error) why the worker died, naming
// what died ("the script", "the input"), or returns nil when it exited by
// itself and its runtime wrote no fatal error. A worker whose output was
// closed (dsim run x.go | head) gets a silent *ExitError, as from a shell.
func (w *proc) crashError(what string, interrupted bool) error {
	if msg, kind := w.crash.explain(w.lim); msg != "" {
		return &Error{Msg: what + " " + msg, Kind: kind}
	}
	ws, ok := w.state.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() {
		return nil
	}
	switch sig := ws.Signal(); {
	case sig == syscall.SIGINT && interrupted:
		return &Error{Msg: "interrupted", Kind: "interrupted"}
	case sig == syscall.SIGPIPE:
		return &ExitError{Code: 128 + int(sig)}
	case sig == syscall.SIGKILL:
		return &Error{Msg: what + " was killed (signal: killed; the system may be out of memory)", Kind: "killed"}
	default:
		return &Error{Msg: fmt.Sprintf("%s was stopped by a signal (%v)", what, sig), Kind: "killed"}
	}
}

// lockedWriter serializes writes to a writer that is not safe for
// concurrent use.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
