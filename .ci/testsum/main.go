// Command testsum runs the repository's tests for make test, make quick and
// make fuzz. While they run it shows what go test shows without -v (one
// line per package, a failing test's output in full) plus every skipped
// test with its reason, and it ends with one line saying what ran, what
// was skipped and what failed.
//
// The mode comes from DSIM_TEST, which the Makefile sets and the tests
// read too:
//
//	full   make test: every test, then every fuzz target for -fuzztime;
//	       a skipped test is a failure (make test installed the tooling)
//	quick  make quick: go test -short; the tests that need tooling or
//	       time skip on purpose, and the summary says so
//
// With -fuzz-only (make fuzz) it runs only the fuzz targets, each for
// -fuzztime, and reports each target's corpus.
//
// The directory starts with a dot so that ./... does not match it; build
// and test it by path (go run ./.ci/testsum).
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

func main() {
	goCmd := flag.String("go", "go", "the go command")
	fuzzTime := flag.Duration("fuzztime", 5*time.Second, "how long to fuzz each target (0: no fuzzing in full mode)")
	fuzzOnly := flag.Bool("fuzz-only", false, "run only the fuzz targets (make fuzz)")
	flag.Parse()
	pkgs := flag.Args()
	if len(pkgs) == 0 {
		pkgs = []string{"./..."}
	}
	r := runner{goCmd: *goCmd, out: os.Stdout, pkgs: pkgs}
	var ok bool
	var err error
	if *fuzzOnly {
		ok, err = r.fuzzOnly(*fuzzTime)
	} else {
		ok, err = r.tests(os.Getenv("DSIM_TEST"), *fuzzTime)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsum:", err)
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}

type runner struct {
	goCmd string
	out   io.Writer
	pkgs  []string
}

// tests runs the tests in the given mode and then, in full mode, the fuzz
// targets; it reports whether everything passed.
func (r runner) tests(mode string, fuzzTime time.Duration) (bool, error) {
	// The notebooks' package executes every lesson in Jupyter and in a
	// browser: minutes, more on a busy machine than go test's default 10m
	// allows it. The whole of make test must stay well under 30 minutes.
	args := []string{"test", "-json", "-count=1", "-timeout", "25m"}
	var name string
	switch mode {
	case "full":
		name = "make test"
	case "quick":
		name = "make quick"
		args = append(args, "-short")
	default:
		return false, fmt.Errorf("DSIM_TEST=%q: must be full (make test) or quick (make quick)", mode)
	}
	t := newTally(r.out, mode == "full")
	exitErr, err := r.goTest(append(args, r.pkgs...), t.feed)
	if err != nil {
		return false, err
	}
	t.finish(exitErr)

	var fz fuzzTally
	if mode == "full" && fuzzTime > 0 {
		if err := r.fuzzAll(&fz, fuzzTime, false); err != nil {
			return false, err
		}
	}
	t.printSkips()
	line, ok := t.summary(name)
	switch {
	case mode == "quick":
		line += " (quick run: nothing installed, no fuzzing, the slow and tooling tests skipped; make test runs everything)"
	case fuzzTime <= 0:
		line += fmt.Sprintf(" (%s; no fuzzing)", t.extras())
	default:
		line += fmt.Sprintf(" (%s; fuzz: %s)", t.extras(), fz.brief(fuzzTime))
		ok = ok && fz.failed == 0
	}
	if mode == "full" && t.skipped > 0 {
		line += ": FAIL, make test allows no skip (its tooling is installed first); make quick is the run that skips"
	}
	fmt.Fprintln(r.out, line)
	return ok, nil
}

// fuzzOnly is make fuzz: every target for fuzzTime, then their corpora.
func (r runner) fuzzOnly(fuzzTime time.Duration) (bool, error) {
	if fuzzTime <= 0 {
		return false, fmt.Errorf("-fuzztime=%v: must be positive", fuzzTime)
	}
	var fz fuzzTally
	if err := r.fuzzAll(&fz, fuzzTime, true); err != nil {
		return false, err
	}
	fmt.Fprintf(r.out, "make fuzz: %s; corpus %d entries (%d in testdata, %d cached)\n",
		fz.brief(fuzzTime), fz.seeds+fz.cached, fz.seeds, fz.cached)
	return fz.failed == 0, nil
}

// goTest runs go with args, hands each line of its JSON output to feed and
// lets its standard error through. exitErr is go's own failure, if any (a
// failing test is one, but so is a package that does not build or a bad
// pattern); err is a failure to run go at all.
func (r runner) goTest(args []string, feed func(line []byte)) (exitErr, err error) {
	cmd := exec.Command(r.goCmd, args...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64<<10), 16<<20) // a test may print long lines
	for sc.Scan() {
		feed(sc.Bytes())
	}
	scanErr := sc.Err()
	if scanErr != nil {
		_, _ = io.Copy(io.Discard, stdout) // let go finish
	}
	waitErr := cmd.Wait()
	var ee *exec.ExitError
	if waitErr != nil && !errors.As(waitErr, &ee) {
		return nil, waitErr
	}
	if scanErr != nil {
		return nil, fmt.Errorf("reading go test's output: %w", scanErr)
	}
	if ee != nil {
		return ee, nil
	}
	return nil, nil
}

// quoteArgs shows a command line the way a person would type it.
func quoteArgs(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		if strings.ContainsAny(a, " ^$*'\"") {
			a = "'" + a + "'"
		}
		q[i] = a
	}
	return strings.Join(q, " ")
}
