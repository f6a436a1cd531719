// Package interp is the Yaegi host of dsim's script runner and REPL:
// interpreted Go (Go 1.21 level, github.com/traefik/yaegi v0.16.1) over
// the compiled library, whose symbols come from kernel/symbols.
//
// The host makes Yaegi safe to leave in front of a person, whatever the
// person types.
//
// # Processes
//
// Go cannot recover from a stack overflow or a failed allocation: the
// runtime ends the process with a trace. So user code runs in a worker,
// this same program started again (Main, Supervise, NewSession), under
// Limits: hard caps on data mappings and address space (RLIMIT_DATA,
// RLIMIT_AS, see limits_linux.go), a soft memory limit for the collector,
// and a stack limit. The parent reads what the worker's
// runtime writes as it dies and says it in one line ("the script ran out
// of stack (limit 128 MiB)"); `dsim run` exits 1, and the REPL starts a new
// worker and silently replays the inputs that succeeded, restoring their
// state. The worker's fd 2 carries only the runtime's crash output; its
// own standard error is fd 3.
//
// # What the host checks and translates
//
// Before the interpreter sees a script (check.go): package main with a
// func main; imports scripts have (no os/exec, syscall, unsafe); no Go
// feature newer than the interpreter's, found by go/types told the
// language is Go 1.20 (min, max, clear, range over an integer or a
// function), each with what to write instead; in the REPL, no
// redefinition of a type, which Yaegi would ignore.
//
// As it runs (errors.go): Yaegi reports a nil pointer dereference as a
// call on a zero reflect.Value, or, in print and println, prints
// "<invalid reflect.Value>" and goes on; both become Go's runtime error.
// Yaegi places a panic at the start of the function it happened in, not
// at the statement: messages name the function and its line ("x.go:5:
// panic in g: boom"). os.Exit and log.Fatal end the script with their
// status; runtime.Goexit in main is an error.
//
// # Seen with Yaegi v0.16.1, and what the host does
//   - One Eval cannot mix declarations and statements: REPL input is split
//     into runs of one kind (split.go).
//   - A second import of a package fails as redeclared: imports already
//     made are dropped from later input.
//   - After a runtime panic or a cancel the interpreter can keep returning
//     the old panic or hang until a trivial statement is evaluated: the host
//     evaluates func(){}() after every failure.
//   - The compiler panics on code it does not support (a range over an
//     integer: "nil type"), and EvalPathWithContext does not recover it:
//     the host compiles under recover and runs the program itself.
//   - A panic in a goroutine started by a script kills the process: go
//     statements are rewritten to run under a guard that recovers the panic
//     and stops the evaluation (rewrite.go). The rewrite is a plain call,
//     because Yaegi evaluates a go statement's arguments late, in the new
//     goroutine. The guard counts goroutines (at most MaxGoroutines), so
//     that the REPL can stop those left running (StopGoroutines).
//   - Cancelling stops interpreted loops but not compiled ones: the
//     evaluation's context travels to the library instead. A script's
//     calls of a function F that has a twin FContext(ctx, ...) (Run and
//     RunContext, Sweep and SweepContext) are bound to the twin with the
//     evaluation's context, which carries the host's sim.Host (progress
//     lines, a count of the runs in progress) and is script.Context(); the
//     library keeps no front end's state (contexts.go).
//   - Go's own deadlock detection never fires in a process that handles
//     signals: a watchdog looks at the goroutines instead (watchdog.go).
//   - Scripts get the process's environment (Yaegi gives them an empty
//     one unless told).
package interp
