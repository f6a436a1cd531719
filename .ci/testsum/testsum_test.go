package main

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// stream is a go test -json run, abridged from a real one: a passing
// package, a package without tests, one with a failing and a skipped test,
// and the notebooks.
const stream = `{"Action":"start","Package":"dsim/sim"}
{"Action":"run","Package":"dsim/sim","Test":"TestA"}
{"Action":"output","Package":"dsim/sim","Test":"TestA","Output":"=== RUN   TestA\n"}
{"Action":"output","Package":"dsim/sim","Test":"TestA","Output":"    a_test.go:9: a log of a passing test\n"}
{"Action":"output","Package":"dsim/sim","Test":"TestA","Output":"--- PASS: TestA (0.00s)\n"}
{"Action":"pass","Package":"dsim/sim","Test":"TestA"}
{"Action":"output","Package":"dsim/sim","Output":"PASS\n"}
{"Action":"start","Package":"dsim/x"}
{"Action":"run","Package":"dsim/x","Test":"TestBad"}
{"Action":"output","Package":"dsim/x","Test":"TestBad","Output":"=== RUN   TestBad\n"}
{"Action":"output","Package":"dsim/none","Output":"?   \tdsim/none\t[no test files]\n"}
{"Action":"output","Package":"dsim/sim","Output":"ok  \tdsim/sim\t0.1s\n"}
{"Action":"pass","Package":"dsim/sim"}
{"Action":"output","Package":"dsim/x","Test":"TestBad","Output":"    x_test.go:3: got 2, want 1\n"}
{"Action":"output","Package":"dsim/x","Test":"TestBad","Output":"--- FAIL: TestBad (0.00s)\n"}
{"Action":"fail","Package":"dsim/x","Test":"TestBad"}
{"Action":"run","Package":"dsim/x","Test":"TestTool"}
{"Action":"output","Package":"dsim/x","Test":"TestTool","Output":"=== RUN   TestTool\n"}
{"Action":"output","Package":"dsim/x","Test":"TestTool","Output":"    x_test.go:8: tmux is not installed\n"}
{"Action":"output","Package":"dsim/x","Test":"TestTool","Output":"--- SKIP: TestTool (0.00s)\n"}
{"Action":"skip","Package":"dsim/x","Test":"TestTool"}
{"Action":"output","Package":"dsim/x","Output":"FAIL\n"}
{"Action":"output","Package":"dsim/x","Output":"FAIL\tdsim/x\t0.1s\n"}
{"Action":"fail","Package":"dsim/x"}
{"Action":"skip","Package":"dsim/none"}
{"Action":"run","Package":"dsim/notebooks","Test":"TestNotebooksExecute"}
{"Action":"run","Package":"dsim/notebooks","Test":"TestNotebooksExecute/a.ipynb"}
{"Action":"pass","Package":"dsim/notebooks","Test":"TestNotebooksExecute/a.ipynb"}
{"Action":"run","Package":"dsim/notebooks","Test":"TestNotebooksExecute/b.ipynb"}
{"Action":"pass","Package":"dsim/notebooks","Test":"TestNotebooksExecute/b.ipynb"}
{"Action":"pass","Package":"dsim/notebooks","Test":"TestNotebooksExecute"}
{"Action":"output","Package":"dsim/notebooks","Output":"ok  \tdsim/notebooks\t9s\n"}
{"Action":"pass","Package":"dsim/notebooks"}
`

func feedAll(t *tally, s string) {
	for _, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		t.feed([]byte(line))
	}
}

// The output is go test's without -v, each package in one piece; the
// counts and the skip with its reason are in the summary.
func TestTally(t *testing.T) {
	var out strings.Builder
	tl := newTally(&out, false)
	feedAll(tl, stream)
	tl.finish(errors.New("exit status 1"))
	want := "ok  \tdsim/sim\t0.1s\n" +
		"    x_test.go:3: got 2, want 1\n--- FAIL: TestBad (0.00s)\nFAIL\nFAIL\tdsim/x\t0.1s\n" +
		"?   \tdsim/none\t[no test files]\n" +
		"ok  \tdsim/notebooks\t9s\n"
	if out.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", out.String(), want)
	}
	line, ok := tl.summary("make test")
	if ok || line != "make test: 4 tests passed in 3 packages, 1 skipped, 1 failed" {
		t.Errorf("summary %q, ok=%v", line, ok)
	}
	if want := []string{"dsim/x TestTool: x_test.go:8: tmux is not installed"}; !reflect.DeepEqual(tl.skips, want) {
		t.Errorf("skips %q, want %q", tl.skips, want)
	}
	if got := tl.extras(); got != "notebooks: 2 executed" {
		t.Errorf("extras %q", got)
	}
}

