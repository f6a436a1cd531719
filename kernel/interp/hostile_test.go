package interp

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// maxRSS is the acceptance bar for any process a hostile script makes.
const maxRSS = 2 << 30

// hostile is a script that tries to break the runner, and what must
// happen instead: the exit status, and text that must appear in what the
// person sees (the error and standard error), or on standard output.
type hostile struct {
	name    string
	src     string // the body of a package main file, imports included
	timeout string // the script's -timeout, if any
	code    int    // the exit status dsim run gives
	say     string // in the error or on standard error
	out     string // on standard output
	mem     int64  // the memory limit; 0 for the default
}

var hostiles = []hostile{
	// 1. What Go cannot recover from in-process.
	{name: "stack overflow", src: `func f(n int) int { return f(n+1) + 1 }
func main() { f(0) }`, code: 1, say: "the script ran out of stack (limit 128 MiB)"},
	{name: "recursive String method", src: `import "fmt"
type T int
func (t T) String() string { return fmt.Sprint(t) }
func main() { fmt.Println(T(1)) }`, code: 1, say: "ran out of stack"},
	{name: "50 GB allocation", src: `func main() { b := make([]byte, 50<<30); b[0] = 1 }`, code: 1, say: "the script ran out of memory (limit 1 GiB; -mem or DSIM_MEM raise it)"},
	{name: "string doubling", src: `func main() { s := "x"; for i := 0; i < 40; i++ { s += s }; println(len(s)) }`,
		code: 1, say: "ran out of memory (limit 1 GiB"},
	{name: "live data past the limit", src: `func main() {
	var keep [][]byte
	for {
		b := make([]byte, 64<<20)
		for j := 0; j < len(b); j += 4096 { b[j] = 1 }
		keep = append(keep, b)
	}
}`, code: 1, say: "ran out of memory (limit 512 MiB", mem: 512 << 20},
	{name: "goroutines without end", src: `func main() { ch := make(chan int); for { go func() { <-ch }() } }`,
		code: 1, say: "x.go:2: panic in main: go statement: 10000 goroutines are running, the most a script may have"},
	{name: "concurrent map writes", src: `func main() {
	m := map[int]int{}
	go func() { for i := 0; ; i++ { m[i%100] = i } }()
	for i := 0; ; i++ { m[i%100] = i }
}`, timeout: "20s", code: 1, say: "crashed: concurrent map writes: two goroutines used one map at once"},

	// 3. The environment.
	{name: "environment", src: `import ("fmt"; "os")
func main() { fmt.Println(os.Getenv("PATH") != "", os.Getenv("DSIM_HOSTILE_VAR"), os.Getenv("DSIM_WORKER") == "") }`,
		out: "true from-the-shell true"},

	// 4. Exits.
	{name: "os.Exit", src: `import "os"
func main() { os.Exit(3) }`, code: 3},
	{name: "os.Exit in a goroutine", src: `import "os"
func main() { done := make(chan int); go func() { os.Exit(4) }(); <-done }`, code: 4},
	{name: "log.Fatal", src: `import "log"
func main() { log.SetFlags(0); log.Fatal("cannot go on") }`, code: 1, say: "cannot go on"},
	{name: "runtime.Goexit in main", src: `import "runtime"
func main() { runtime.Goexit() }`, code: 1, say: "main called runtime.Goexit"},

	// 5. Not a script.
	{name: "no main", src: `func helper() {}`, code: 1, say: "x.go: no func main: a script runs its main function"},
	{name: "package foo", src: "", code: 1, say: "x.go:1:9: package foo: a script is package main"},

	// 6. Deadlocks, and waits that are not.
	{name: "select {}", src: `func main() { select {} }`, timeout: "30s", code: 1,
		say: "deadlock: all goroutines are asleep: main is blocked in select {} (no cases)"},
	{name: "receive nobody sends", src: `func main() { ch := make(chan int); go func() { ch2 := make(chan int); <-ch2 }(); <-ch }`,
		timeout: "30s", code: 1, say: "main is blocked in a channel receive, and 1 other goroutine is blocked too"},
	{name: "mutex locked twice", src: `import "sync"
func main() { var mu sync.Mutex; mu.Lock(); mu.Lock() }`, timeout: "30s", code: 1, say: "main is blocked in sync.Mutex.Lock"},
	{name: "a timer is not a deadlock", src: `import ("fmt"; "time")
func main() { <-time.After(700 * time.Millisecond); fmt.Println("woke") }`, out: "woke"},
	{name: "a sleeping goroutine is not a deadlock", src: `import ("fmt"; "time")
func main() { ch := make(chan int); go func() { time.Sleep(700 * time.Millisecond); ch <- 1 }(); fmt.Println(<-ch) }`, out: "1"},
	{name: "time limit says where main waits", src: `import "time"
func main() { t := time.NewTimer(time.Hour); ch := make(chan int); <-ch; t.Stop() }`, timeout: "600ms", code: 1,
		say: "stopped: the time limit passed (main was blocked in a channel receive)"},

	// 7. Panics: where, and nil pointers.
	{name: "panic names its function", src: `import "fmt"
func g() {
	fmt.Println("in g")
	panic("boom")
}
func main() { g() }`, code: 1, say: "x.go:3: panic in g: boom", out: "in g"},
	{name: "nil pointer field", src: `type T struct{ X int }
func main() { var p *T; println(p.X) }`, code: 1, say: "panic in main: runtime error: invalid memory address or nil pointer dereference"},
	{name: "nil pointer in println", src: `func main() { var p *int; println(*p); println("after") }`, code: 1,
		say: "runtime error: invalid memory address or nil pointer dereference"},
	{name: "nil func", src: `func main() { var f func(); f() }`, code: 1, say: "nil pointer dereference (a nil func was called)"},
	{name: "index out of range", src: `func main() { a := []int{1}; i := 5; println(a[i]) }`, code: 1, say: "runtime error: index out of range"},
	{name: "panic(nil)", src: `func main() { panic(nil) }`, code: 1, say: "panic called with nil argument"},
	{name: "panic in a goroutine", src: `import "time"
func main() { go func() { panic("worker failed") }(); time.Sleep(time.Minute) }`, code: 1,
		say: "x.go:3: panic in a goroutine (a func literal in main): worker failed"},

	// 8. Go that is newer than the interpreter, and packages it lacks.
	{name: "min", src: `func main() { a, b := 1, 2; println(min(a, b)) }`, code: 1, say: "x.go:2:37: min is a Go 1.21 built-in that scripts do not have"},
	{name: "max in a constant", src: `const c = max(1, 2)
func main() { println(c) }`, code: 1, say: "max is a Go 1.21 built-in"},
	{name: "clear", src: `func main() { m := map[int]int{1: 1}; clear(m) }`, code: 1, say: "clear is a Go 1.21 built-in"},
	{name: "range over an integer", src: `func main() { for i := range 10 { println(i) } }`, code: 1,
		say: "range over 10, an integer, is Go 1.22, and scripts are Go 1.21 (Yaegi v0.16.1): write for i := 0; i < 10; i++"},
	{name: "range over a variable integer", src: `func main() { n := 3; for i := range n { println(i) } }`, code: 1, say: "range over n, an integer"},
	{name: "range over a function", src: `func main() {
	seq := func(yield func(int) bool) { yield(1) }
	for x := range seq { println(x) }
}`, code: 1, say: "range over seq, a function, is Go 1.23"},
	{name: "os/exec", src: `import "os/exec"
func main() { exec.Command("ls").Run() }`, code: 1, say: `x.go:2:8: import "os/exec": scripts cannot start programs`},
	{name: "unknown package", src: `import "github.com/nobody/nothing"
func main() { nothing.Do() }`, code: 1, say: `import "github.com/nobody/nothing": not available to scripts`},
	{name: "slices.Sort", src: `import "slices"
func main() { s := []int{2, 1}; slices.Sort(s) }`, code: 1, say: "slices.Sort is not available to scripts"},

	// Standard streams.
	{name: "output without end", src: `import "fmt"
func main() { for { fmt.Println("again") } }`, timeout: "500ms", code: 1, say: "stopped: the time limit passed"},
	{name: "stdout closed", src: `import ("fmt"; "os")
func main() { os.Stdout.Close(); fmt.Println("lost"); os.Stderr.WriteString("still here\n") }`, say: "still here"},
	{name: "stdin is empty", src: `import ("fmt"; "io"; "os")
func main() { b, err := io.ReadAll(os.Stdin); fmt.Println(len(b), err) }`, out: "0 <nil>"},
}

