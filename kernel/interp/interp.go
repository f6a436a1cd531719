package interp

import (
	"cmp"
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"reflect"
	"strings"
	"sync"
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
	// Env is the environment scripts see (os.Getenv, os.Environ, in the
	// form "key=value"); nil means this process's. Scripts changing it
	// (os.Setenv) change their copy only.
	Env []string
	// Exit ends the program when a script calls os.Exit or log.Fatal; nil
	// means the script or REPL input stops with an *ExitError instead,
	// after running its deferred calls (which Go's os.Exit does not).
	Exit func(code int)
}

// Host runs scripts and REPL input in one Yaegi interpreter whose state
// persists across evaluations.
type Host struct {
	opts     Options
	in       *yaegi.Interpreter
	imported map[string]bool   // "name path" of the imports made so far
	types    map[string]string // REPL types declared so far: name -> definition
	stdout   *outWriter
	stderr   *panicFilter
	file     string // the script RunFile runs, for positions; "" in the REPL
	src      []byte
	wake     *wake // what may wake a blocked script, for the deadlock check

	// runs is the sim.Host of the runs scripts start: their progress
	// lines, and how many are still running after an interrupt.
	runs *sim.Host

	mu       sync.Mutex
	ctx      context.Context         // the running evaluation's run context
	cancel   context.CancelCauseFunc // of the running evaluation
	goPanic  error                   // a goroutine's panic, reported by the guard
	needsFix bool                    // a panic or cancel happened: reset before the next Eval
	input    int                     // the number of the running or last evaluation
	live     map[int]int             // evaluation -> its goroutines still running
	nlive    int
	goexit   bool   // main called runtime.Goexit
	blocked  string // what main was blocked on when it was stopped
	broken   bool   // the interpreter did not recover from a failure and was replaced
	fresh    bool   // nothing has been evaluated since the last Reset
}

// New returns a host with a fresh interpreter.
func New(opts Options) *Host {
	if opts.Stdout == nil {
		opts.Stdout = os.Stdout
	}
	if opts.Stderr == nil {
		opts.Stderr = os.Stderr
	}
	opts.OutDir = cmp.Or(opts.OutDir, "out")
	opts.Seed = cmp.Or(opts.Seed, 1)
	if opts.Env == nil {
		opts.Env = os.Environ()
	}
	h := &Host{opts: opts, live: map[int]int{}, runs: &sim.Host{Progress: display.RunProgress}}
	h.Reset()
	return h
}

// Reset drops every definition and import: a fresh interpreter. The
// goroutines the old one left running are stopped (see StopGoroutines).
func (h *Host) Reset() {
	if h.in != nil {
		h.StopGoroutines(0)
	}
	h.wake = &wake{}
	h.stdout = &outWriter{w: h.opts.Stdout}
	h.stderr = &panicFilter{w: h.opts.Stderr}
	h.in = yaegi.New(yaegi.Options{
		Stdout: h.stdout, Stderr: h.stderr, Env: h.opts.Env,
		Args: append([]string{"script"}, h.opts.Args...),
	})
	h.in.Use(stdlib.Symbols)
	h.in.Use(symbols.Symbols)
	h.in.Use(h.overrides())
	h.in.Use(h.contextOverrides())
	h.imported = map[string]bool{}
	h.types = map[string]string{}
	h.needsFix = false
	h.fresh = true
	h.file, h.src = "", nil
	display.SetOutput(h.opts.Stdout)
	display.SetOutDir(h.opts.OutDir)
}

