package interp

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// step is one thing a person does in a REPL session, and what must
// follow: an input, Ctrl-C at the prompt (stop), or :reset.
type step struct {
	in    string
	stop  bool
	reset bool
	err   string // in the error ("" for none); for stop, in its message
	out   string // in what the input printed
	not   string // not in what the input printed
	pause time.Duration
}

var sessions = []struct {
	name  string
	steps []step
}{
	{"a package used before its import is named, even where the interpreter's compiler fails", []step{
		{in: `x := 1 + fmt.Println("hi")`, err: `undefined: fmt: no input imported it; import "fmt" first`},
		{in: `fmt.Println("hi")`, err: "undefined: fmt"},
		{in: "math := 3"},
		{in: "math + 1", out: "4"},
		{in: `import "fmt"`},
		{in: `fmt.Println("hi")`, out: "hi"},
	}},
	{"a call without a value shows nothing more", []step{
		{in: `import "dsim/kernel/display"`},
		{in: "x := 41"},
		{in: "x + 1", out: "42"},
		{in: "func g() {}"},
		{in: "g()", not: "42"},
		{in: "display.Show(7)", out: "7", not: "<nil>"},
		{in: "display.Show(8); x + 2", out: "43"},
		{reset: true},
		{in: `import "dsim/kernel/display"`},
		{in: "display.Show(42)", out: "42", not: "<nil>"},
		{in: `import "dsim/sim/scenario/metastable"`},
		{in: `c, err := metastable.PresetConfig("storm")`},
		{in: `c.Duration = c.Duration / 4`},
		{in: "display.Show(c.Seed)", out: "1", not: "spike"},
	}},
	{"stack overflow", []step{
		{in: "x := 41"},
		{in: "func f(n int) int { return f(n+1) + 1 }"},
		{in: "f(0)", err: "the input ran out of stack (limit 128 MiB): a recursion that does not end?; the earlier state was restored (2 inputs replayed)"},
		{in: "x + 1", out: "42"},
	}},
	{"50 GB allocation", []step{
		{in: "x := 41"},
		{in: "b := make([]byte, 50<<30)", err: "the input ran out of memory (limit 1 GiB; -mem or DSIM_MEM raise it); the earlier state was restored (1 input replayed)"},
		{in: "x + 1", out: "42"},
	}},
	{"spinning goroutine", []step{
		{in: "x := 41"},
		{in: "go func() { for {} }()"},
		{stop: true, err: "1 goroutine stopped"},
		{stop: true}, // nothing left to stop
		{in: "x + 1", out: "42"},
	}},
	{"goroutine asleep in compiled code", []step{
		{in: `import "time"`},
		{in: "x := 41"},
		{in: "go func() { for { time.Sleep(time.Hour) } }()"},
		{stop: true, err: "1 goroutine stopped by restarting the interpreter; the earlier state was restored (2 inputs replayed), without the 1 input that started them"},
		{in: "x + 1", out: "42"},
	}},
	{"os.Exit", []step{
		{in: `import "os"; x := 41`},
		{in: "os.Exit(3)", err: "exit status 3"},
		{in: "x + 1", out: "42"},
	}},
	{"deadlock", []step{
		{in: "x := 41"},
		{in: "ch := make(chan int); <-ch", err: "deadlock: all goroutines are asleep: main is blocked in a channel receive"},
		{in: "select {}", err: "main is blocked in select {} (no cases)"},
		{in: "x + 1", out: "42"},
	}},
	{"type redefined", []step{
		{in: "type T struct{ A int }"},
		{in: "type T struct{ A int }"}, // the same again is fine
		{in: "type T struct{ B int }", err: "type T is already defined (as struct{ A int }): the interpreter cannot redefine a type and would keep the old one; use a new name, or :reset to start over"},
		{reset: true},
		{in: "type T struct{ B int }"},
		{in: "T{B: 2}.B", out: "2"},
	}},
	{"reset", []step{
		{in: "x := 1"},
		{reset: true},
		{in: "x", err: "undefined: x"},
	}},
	{"nil pointer and newer Go", []step{
		{in: "x := 41; var p *int"},
		{in: "println(*p)", err: "panic: runtime error: invalid memory address or nil pointer dereference"},
		{in: "for i := range 3 { println(i) }", err: "range over 3, an integer, is Go 1.22"},
		{in: "y := min(x, 2)", err: "min is a Go 1.21 built-in"},
		{in: `import "os/exec"`, err: `import "os/exec": scripts cannot start programs`},
		{in: "x + 1", out: "42"},
	}},
	{"goroutine that runs out of memory after its input", []step{
		{in: `import "time"; x := 41`},
		{in: "go func() { time.Sleep(300 * time.Millisecond); b := make([]byte, 50<<30); b[0] = 1 }()"},
		{in: "x + 1", pause: time.Second, err: "a goroutine left running ran out of memory (limit 1 GiB; -mem or DSIM_MEM raise it); the earlier state was restored (2 inputs replayed), without the 1 input whose goroutines were running; the input was not run"},
		{in: "x + 1", out: "42"},
	}},
	{"range over an integer from an earlier input", []step{
		{in: "n := 3"},
		{in: "for i := range n { println(i) }", err: "the usual cause is a range over an integer or a function"},
		{in: "n", out: "3"},
	}},
	{"stdin and environment", []step{
		{in: `import ("fmt"; "os")`},
		{in: `var s string; _, err := fmt.Scanln(&s); fmt.Println("read:", err)`, out: "read: EOF"},
		{in: `os.Getenv("PATH") != ""`, out: "true"},
		{in: `os.Stdout.Close(); os.Stderr.Close()`},
		{in: "1 + 1", out: "2"},
		{in: "y = 1", err: "undefined: y"},
	}},
	{"hostile lab nodes", []step{
		{in: `import ("fmt"; "dsim/sim/lab")`},
		{in: "x := 41"},
		{in: `type Bad struct{ mode string }`},
		{in: `func (b *Bad) Start(e *lab.Env) {}`},
		{in: `func (b *Bad) Receive(e *lab.Env, m lab.Message) {
	switch b.mode {
	case "panic":
		var seen map[string]int
		seen[m.Src]++
	case "malformed":
		e.Reply(m, lab.Body{})
	case "flood":
		for {
			e.Send("n0", lab.Body{Type: "spam"})
		}
	case "silent":
	}
}`},
		{in: `func try(mode string) { _, err := lab.Run(lab.Test{Workload: "echo", New: func() lab.Node { return &Bad{mode: mode} }, Seed: 7}); fmt.Println(err) }`},
		{in: `try("panic")`, out: "node n1: panic in Receive(echo from c1): assignment to entry in nil map at t="},
		{in: `try("malformed")`, out: "a body with no Type"},
		{in: `try("flood")`, out: "more than 10000 messages sent in one step"},
		{in: `try("silent")`, out: "never answered"},
		{in: `try("panic")`, out: "(reproduce with seed=7)"},
		{in: "x + 1", out: "42"},
	}},
}

