// Package interp is the Yaegi host of dsim's script runner and REPL:
// interpreted Go (Go 1.22 level, github.com/traefik/yaegi v0.16.1) over the
// compiled library, whose symbols come from kernel/symbols.
//
// The host makes Yaegi safe to leave running in front of a person. Each of
// these was seen with Yaegi v0.16.1:
//   - One Eval cannot mix declarations and statements: REPL input is split
//     into runs of one kind (split.go).
//   - A second import of a package fails as redeclared: imports already
//     made are dropped from later input.
//   - After a runtime panic or a cancel the interpreter can keep returning
//     the old panic or hang until a trivial statement is evaluated: the host
//     evaluates func(){}() after every failure.
//   - A panic in a goroutine started by a script kills the process: go
//     statements are rewritten to run under a guard that recovers the panic
//     and stops the evaluation (rewrite.go). The rewrite is a plain call,
//     because Yaegi evaluates a go statement's arguments late, in the new
//     goroutine.
//   - Cancelling stops interpreted loops but not compiled ones: the
//     evaluation's context is handed to the engine (sim.SetHostContext via
//     kernel/script), whose long runs watch it.
package interp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing/fstest"
	"time"

	yaegi "github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"

	"dsim/kernel/display"
	"dsim/kernel/script"
	"dsim/kernel/symbols"
	"dsim/sim"
)

// Options configure a Host.
type Options struct {
	Stdout, Stderr io.Writer // where the script's output goes; nil means os.Stdout, os.Stderr
	OutDir         string    // where display.Show writes figures; empty means "out"
	Seed           uint64    // the root seed scripts read with script.Seed(); zero means 1
	Args           []string  // the arguments scripts read with script.Args()
}

// Host runs scripts and REPL input in one Yaegi interpreter whose state
// persists across evaluations.
type Host struct {
	opts     Options
	in       *yaegi.Interpreter
	imported map[string]bool // "name path" of the imports made so far
	stderr   *panicFilter

	mu       sync.Mutex
	cancel   context.CancelCauseFunc // of the running evaluation
	goPanic  error                   // a goroutine's panic, reported by the guard
	needsFix bool                    // a panic or cancel happened: reset before the next Eval
}

// ErrGoroutinePanic marks a panic in a goroutine a script started.
var ErrGoroutinePanic = errors.New("panic in a goroutine")

// New returns a host with a fresh interpreter.
func New(opts Options) *Host {
	if opts.Stdout == nil {
		opts.Stdout = os.Stdout
	}
	if opts.Stderr == nil {
		opts.Stderr = os.Stderr
	}
	if opts.OutDir == "" {
		opts.OutDir = "out"
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	h := &Host{opts: opts}
	h.Reset()
	return h
}

// Reset drops every definition and import: a fresh interpreter.
func (h *Host) Reset() { h.reset(nil) }

func (h *Host) reset(fs *fstest.MapFS) {
	h.stderr = &panicFilter{w: h.opts.Stderr}
	o := yaegi.Options{Stdout: h.opts.Stdout, Stderr: h.stderr, Args: append([]string{"script"}, h.opts.Args...)}
	if fs != nil {
		o.SourcecodeFilesystem = fs
	}
	h.in = yaegi.New(o)
	h.in.Use(stdlib.Symbols)
	h.in.Use(symbols.Symbols)
	h.in.Use(yaegi.Exports{guardPath + "/guard": {"Go": reflect.ValueOf(h.spawn)}})
	h.imported = map[string]bool{}
	h.needsFix = false
	display.SetOutput(h.opts.Stdout)
	display.SetOutDir(h.opts.OutDir)
}

// spawn starts a script's goroutine under the guard. Scripts reach it
// through the rewrite of their go statements (see guardGoroutines).
func (h *Host) spawn(fn func()) { go h.guard(fn) }

// guard runs a goroutine's function; a panic in it is recovered, reported
// and stops the evaluation that started it.
func (h *Host) guard(fn func()) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		// Under the lock, so that of two goroutines panicking at once the
		// one that reports also has the position Yaegi printed.
		h.mu.Lock()
		err := fmt.Errorf("%w: %v", ErrGoroutinePanic, r)
		if pos := h.stderr.takePos(); pos != "" {
			err = fmt.Errorf("%s: %w", pos, err)
		}
		cancel := h.cancel
		if cancel == nil {
			// No evaluation is running: the goroutine outlived the input
			// that started it. Say so now; the next input starts clean.
			h.needsFix = true
			h.mu.Unlock()
			fmt.Fprintf(h.opts.Stderr, "error: %v\n", err)
			return
		}
		if h.goPanic == nil {
			h.goPanic = err
		}
		h.mu.Unlock()
		cancel(err)
	}()
	fn()
}

// begin starts an evaluation: its context, cancelled by ctx, by a
// goroutine's panic, or by the host; the engine and scripts see it.
func (h *Host) begin(ctx context.Context) (context.Context, func()) {
	if h.needsFix {
		h.fix()
	}
	ectx, cancel := context.WithCancelCause(ctx)
	h.mu.Lock()
	h.cancel, h.goPanic = cancel, nil
	h.mu.Unlock()
	script.Set(ectx, h.opts.Seed, h.opts.Args)
	display.SetOutput(h.opts.Stdout)
	display.SetOutDir(h.opts.OutDir)
	return ectx, func() {
		h.mu.Lock()
		h.cancel = nil
		h.mu.Unlock()
		cancel(nil)
		script.Set(context.Background(), h.opts.Seed, h.opts.Args)
	}
}