// begin starts an evaluation. Its context is cancelled by ctx, by a
// goroutine's panic, by the deadlock watchdog or by the host; the engine
// and scripts see it. The interpreter gets a context of its own, cancelled
// just after, so that what main was blocked on can be seen first.
func (h *Host) begin(ctx context.Context) (ectx, ictx context.Context, end func()) {
	if h.needsFix {
		h.fix()
	}
	h.fresh = false
	ectx, cancel := context.WithCancelCause(ctx)
	ictx, icancel := context.WithCancelCause(context.Background())
	h.mu.Lock()
	h.cancel, h.goPanic, h.goexit, h.blocked = cancel, nil, false, ""
	h.input++
	h.mu.Unlock()
	stopAfter := context.AfterFunc(ectx, func() {
		if errors.Is(context.Cause(ectx), context.DeadlineExceeded) {
			h.noteBlocked()
		}
		icancel(context.Cause(ectx))
	})
	stopWatch := h.watch(ectx, cancel)
	rctx := h.runContext(ectx)
	h.mu.Lock()
	h.ctx = rctx
	h.mu.Unlock()
	script.Set(rctx, h.opts.Seed, h.opts.Args)
	display.SetOutput(h.opts.Stdout)
	display.SetOutDir(h.opts.OutDir)
	return ectx, ictx, func() {
		stopWatch()
		h.mu.Lock()
		h.cancel, h.ctx = nil, nil
		h.mu.Unlock()
		stopAfter()
		cancel(nil)
		icancel(nil)
		script.Set(context.Background(), h.opts.Seed, h.opts.Args)
		if h.needsFix {
			h.fix()
		}
	}
}

// fix clears what a panic or a cancel left in the interpreter by
// evaluating a trivial statement (see the package doc). If even that does
// not return, the interpreter is replaced, and Broken says so.
func (h *Host) fix() {
	h.needsFix = false
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := h.in.EvalWithContext(ctx, "func(){}()"); err != nil {
		h.Reset()
		h.mu.Lock()
		h.broken = true
		h.mu.Unlock()
	}
}

// Broken reports whether the interpreter failed to recover from the last
// evaluation and was replaced by a fresh one, losing its state, and
// forgets it.
func (h *Host) Broken() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	b := h.broken
	h.broken = false
	return b
}

// waitForRuns waits, at most 2 s, until compiled simulations still running
// from an interrupted evaluation have seen the cancellation and returned.
// The interpreter returns as soon as its context is done, but a compiled
// sim.Run notices only at its next poll; its last progress line would
// otherwise land after the next prompt.
func (h *Host) waitForRuns() {
	for deadline := time.Now().Add(2 * time.Second); h.runs.Running() > 0 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
}

// RunFile runs a script: a package main file whose main function is the
// experiment. It is checked first (checkFile), and its go statements run
// under the host's guard.
func (h *Host) RunFile(ctx context.Context, path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return &Error{Msg: err.Error(), Kind: "error", Err: err}
	}
	if !h.fresh {
		h.Reset() // a new interpreter costs milliseconds: not twice
	}
	h.fresh = false
	h.file = path
	prog, err := h.compileFile(path, src)
	if err != nil {
		return err
	}
	ectx, ictx, end := h.begin(ctx)
	defer end()
	// After a cancel, ExecuteWithContext's goroutine still writes the
	// results it has returned (a data race in Yaegi v0.16.1, as in
	// EvalPathWithContext); they are not read.
	_, err = h.in.ExecuteWithContext(ictx, prog)
	return h.finish(ectx, err)
}

// compileFile checks a script, rewrites its go statements and compiles it.
func (h *Host) compileFile(path string, src []byte) (*yaegi.Program, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, &Error{Msg: err.Error(), Kind: "error", Err: err}
	}
	if err := checkFile(fset, f); err != nil {
		return nil, err
	}
	text, n := guardGoroutines(string(src), true)
	if n > 0 {
		// The guard's import goes on the package clause's line, which the
		// rewrite leaves where it was, so that no line moves.
		at := fset.Position(f.Name.End()).Offset
		text = text[:at] + "; import " + guardName + " \"" + guardPath + "\"" + text[at:]
	}
	h.src = []byte(text) // the positions Yaegi gives are in the rewrite
	f, err = parser.ParseFile(h.in.FileSet(), path, text, parser.DeclarationErrors)
	if err != nil {
		return nil, &Error{Msg: err.Error(), Kind: "error", Err: err}
	}
	return h.compile(f)
}