func TestSessions(t *testing.T) {
	for _, c := range sessions {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s, out := newTestSession(t)
			for _, st := range c.steps {
				time.Sleep(st.pause)
				var got string
				switch {
				case st.reset:
					if err := s.Reset(); err != nil {
						t.Fatal(err)
					}
				case st.stop:
					got = s.StopGoroutines(context.Background())
				default:
					if err := s.Eval(context.Background(), st.in); err != nil {
						got = err.Error()
					}
				}
				if st.err == "" && got != "" || !strings.Contains(got, st.err) {
					t.Fatalf("%q: said %q, want %q", st.in, got, st.err)
				}
				printed := out.next()
				if !strings.Contains(printed, st.out) || st.not != "" && strings.Contains(printed, st.not) {
					t.Fatalf("%q: printed %q, want %q and not %q", st.in, printed, st.out, st.not)
				}
			}
		})
	}
}

// An interrupt stops a long simulation in the worker within tens of
// milliseconds, and the state stays.
func TestSessionInterrupt(t *testing.T) {
	s, out := newTestSession(t)
	for _, in := range []string{`import ("dsim/sim/scenario/metastable"; "time")`, "c := metastable.Default(); c.Duration = 500 * time.Hour; c.Window = time.Minute"} {
		if err := s.Eval(context.Background(), in); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	at := make(chan time.Time, 1)
	time.AfterFunc(500*time.Millisecond, func() { at <- time.Now(); cancel() })
	err := s.Eval(ctx, "r, err := metastable.Run(c)")
	d := time.Since(<-at)
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("got %v, want interrupted", err)
	}
	t.Logf("stopped %v after the interrupt", d)
	if d > time.Second {
		t.Errorf("stopping took %v", d)
	}
	if err := s.Eval(context.Background(), "c.Duration"); err != nil {
		t.Fatal(err)
	}
	if got := out.next(); !strings.Contains(got, "500h0m0s") {
		t.Fatalf("printed %q", got)
	}
}

// sessionOut reads what a session's worker printed since the last look.
type sessionOut struct {
	f   *os.File
	off int
}

func (o *sessionOut) next() string {
	b, _ := os.ReadFile(o.f.Name())
	s := string(b[min(o.off, len(b)):])
	o.off = len(b)
	return s
}

func newTestSession(t *testing.T) (*Session, *sessionOut) {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSession(Options{Stdout: f, Stderr: f, OutDir: t.TempDir()}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(); f.Close() })
	return s, &sessionOut{f: f}
}
