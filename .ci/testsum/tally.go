package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// event is one line of go test -json (see go doc test2json).
type event struct {
	Action     string
	Package    string
	ImportPath string // build-output and build-fail
	Test       string
	Output     string
}

// A tally follows go test -json: it counts the results, and when a
// package ends it prints what go test prints without -v.
type tally struct {
	out    io.Writer
	strict bool // a skip counts against the run (make test)

	running  map[string]*pkgLog
	packages int // packages that had tests to run
	passed   int
	failed   int
	skipped  int
	broken   []string // packages that failed outside any test: build, panic, timeout
	skips    []string // "package test: reason"
	counts   map[string]int
	goFailed bool // go test failed for a reason no event reported
}

// pkgLog holds a running package's output until it ends, so that packages
// tested in parallel do not interleave.
type pkgLog struct {
	lines  []logLine
	ran    map[string]bool
	result map[string]string // test: pass, fail or skip
}

type logLine struct{ test, text string }

// counted names the subtests counted apart in the summary.
var counted = []struct{ label, pkg, prefix string }{
	{"notebooks executed", "dsim/notebooks", "TestNotebooksExecute/"},
}

func newTally(out io.Writer, strict bool) *tally {
	return &tally{out: out, strict: strict, running: map[string]*pkgLog{}, counts: map[string]int{}}
}

func (t *tally) log(pkg string) *pkgLog {
	l := t.running[pkg]
	if l == nil {
		l = &pkgLog{ran: map[string]bool{}, result: map[string]string{}}
		t.running[pkg] = l
	}
	return l
}

// feed takes one line of go test -json.
func (t *tally) feed(line []byte) {
	var e event
	if err := json.Unmarshal(line, &e); err != nil || e.Action == "" {
		fmt.Fprintf(t.out, "%s\n", line) // not an event: show it as it is
		return
	}
	switch e.Action {
	case "build-output":
		fmt.Fprint(t.out, e.Output)
	case "output":
		l := t.log(e.Package)
		l.lines = append(l.lines, logLine{e.Test, e.Output})
	case "run":
		t.log(e.Package).ran[e.Test] = true
	case "pass", "fail", "skip":
		if e.Test != "" {
			t.result(e)
		} else {
			t.end(e.Package, e.Action)
		}
	}
}

func (t *tally) result(e event) {
	t.log(e.Package).result[e.Test] = e.Action
	switch e.Action {
	case "pass":
		t.passed++
		for _, c := range counted {
			if e.Package == c.pkg && strings.HasPrefix(e.Test, c.prefix) {
				t.counts[c.label]++
			}
		}
	case "fail":
		t.failed++
	case "skip":
		t.skipped++
	}
}

// end prints a finished package the way go test does without -v: the ok
// line of a passing package; the output of the failing tests, of the tests
// left without a result (a panic or a timeout ends them) and of the
// package itself for a failing one. Skips are kept for the list at the end.
func (t *tally) end(pkg, action string) {
	l := t.log(pkg)
	delete(t.running, pkg)
	if action != "skip" { // skip: no test files
		t.packages++
	}
	unfinished := 0
	for name := range l.ran {
		if l.result[name] == "" {
			unfinished++
		}
	}
	t.failed += unfinished
	if action == "fail" && unfinished == 0 && !l.anyFailed() {
		t.broken = append(t.broken, pkg)
	}
	for _, ln := range l.lines {
		show := false
		switch r := l.result[ln.test]; {
		case ln.test == "":
			show = action != "pass" || !isBare(ln.text)
		case r == "fail", r == "" && l.ran[ln.test]:
			show = !strings.HasPrefix(ln.text, "=== ")
		}
		if show {
			fmt.Fprint(t.out, ln.text)
		}
	}
	for _, name := range sortedKeys(l.result) {
		if l.result[name] == "skip" {
			t.skips = append(t.skips, fmt.Sprintf("%s %s: %s", pkg, name, l.reason(name)))
		}
	}
}

// isBare reports a line that go test drops for a passing package.
func isBare(text string) bool {
	return text == "PASS\n"
}

func (l *pkgLog) anyFailed() bool {
	for _, r := range l.result {
		if r == "fail" {
			return true
		}
	}
	return false
}

// reason is what a skipped test said: its first line of its own.
func (l *pkgLog) reason(test string) string {
	for _, ln := range l.lines {
		s := strings.TrimSpace(ln.text)
		if ln.test == test && s != "" && !strings.HasPrefix(s, "=== ") && !strings.HasPrefix(s, "--- ") {
			return s
		}
	}
	return "no reason given"
}

// finish closes the run: packages still open had their test binary die
// without a word, and a go test that failed with no failing test or
// package failed for a reason only its standard error showed.
func (t *tally) finish(exitErr error) {
	for _, pkg := range sortedKeys(t.running) {
		t.end(pkg, "fail")
	}
	if exitErr != nil && t.failed == 0 && len(t.broken) == 0 {
		t.goFailed = true
	}
}

func (t *tally) printSkips() {
	if len(t.skips) == 0 {
		return
	}
	fmt.Fprintln(t.out, "skipped:")
	for _, s := range t.skips {
		fmt.Fprintln(t.out, "  "+s)
	}
}

// summary is the run's line, and whether the run passed.
func (t *tally) summary(name string) (string, bool) {
	s := fmt.Sprintf("%s: %s passed in %s, %d skipped, %d failed",
		name, plural(t.passed, "test"), plural(t.packages, "package"), t.skipped, t.failed)
	if len(t.broken) > 0 {
		s += fmt.Sprintf(", %s failed outside a test (%s)", plural(len(t.broken), "package"), strings.Join(t.broken, ", "))
	}
	if t.goFailed {
		s += ", go test failed (see its errors above)"
	}
	ok := t.failed == 0 && len(t.broken) == 0 && !t.goFailed && (!t.strict || t.skipped == 0)
	return s, ok
}

// extras lists the counted subtests: "notebooks: 7 executed".
func (t *tally) extras() string {
	var parts []string
	for _, c := range counted {
		what, verb, _ := strings.Cut(c.label, " ")
		parts = append(parts, fmt.Sprintf("%s: %d %s", what, t.counts[c.label], verb))
	}
	return strings.Join(parts, "; ")
}

// plural writes "1 test", "2 tests".
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
