package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the // Output: blocks of scripts/ (make scripts-output)")

// outputBlock returns the expected output at the end of a script and the
// offset where its // Output: line starts.
func outputBlock(src string) (string, int, bool) {
	i := strings.LastIndex(src, "\n// Output:")
	if i < 0 {
		return "", 0, false
	}
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(src[i+len("\n// Output:"):], "\n"), "\n")[1:] {
		l = strings.TrimPrefix(strings.TrimPrefix(l, "//"), " ")
		b.WriteString(l + "\n")
	}
	return b.String(), i + 1, true
}

func runScript(t *testing.T, file, out string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"run", "-out", out, "-timeout", "2m", file}, &stdout, &stderr)
	// Figures are written under the temporary folder: show it as "out".
	return strings.ReplaceAll(stdout.String(), out+string(filepath.Separator), "out/"), stderr.String(), code
}

// Every script in scripts/ runs under the runner and prints its
// // Output: block, twice in a row.
func TestScriptsMatchTheirOutput(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "scripts", "*.go"))
	if len(files) < 2 {
		t.Fatalf("found %d scripts", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want, at, ok := outputBlock(string(src))
			if !ok {
				t.Fatalf("%s has no // Output: block", f)
			}
			for i := 0; i < 2; i++ {
				got, stderr, code := runScript(t, f, t.TempDir())
				if code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				if *update && i == 0 {
					var b strings.Builder
					b.WriteString(string(src[:at]) + "// Output:\n")
					for _, l := range strings.Split(strings.TrimRight(got, "\n"), "\n") {
						if l == "" {
							b.WriteString("//\n")
						} else {
							b.WriteString("// " + l + "\n")
						}
					}
					if err := os.WriteFile(f, []byte(b.String()), 0o644); err != nil {
						t.Fatal(err)
					}
					want = got
				}
				if strings.TrimRight(got, "\n")+"\n" != want {
					t.Fatalf("run %d: output differs from the // Output: block\n--- got\n%s--- want\n%s", i+1, got, want)
				}
			}
		})
	}
}

// Scripts that fail say how and where, exit 1, and never hang.
func TestScriptFailures(t *testing.T) {
	for _, c := range []struct {
		file    string
		timeout string
		want    []string
	}{
		{"panic.go", "", []string{"testdata/panic.go:3: panic in main: assignment to entry in nil map"}},
		{"compile.go", "", []string{"testdata/compile.go:6:", "undefined: undefinedThing"}},
		{"loop.go", "300ms", []string{"time limit"}},
		{"gopanic.go", "", []string{"testdata/gopanic.go:10: panic in a goroutine (a func literal in main): worker 2 failed"}},
		{"longrun.go", "300ms", []string{"time limit"}},
	} {
		t.Run(c.file, func(t *testing.T) {
			args := []string{"run", "-out", t.TempDir()}
			if c.timeout != "" {
				args = append(args, "-timeout", c.timeout)
			}
			args = append(args, filepath.Join("testdata", c.file))
			var stdout, stderr bytes.Buffer
			start := time.Now()
			code := run(context.Background(), args, &stdout, &stderr)
			if code != 1 {
				t.Errorf("exit %d, want 1; stderr %q", code, stderr.String())
			}
			for _, w := range c.want {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr %q lacks %q", stderr.String(), w)
				}
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestRunUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"run"}, "needs a script"},
		{[]string{"run", "nope.go"}, "nope.go"},
		{[]string{"run", "-timeout", "-1s", "testdata/panic.go"}, "-timeout=-1s"},
		{[]string{"run", "-bogus", "x.go"}, "unknown flag -bogus"},
		{[]string{"run", "-mem", "lots", "testdata/panic.go"}, `"lots" is not a size`},
		{[]string{"run", "-mem", "100MiB", "testdata/panic.go"}, "-mem=100MiB: must be at least 256 MiB"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), c.args, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), c.msg) {
			t.Errorf("%v: exit %d, stderr %q", c.args, code, stderr.String())
		}
	}
}

// Scripts that break the worker they run in, exit, or lose their figures:
// one clear line and the right status, never a runtime trace.
func TestRunSafety(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		env  string // DSIM_MEM
		code int
		say  string
	}{
		{"stack", []string{"testdata/recurse.go"}, "", 1, "dsim: the script ran out of stack (limit 128 MiB): a recursion that does not end?\n"},
		{"stack with DSIM_MEM", []string{"testdata/recurse.go"}, "512MiB", 1, "ran out of stack (limit 64 MiB)"},
		{"stack with -mem", []string{"-mem", "1GiB", "testdata/recurse.go"}, "512MiB", 1, "ran out of stack (limit 128 MiB)"},
		{"exit status", []string{"testdata/exit.go"}, "", 3, ""},
		{"figure not written", []string{"-out", "/proc/none", "testdata/figure.go"}, "", 1,
			"dsim: display: could not write /proc/none/a-line.svg"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("DSIM_MEM", c.env)
			args := append([]string{"run"}, c.args...)
			if c.args[0] != "-out" {
				args = append([]string{"run", "-out", t.TempDir()}, c.args...)
			}
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), args, &stdout, &stderr)
			if code != c.code || !strings.Contains(stderr.String(), c.say) {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", code, c.code, stderr.String(), c.say)
			}
			if strings.Contains(stderr.String(), "goroutine ") {
				t.Errorf("a runtime trace: %q", stderr.String())
			}
		})
	}
}

// Ctrl-C stops a long simulation in a worker within tens of milliseconds
// (the worker's exit included).
func TestRunInterruptIsPrompt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr bytes.Buffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"run", "-out", t.TempDir(), filepath.Join("testdata", "longrun.go")}, &stdout, &stderr)
	}()
	time.Sleep(time.Second) // the worker starts, the simulation runs
	start := time.Now()
	cancel()
	code := <-done
	d := time.Since(start)
	if code != 1 || !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
	t.Logf("stopped %v after the interrupt", d)
	if d > 2*time.Second {
		t.Errorf("stopping took %v", d)
	}
}
