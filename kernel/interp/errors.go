package interp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"strings"

	yaegi "github.com/traefik/yaegi/interp"
)

// Error is what went wrong in a script, in one line: a compile error or a
// panic with its position, a deadlock, a timeout or an interruption, or,
// from a worker, a crash (out of stack, out of memory).
type Error struct {
	Msg string
	// Kind is "error" (compile), "panic", "deadlock", "timeout",
	// "interrupted", "stack", "memory", "crash" or "killed".
	Kind string
	Err  error
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Err }

// ExitError is a script's os.Exit(Code) (log.Fatal is os.Exit(1)), or the
// status of a worker that has said why it failed itself.
type ExitError struct{ Code int }

func (e *ExitError) Error() string { return "exit status " + strconv.Itoa(e.Code) }

// exitCode is the panic that stops a script calling os.Exit when the host
// may not end the process (Options.Exit is nil).
type exitCode int

// finish turns what an evaluation returned into the error to report.
func (h *Host) finish(ctx context.Context, err error) error {
	h.mu.Lock()
	gp, goexit, blocked := h.goPanic, h.goexit, h.blocked
	h.mu.Unlock()
	if gp != nil {
		h.needsFix = true
		return gp
	}
	if ctx.Err() != nil {
		// Cancelled: even if the evaluation returned (a simulation the
		// context stopped returns its error as a value), it was cut short.
		h.needsFix = true
		h.waitForRuns()
		cause := context.Cause(ctx)
		var ee *ExitError
		var d *deadlockError
		switch {
		case errors.As(cause, &ee):
			return ee
		case errors.As(cause, &d):
			return &Error{Msg: d.Error(), Kind: "deadlock", Err: cause}
		case errors.Is(cause, context.DeadlineExceeded):
			msg := "stopped: the time limit passed"
			if blocked != "" {
				msg += " (main was " + blocked + ")"
			}
			return &Error{Msg: msg, Kind: "timeout", Err: cause}
		}
		return &Error{Msg: "interrupted", Kind: "interrupted", Err: cause}
	}
	if err == nil {
		if goexit {
			return &Error{Msg: "main called runtime.Goexit: it ended without returning", Kind: "panic"}
		}
		return nil
	}
	var p yaegi.Panic
	if errors.As(err, &p) {
		h.needsFix = true
		if c, ok := p.Value.(exitCode); ok {
			return &ExitError{Code: int(c)}
		}
		if bytes.Contains(p.Stack, []byte("(*Interpreter).CompileAST")) {
			return &Error{Msg: compilePanic(p.Value), Kind: "error", Err: errCompile}
		}
		return &Error{Msg: h.panicWhere("panic", panicText(p.Value)), Kind: "panic"}
	}
	msg := explainCompile(err.Error())
	if h.file == "" {
		// REPL input: positions are in Yaegi's wrapper of the line, not
		// the person's; the message alone is clearer.
		msg = replPos.ReplaceAllString(msg, "")
	}
	return &Error{Msg: msg, Kind: "error", Err: errors.Join(errCompile, err)}
}

// errCompile marks the errors of code the interpreter could not compile.
var errCompile = errors.New("compile error")

// isCompileError reports whether the interpreter refused the code, as
// opposed to failing while running it.
func isCompileError(err error) bool { return errors.Is(err, errCompile) }

var replPos = regexp.MustCompile(`^\d+:\d+: `)

// panicText writes a panic's value as Go does, but with the interpreter's
// reflect-level messages translated into the runtime errors they stand
// for: Yaegi v0.16.1 reports a nil pointer dereference as a call on a
// zero reflect.Value.
func panicText(v any) string {
	s := fmt.Sprint(v)
	if v == nil || s == "<nil>" {
		return "panic called with nil argument"
	}
	for _, t := range reflectPanics {
		if t.re.MatchString(s) {
			return t.say
		}
	}
	return s
}

var reflectPanics = []struct {
	re  *regexp.Regexp
	say string
}{
	{regexp.MustCompile(`^reflect: call of reflect\.Value\.\w+ on zero Value`), "runtime error: invalid memory address or nil pointer dereference"},
	{regexp.MustCompile(`^reflect\.Value\.Call: call of nil function`), "runtime error: invalid memory address or nil pointer dereference (a nil func was called)"},
	{regexp.MustCompile(`^reflect: (slice|array|string) index out of range`), "runtime error: index out of range"},
	{regexp.MustCompile(`^reflect\.Value\.Slice3?: .*out of (bounds|range)`), "runtime error: slice bounds out of range"},
}

