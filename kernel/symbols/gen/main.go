// Command gen writes the Yaegi symbol tables of kernel/symbols: one file
// per package a script may import, and api.sum, the fingerprints of the
// APIs they were made from (see internal/api). It is what `go generate
// ./kernel/symbols` runs; with -check it compares instead of writing and
// fails when a file is stale. api.Packages are extracted in parallel: each
// extraction type-checks its dependencies from source.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/traefik/yaegi/extract"

	"dsim/kernel/symbols/internal/api"
)

func main() {
	check := flag.Bool("check", false, "compare with the files on disk instead of writing them")
	dir := flag.String("dir", ".", "the kernel/symbols folder")
	flag.Parse()
	stale := 0
	want := map[string]bool{}
	type result struct {
		name string
		src  []byte
		err  error
	}
	results := make([]result, len(api.Packages))
	var wg sync.WaitGroup
	for i, path := range api.Packages {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name, src, err := generate(path)
			results[i] = result{name, src, err}
		}()
	}
	wg.Wait()
	root, err := filepath.Abs(filepath.Join(*dir, "..", ".."))
	if err != nil {
		fmt.Fprintln(os.Stderr, "symbols:", err)
		os.Exit(1)
	}
	sums, err := api.Sums(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "symbols:", err)
		os.Exit(1)
	}
	results = append(results, result{name: "api.sum", src: sums})
	for i, r := range results {
		name, src := r.name, r.src
		if r.err != nil {
			fmt.Fprintf(os.Stderr, "symbols: %s: %v\n", api.Packages[i], r.err)
			os.Exit(1)
		}
		want[name] = true
		file := filepath.Join(*dir, name)
		if *check {
			if old, err := os.ReadFile(file); err != nil || !bytes.Equal(old, src) {
				fmt.Fprintf(os.Stderr, "symbols: %s is stale: run go generate ./kernel/symbols (make symbols)\n", name)
				stale++
			}
			continue
		}
		if err := os.WriteFile(file, src, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "symbols:", err)
			os.Exit(1)
		}
	}
	// A package dropped from the list leaves a file behind: that is stale too.
	files, _ := filepath.Glob(filepath.Join(*dir, "*.go"))
	for _, f := range files {
		base := filepath.Base(f)
		if base == "symbols.go" || strings.HasSuffix(base, "_test.go") || want[base] {
			continue
		}
		if *check {
			fmt.Fprintf(os.Stderr, "symbols: %s is not generated from any package: remove it\n", base)
			stale++
		} else if err := os.Remove(f); err != nil {
			fmt.Fprintln(os.Stderr, "symbols:", err)
			os.Exit(1)
		}
	}
	if stale > 0 {
		os.Exit(1)
	}
}

// generate extracts one package's symbols. The extractor treats import
// paths without a dot (dsim/...) as the standard library and pins them to
// the running Go version with a build tag; the tag is dropped, because the
// library's API does not change with the compiler.
func generate(path string) (name string, src []byte, err error) {
	var buf bytes.Buffer
	e := extract.Extractor{Dest: "symbols"}
	if _, err := e.Extract(path, "", &buf); err != nil {
		return "", nil, err
	}
	var out []string
	for _, line := range strings.Split(buf.String(), "\n") {
		if strings.HasPrefix(line, "//go:build") || strings.HasPrefix(line, "// +build") {
			continue
		}
		out = append(out, line)
	}
	src, err = format.Source([]byte(strings.Join(out, "\n")))
	if err != nil {
		return "", nil, err
	}
	name = strings.NewReplacer("/", "-", ".", "_").Replace(path) + ".go"
	return name, src, nil
}