func TestHostileScripts(t *testing.T) {
	os.Setenv("DSIM_HOSTILE_VAR", "from-the-shell")
	for _, c := range hostiles {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			src := "package main\n" + c.src
			if c.name == "package foo" {
				src = "package foo\n\nfunc main() {}\n"
			}
			got := runHostile(t, src, c.timeout, c.mem)
			if got.code != c.code {
				t.Errorf("exit %d, want %d; said %q", got.code, c.code, got.said)
			}
			if !strings.Contains(got.said, c.say) {
				t.Errorf("said %q, want %q", got.said, c.say)
			}
			if !strings.Contains(got.out, c.out) {
				t.Errorf("printed %q, want %q", trim(got.out), c.out)
			}
			if strings.Contains(got.said, "goroutine ") && strings.Contains(got.said, "[running]") {
				t.Errorf("a runtime trace reached the person: %q", got.said)
			}
			if got.rss > maxRSS {
				t.Errorf("the worker used %d MiB", got.rss>>20)
			}
			t.Logf("the worker's peak: %d MiB", got.rss>>20)
		})
	}
}

type outcome struct {
	code      int
	said, out string
	rss       int64
}

// runHostile runs src as dsim run does, in a worker under limits.
func runHostile(t *testing.T, src, timeout string, mem int64) outcome {
	t.Helper()
	file := filepath.Join(t.TempDir(), "x.go")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"run", file}
	if timeout != "" {
		args = []string{"run", "-timeout", timeout, file}
	}
	// Standard output goes to a file: a script printing without end
	// would fill a buffer.
	out, err := os.CreateTemp(t.TempDir(), "stdout")
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	var errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	state, err := supervise(ctx, Process{Args: args, Stdout: out, Stderr: &errb, Limits: Limits{Memory: mem}})
	o := outcome{said: errb.String()}
	var ee *ExitError
	switch {
	case errors.As(err, &ee):
		o.code = ee.Code
	case err != nil:
		o.code = 1
		o.said += err.Error()
	}
	if state != nil {
		if ru, ok := state.SysUsage().(*syscall.Rusage); ok {
			o.rss = ru.Maxrss << 10
		}
	}
	b, _ := os.ReadFile(out.Name())
	o.out = string(b)
	return o
}

func trim(s string) string {
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}
