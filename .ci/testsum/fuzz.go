package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// A target is one fuzz function of one package.
type target struct{ pkg, dir, name string }

// fuzzTally adds up the fuzz runs.
type fuzzTally struct {
	targets, failed int
	seeds, cached   int // corpus entries: in testdata, in the build cache
}

func (f fuzzTally) brief(each time.Duration) string {
	return fmt.Sprintf("%s fuzzed %v each, %d failed", plural(f.targets, "target"), each, f.failed)
}

// fuzzAll runs every fuzz target of the packages, one go test each (go
// fuzzes one target at a time), and prints a line per target; announce
// says beforehand how long that will take.
func (r runner) fuzzAll(fz *fuzzTally, fuzzTime time.Duration, announce bool) error {
	targets, err := r.discover()
	if err != nil {
		return err
	}
	if announce {
		fmt.Fprintf(r.out, "fuzzing %s for %v each\n", plural(len(targets), "target"), fuzzTime)
	}
	cache, err := exec.Command(r.goCmd, "env", "GOCACHE").Output()
	if err != nil {
		return fmt.Errorf("go env GOCACHE: %w", err)
	}
	fuzzCache := filepath.Join(strings.TrimSpace(string(cache)), "fuzz")
	for _, tg := range targets {
		passed, progress, output, err := r.fuzz(tg, fuzzTime)
		if err != nil {
			return err
		}
		if !passed && deadlineRace(output) {
			// Go's fuzzing coordinator can fail a target at the end of a
			// -fuzztime window with nothing found (golang/go#75804): the
			// deadline of its context races its workers. Nothing was
			// written to testdata, so run the target once more.
			fmt.Fprintf(r.out, "note\t%s %s\tended with go's bare \"context deadline exceeded\" and no failing input (golang/go#75804): running it once more\n", tg.pkg, tg.name)
			passed, progress, output, err = r.fuzz(tg, fuzzTime)
			if err != nil {
				return err
			}
		}
		if !passed {
			fmt.Fprint(r.out, output)
		}
		seeds := countFiles(filepath.Join(tg.dir, "testdata", "fuzz", tg.name))
		cached := countFiles(filepath.Join(fuzzCache, filepath.FromSlash(tg.pkg), tg.name))
		fz.targets++
		fz.seeds += seeds
		fz.cached += cached
		verdict, what := "ok  ", fmt.Sprintf("fuzzed %v: %s", fuzzTime, progress)
		if !passed {
			fz.failed++
			verdict, what = "FAIL", "failed (its output is above)"
		}
		fmt.Fprintf(r.out, "%s\t%s %s\t%s; corpus %d in testdata, %d cached\n",
			verdict, tg.pkg, tg.name, what, seeds, cached)
	}
	return nil
}

var (
	baselineRe = regexp.MustCompile(`gathering baseline coverage: (\d+/\d+)`)
	execsRe    = regexp.MustCompile(`execs: (\d+)`)
)

// fuzz runs one target. It prints the run's output only when it fails (the
// output then names the input written to testdata and how to rerun it).
// progress says how much of the corpus was rerun first (the baseline,
// which counts against the fuzz time) and how many new inputs were tried.
func (r runner) fuzz(tg target, fuzzTime time.Duration) (passed bool, progress, output string, err error) {
	args := []string{"test", "-json", "-run", "^$", "-fuzz", "^" + tg.name + "$",
		"-fuzztime", fuzzTime.String(), "-timeout", (fuzzTime + 10*time.Minute).String(), tg.pkg}
	var lines []string
	result := ""
	baseline, execs := "0/0", "0"
	exitErr, err := r.goTest(args, func(line []byte) {
		var e event
		if json.Unmarshal(line, &e) != nil || e.Action == "" {
			lines = append(lines, string(line)+"\n")
			return
		}
		switch {
		case e.Action == "build-output":
			fmt.Fprint(r.out, e.Output)
		case e.Action == "output":
			if m := baselineRe.FindStringSubmatch(e.Output); m != nil {
				baseline = m[1]
			}
			if m := execsRe.FindStringSubmatch(e.Output); m != nil {
				execs = m[1]
			}
			if !strings.HasPrefix(e.Output, "=== ") {
				lines = append(lines, e.Output)
			}
		case e.Test == "" && (e.Action == "pass" || e.Action == "fail"):
			result = e.Action
		}
	})
	if err != nil {
		return false, "", "", err
	}
	passed = result == "pass" && exitErr == nil
	if !passed {
		output = fmt.Sprintf("go %s\n%s", quoteArgs(args), strings.Join(lines, ""))
	}
	return passed, fmt.Sprintf("corpus rerun %s, %s new inputs", baseline, execs), output, nil
}

// deadlineRace tells whether a failed fuzz run is only Go's race at the
// end of -fuzztime: its one complaint is "context deadline exceeded" and
// it found no input (a finding says "Failing input written to", a test
// failure or panic prints more than the bare error).
func deadlineRace(output string) bool {
	if strings.Contains(output, "Failing input written to") || strings.Contains(output, "panic:") {
		return false
	}
	complaint := ""
	for _, line := range strings.Split(output, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "", strings.HasPrefix(t, "go test "), strings.HasPrefix(t, "fuzz: elapsed:"),
			strings.HasPrefix(t, "--- FAIL: Fuzz"), t == "FAIL", strings.HasPrefix(t, "exit status "),
			strings.HasPrefix(t, "FAIL\t"):
		default:
			if complaint != "" {
				return false
			}
			complaint = t
		}
	}
	return complaint == "context deadline exceeded"
}

// discover finds the fuzz targets of the packages: every top-level
// func FuzzX(*testing.F) in their test files.
func (r runner) discover() ([]target, error) {
	const format = `{{.ImportPath}}{{"\t"}}{{.Dir}}{{range .TestGoFiles}}{{"\t"}}{{.}}{{end}}{{range .XTestGoFiles}}{{"\t"}}{{.}}{{end}}`
	var stderr bytes.Buffer
	cmd := exec.Command(r.goCmd, append([]string{"list", "-f", format}, r.pkgs...)...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %v\n%s", err, stderr.Bytes())
	}
	var targets []target
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Split(line, "\t")
		if len(fields) < 3 {
			continue // no test files
		}
		for _, file := range fields[2:] {
			names, err := fuzzFuncs(filepath.Join(fields[1], file))
			if err != nil {
				return nil, err
			}
			for _, n := range names {
				targets = append(targets, target{pkg: fields[0], dir: fields[1], name: n})
			}
		}
	}
	return targets, nil
}

// fuzzFuncs lists the fuzz targets of one test file, by go test's rule: a
// name that is Fuzz or Fuzz followed by a non-lower-case letter, taking
// one *testing.F.
func fuzzFuncs(path string) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "Fuzz") {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(fn.Name.Name[len("Fuzz"):]); unicode.IsLower(r) {
			continue
		}
		if p := fn.Type.Params.List; len(p) == 1 && len(p[0].Names) <= 1 && isTestingF(p[0].Type) {
			names = append(names, fn.Name.Name)
		}
	}
	return names, nil
}

func isTestingF(t ast.Expr) bool {
	star, ok := t.(*ast.StarExpr)
	if !ok {
		return false
	}
	sel, ok := star.X.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "F"
}

// countFiles counts the entries of a corpus directory (none when it is
// missing).
func countFiles(dir string) int {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range entries {
		if e.Type().IsRegular() {
			n++
		}
	}
	return n
}