// panicWhere places a panic: Yaegi v0.16.1 reports the start of the
// function the panic happened in, not the statement, so the message
// names the function and the line of its func keyword: "x.go:5: panic in
// g: boom". In the REPL there is no file, only the function's name.
func (h *Host) panicWhere(what, msg string) string {
	pos, fn := h.stderr.take()
	if h.file == "" {
		if fn = replFunc(fn); fn != "" {
			return label(what, fn) + ": " + msg
		}
		return what + ": " + msg
	}
	line, name := enclosingFunc(h.file, h.src, pos)
	switch {
	case name != "":
		return fmt.Sprintf("%s:%d: %s: %s", h.file, line, label(what, name), msg)
	case pos != "":
		return pos + ": " + what + ": " + msg
	}
	return what + ": " + msg
}

// label names the function a panic happened in: "panic in g", "panic in
// a goroutine (a func literal in main)".
func label(what, fn string) string {
	if strings.Contains(what, "goroutine") {
		return what + " (" + fn + ")"
	}
	return what + " in " + fn
}

// replFunc turns Yaegi's name of a function ("main.g", "main.g.func")
// into the person's; "" for the REPL's own wrapper.
func replFunc(fn string) string {
	fn = strings.TrimPrefix(fn, "main.")
	lit := strings.HasSuffix(fn, ".func")
	for strings.HasSuffix(fn, ".func") {
		fn = strings.TrimSuffix(fn, ".func")
	}
	if fn == "" || fn == "_" || fn == "main" || fn == "func" {
		if lit {
			return "a func literal"
		}
		return ""
	}
	if lit {
		return "a func literal in " + fn
	}
	return fn
}

// enclosingFunc finds the innermost function of src around pos
// ("file:line:col") and returns the line of its func keyword and its name
// ("g", "T.String", "a func literal in main").
func enclosingFunc(file string, src []byte, pos string) (int, string) {
	i := strings.LastIndex(pos, ":")
	if i < 0 {
		return 0, ""
	}
	j := strings.LastIndex(pos[:i], ":")
	if j < 0 {
		return 0, ""
	}
	line, err1 := strconv.Atoi(pos[j+1 : i])
	col, err2 := strconv.Atoi(pos[i+1:])
	if err1 != nil || err2 != nil {
		return 0, ""
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.SkipObjectResolution)
	if err != nil || line > fset.File(f.Pos()).LineCount() {
		return 0, ""
	}
	at := fset.File(f.Pos()).LineStart(line) + token.Pos(col-1)
	var best ast.Node
	var decl *ast.FuncDecl
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil || n.Pos() > at || n.End() < at {
			return n == nil
		}
		switch x := n.(type) {
		case *ast.FuncDecl:
			best, decl = x, x
		case *ast.FuncLit:
			best = x
		}
		return true
	})
	if best == nil {
		return 0, ""
	}
	name := ""
	if decl != nil {
		name = decl.Name.Name
		if decl.Recv != nil && len(decl.Recv.List) == 1 {
			name = recvName(decl.Recv.List[0].Type) + "." + name
		}
	}
	if _, lit := best.(*ast.FuncLit); lit {
		if name == "" {
			name = "a func literal"
		} else {
			name = "a func literal in " + name
		}
	}
	return fset.Position(best.Pos()).Line, name
}

func recvName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.StarExpr:
		return recvName(x.X)
	case *ast.IndexExpr:
		return recvName(x.X)
	case *ast.Ident:
		return x.Name
	}
	return "?"
}

// explainCompile adds to the interpreter's compile errors what to write
// instead, where its message alone would not tell.
func explainCompile(msg string) string {
	for _, x := range compileHints {
		if x.re.MatchString(msg) {
			return x.re.ReplaceAllString(msg, x.say)
		}
	}
	return msg
}

var compileHints = []struct {
	re  *regexp.Regexp
	say string
}{
	{regexp.MustCompile(`undefined selector: slices\.(\w+)$`), "slices.$1 is not available to scripts (the interpreter lacks most of slices' generic functions): use sort.Ints, sort.Float64s, sort.Strings or sort.Slice, or a loop"},
	{regexp.MustCompile(`undefined selector: maps\.(\w+)$`), "maps.$1 is not available to scripts: loop over the map instead"},
	{regexp.MustCompile(`undefined: (min|max)$`), "$1 is a Go 1.21 built-in that scripts do not have (the interpreter is Yaegi v0.16.1): use math.Min or math.Max for float64, or an if"},
}

// compilePanic explains a panic of the interpreter's compiler.
func compilePanic(r any) string {
	s := fmt.Sprint(r)
	if s == "nil type" {
		return "the interpreter failed on this code (nil type): the usual cause is a range over an integer or a function, which scripts do not have (they are Go 1.21): write for i := 0; i < n; i++ { ... }"
	}
	return "the interpreter failed on this code (" + s + "): it may use a Go feature the interpreter (Yaegi v0.16.1) lacks"
}