// compile hands an AST to the interpreter, which can panic on input it
// does not support (a range over an integer panics with "nil type").
func (h *Host) compile(n ast.Node) (prog *yaegi.Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			prog, err = nil, &Error{Msg: compilePanic(r), Kind: "error"}
		}
	}()
	prog, err = h.in.CompileAST(n)
	if err != nil {
		return nil, &Error{Msg: explainCompile(err.Error()), Kind: "error", Err: err}
	}
	return prog, nil
}

// Eval evaluates one REPL input: declarations and statements, in order.
// It returns the value of the input when it is a single expression with
// one, for the REPL to show.
func (h *Host) Eval(ctx context.Context, src string) (reflect.Value, error) {
	v, _, err := h.EvalChunks(ctx, src)
	return v, err
}

// EvalChunks is Eval that also returns the pieces of the input that were
// evaluated without error, in order: replaying them in a fresh host
// restores the state this input made (see Session).
func (h *Host) EvalChunks(ctx context.Context, src string) (reflect.Value, []string, error) {
	chunks, incomplete := split(src)
	if incomplete {
		return reflect.Value{}, nil, &Error{Msg: "incomplete input", Kind: "error"}
	}
	ectx, ictx, end := h.begin(ctx)
	defer end()
	var last reflect.Value
	var done []string
	for _, c := range chunks {
		v, err := h.evalChunk(ectx, ictx, c)
		if err != nil {
			return reflect.Value{}, done, err
		}
		done = append(done, c.src)
		last = reflect.Value{}
		if c.expr && h.hasValue(c.src) {
			last = v
		}
	}
	return last, done, nil
}

// hasValue reports whether an expression has a value to show: a call of a
// function without results has none, and Yaegi then hands back whatever
// value its frame last held (a stale variable, or <nil>). The function
// called is looked up without calling it, unless finding it would call
// something itself.
func (h *Host) hasValue(src string) bool {
	e, err := parser.ParseExpr(src)
	if err != nil {
		return true
	}
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || containsCall(call.Fun) {
		return true
	}
	fn, err := h.in.Eval(src[call.Fun.Pos()-1 : call.Fun.End()-1])
	if err != nil || !fn.IsValid() || fn.Kind() != reflect.Func {
		return true // a conversion, or something Yaegi cannot say
	}
	return fn.Type().NumOut() > 0
}

func containsCall(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if _, ok := n.(*ast.CallExpr); ok {
			found = true
		}
		return !found
	})
	return found
}

func (h *Host) evalChunk(ectx, ictx context.Context, c chunk) (reflect.Value, error) {
	code := c.src
	if err := h.checkChunk(code, c.decl); err != nil {
		return reflect.Value{}, err
	}
	var keys []string
	if c.decl && strings.Contains(code, "import") {
		code, keys = h.newImports(code)
		if strings.TrimSpace(code) == "" {
			return reflect.Value{}, nil
		}
	}
	code, n := guardGoroutines(code, c.decl)
	if n > 0 && !h.imported[guardName+" "+guardPath] {
		if _, err := h.in.Eval("import " + guardName + " \"" + guardPath + "\""); err != nil {
			return reflect.Value{}, h.finish(ectx, err)
		}
		h.imported[guardName+" "+guardPath] = true
	}
	// EvalWithContext, not Compile and ExecuteWithContext: the latter
	// writes its results from its goroutine after a cancel has returned
	// them (a data race in Yaegi v0.16.1).
	v, err := h.in.EvalWithContext(ictx, code)
	if err := h.finish(ectx, err); err != nil {
		if msg := newBuiltin(code, c.decl); msg != "" && isCompileError(err) {
			return reflect.Value{}, &Error{Msg: msg, Kind: "error", Err: err}
		}
		if msg := h.unimported(code, c.decl); msg != "" && isCompileError(err) {
			return reflect.Value{}, &Error{Msg: msg, Kind: "error", Err: err}
		}
		return reflect.Value{}, err
	}
	for _, k := range keys {
		h.imported[k] = true
	}
	if c.decl {
		h.noteTypes(c.src)
	}
	return v, nil
}