// fix clears what a panic or a cancel left in the interpreter by
// evaluating a trivial statement (see the package doc). If even that does
// not return, the interpreter is replaced.
func (h *Host) fix() {
	h.needsFix = false
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := h.in.EvalWithContext(ctx, "func(){}()"); err != nil {
		fmt.Fprintln(h.opts.Stderr, "dsim: the interpreter did not recover; its state was reset")
		h.Reset()
	}
}

// finish turns what an evaluation returned into the error to report.
func (h *Host) finish(ctx context.Context, err error, name string) error {
	h.mu.Lock()
	gp := h.goPanic
	h.mu.Unlock()
	if gp != nil {
		h.needsFix = true
		return &Error{Msg: rename(gp.Error(), name), Kind: "panic", Err: gp}
	}
	if err == nil {
		return nil
	}
	var p yaegi.Panic
	switch {
	case errors.As(err, &p):
		h.needsFix = true
		msg := fmt.Sprintf("panic: %v", p.Value)
		if pos := h.stderr.takePos(); pos != "" {
			msg = pos + ": " + msg
		}
		return &Error{Msg: rename(msg, name), Kind: "panic"}
	case ctx.Err() != nil:
		h.needsFix = true
		waitForRuns()
		cause := context.Cause(ctx)
		if errors.Is(cause, context.DeadlineExceeded) {
			return &Error{Msg: "stopped: the time limit passed", Kind: "timeout", Err: cause}
		}
		return &Error{Msg: "interrupted", Kind: "interrupted", Err: cause}
	}
	return &Error{Msg: rename(err.Error(), name), Kind: "error", Err: err}
}

// waitForRuns waits, at most 2 s, until compiled simulations still running
// from an interrupted evaluation have seen the cancellation and returned.
// The interpreter returns as soon as its context is done, but a compiled
// sim.Run notices only at its next poll; its last progress line would
// otherwise land after the next prompt.
func waitForRuns() {
	for deadline := time.Now().Add(2 * time.Second); sim.Running() > 0 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
}

// Error is what went wrong in a script: a compile error or a panic with
// its position (file:line:col), a timeout or an interruption.
type Error struct {
	Msg  string
	Kind string // "error", "panic", "timeout" or "interrupted"
	Err  error
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Err }

// rename shows positions in the script's own name: the interpreter reads
// it from an in-memory file system under its base name.
func rename(msg, name string) string {
	if name == "" {
		// REPL input: positions are in Yaegi's wrapper of the line, not
		// the person's; the message alone is clearer.
		return replPos.ReplaceAllString(msg, "")
	}
	base := filepath.Base(name)
	if base == name {
		return msg
	}
	return strings.ReplaceAll(msg, base+":", name+":")
}

var replPos = regexp.MustCompile(`^\d+:\d+: `)

// RunFile runs a script: a package main file whose main function is the
// experiment. Its go statements run under the host's guard.
func (h *Host) RunFile(ctx context.Context, path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return &Error{Msg: err.Error(), Kind: "error", Err: err}
	}
	text, n := guardGoroutines(string(src), true)
	if n > 0 {
		text = addGuardImport(text)
	}
	base := filepath.Base(path)
	h.reset(&fstest.MapFS{base: {Data: []byte(text)}})
	ectx, end := h.begin(ctx)
	defer end()
	_, err = h.in.EvalPathWithContext(ectx, base)
	return h.finish(ectx, err, path)
}

// addGuardImport imports the guard on the package clause's line, so that
// no line moves.
var packageClause = regexp.MustCompile(`(?m)^package\s+\w+`)

func addGuardImport(src string) string {
	loc := packageClause.FindStringIndex(src)
	if loc == nil {
		return src
	}
	return src[:loc[1]] + "; import " + guardName + " " + fmt.Sprintf("%q", guardPath) + src[loc[1]:]
}

// Eval evaluates one REPL input: declarations and statements, in order.
// It returns the value of the input when it is a single expression with
// one, for the REPL to show.
func (h *Host) Eval(ctx context.Context, src string) (reflect.Value, error) {
	chunks, incomplete := split(src)
	if incomplete {
		return reflect.Value{}, &Error{Msg: "incomplete input", Kind: "error"}
	}
	ectx, end := h.begin(ctx)
	defer end()
	var last reflect.Value
	for _, c := range chunks {
		code := c.src
		var keys []string
		if c.decl && strings.Contains(code, "import") {
			code, keys = h.newImports(code)
			if strings.TrimSpace(code) == "" {
				continue
			}
		}
		code, n := guardGoroutines(code, c.decl)
		if n > 0 && !h.imported[guardName+" "+guardPath] {
			if _, err := h.in.Eval(fmt.Sprintf("import %s %q", guardName, guardPath)); err != nil {
				return reflect.Value{}, h.finish(ectx, err, "")
			}
			h.imported[guardName+" "+guardPath] = true
		}
		v, err := h.in.EvalWithContext(ectx, code)
		if err := h.finish(ectx, err, ""); err != nil {
			return reflect.Value{}, err
		}
		for _, k := range keys {
			h.imported[k] = true
		}
		if c.expr {
			last = v
		} else {
			last = reflect.Value{}
		}
	}
	return last, nil
}