// A skip fails a strict run (make test) and not a quick one.
func TestSkipFailsStrictRun(t *testing.T) {
	const skipOnly = `{"Action":"run","Package":"p","Test":"TestT"}
{"Action":"skip","Package":"p","Test":"TestT"}
{"Action":"pass","Package":"p"}`
	for _, strict := range []bool{false, true} {
		tl := newTally(&strings.Builder{}, strict)
		feedAll(tl, skipOnly)
		tl.finish(nil)
		if _, ok := tl.summary("x"); ok == strict {
			t.Errorf("strict=%v: ok=%v", strict, ok)
		}
	}
}

// A test binary that dies (a panic, a timeout) leaves running tests with no
// result: they count as failed and their output is shown; a package that
// never ends counts as failed too, and so does a go test that fails with
// nothing failing in its events (a bad package pattern).
func TestUnfinished(t *testing.T) {
	const died = `{"Action":"run","Package":"p","Test":"TestHang"}
{"Action":"output","Package":"p","Test":"TestHang","Output":"panic: test timed out after 10m0s\n"}
{"Action":"output","Package":"p","Output":"FAIL\tp\t600s\n"}
{"Action":"fail","Package":"p"}
{"Action":"run","Package":"q","Test":"TestCut"}
not json at all`
	var out strings.Builder
	tl := newTally(&out, false)
	feedAll(tl, died)
	tl.finish(errors.New("exit status 1"))
	if !strings.Contains(out.String(), "panic: test timed out") || !strings.Contains(out.String(), "not json at all") {
		t.Errorf("output:\n%s", out.String())
	}
	if line, ok := tl.summary("x"); ok || tl.failed != 2 {
		t.Errorf("%q ok=%v failed=%d", line, ok, tl.failed)
	}

	tl = newTally(&strings.Builder{}, false)
	tl.finish(errors.New("exit status 1"))
	if line, ok := tl.summary("x"); ok || !strings.Contains(line, "go test failed") {
		t.Errorf("%q ok=%v", line, ok)
	}
}

// Discovery follows go test's naming rule for fuzz targets.
func TestFuzzFuncs(t *testing.T) {
	src := `package p

import "testing"

func FuzzParse(f *testing.F)     {}
func Fuzz(f *testing.F)          {}
func Fuzz_x(f *testing.F)        {}
func Fuzzy(f *testing.F)         {}
func FuzzTest(t *testing.T)      {}
func FuzzTwo(f *testing.F, n int) {}
func (s) FuzzMethod(f *testing.F) {}
`
	path := filepath.Join(t.TempDir(), "p_test.go")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := fuzzFuncs(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"FuzzParse", "Fuzz", "Fuzz_x"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// The mode must be one the tests know.
func TestMode(t *testing.T) {
	r := runner{goCmd: "go", out: &strings.Builder{}}
	if _, err := r.tests("", 0); err == nil || !strings.Contains(err.Error(), `DSIM_TEST=""`) {
		t.Errorf("empty mode: %v", err)
	}
}

func TestDeadlineRace(t *testing.T) {
	race := `go test -json -run '^$' -fuzz '^FuzzParse$' -fuzztime 5s -timeout 10m5s dsim/sim/dist
fuzz: elapsed: 0s, gathering baseline coverage: 0/600 completed
fuzz: elapsed: 0s, gathering baseline coverage: 600/600 completed, now fuzzing with 2 workers
fuzz: elapsed: 3s, execs: 185101 (61688/sec), new interesting: 3 (total: 603)
fuzz: elapsed: 5s, execs: 320804 (65361/sec), new interesting: 4 (total: 604)
--- FAIL: FuzzParse (5.13s)
    context deadline exceeded
FAIL
exit status 1
FAIL	dsim/sim/dist	5.140s
`
	if !deadlineRace(race) {
		t.Errorf("the bare deadline at the end of -fuzztime is not taken for Go's race:\n%s", race)
	}
	for _, found := range []string{
		strings.Replace(race, "    context deadline exceeded\n", "    Failing input written to testdata/fuzz/FuzzParse/abc\n    context deadline exceeded\n", 1),
		strings.Replace(race, "    context deadline exceeded\n", "    fuzz_test.go:12: Parse(\"x\"): context deadline exceeded\n", 1),
		strings.Replace(race, "    context deadline exceeded\n", "    panic: boom\n    context deadline exceeded\n", 1),
		strings.Replace(race, "    context deadline exceeded\n", "    fuzz_test.go:12: wrong\n    context deadline exceeded\n", 1),
	} {
		if deadlineRace(found) {
			t.Errorf("a real failure is taken for Go's race:\n%s", found)
		}
	}
}
