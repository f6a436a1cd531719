// Package api fingerprints the exported API of the packages whose Yaegi
// symbols kernel/symbols holds, so that a test can tell in milliseconds
// whether the generated files are stale. Extracting them for real
// type-checks gonum/plot from source and takes most of a minute.
//
// A dsim package's fingerprint hashes its exported declarations as
// printed without comments or function bodies: what the extractor reads.
// A third-party package's fingerprint is its module's version in go.mod.
package api

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"dsim/sim/scenario/registry"
)

// Fingerprint returns the fingerprint of the package at import path,
// with root the repository (where go.mod is).
func Fingerprint(root, path string) (string, error) {
	if rest, ok := strings.CutPrefix(path, "dsim/"); ok {
		return sourceAPI(filepath.Join(root, filepath.FromSlash(rest)))
	}
	return moduleVersion(filepath.Join(root, "go.mod"), path)
}

func sourceAPI(dir string) (string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return "", err
	}
	fset := token.NewFileSet()
	var decls []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			return "", err
		}
		if file.Name.Name == "main" {
			continue
		}
		for _, d := range file.Decls {
			if s := exported(fset, d); s != "" {
				decls = append(decls, s)
			}
		}
	}
	if len(decls) == 0 {
		return "", fmt.Errorf("api: no exported declarations in %s", dir)
	}
	sort.Strings(decls)
	sum := sha256.Sum256([]byte(strings.Join(decls, "\n")))
	return fmt.Sprintf("%x", sum[:12]), nil
}

// exported prints the exported part of a declaration, or "".
func exported(fset *token.FileSet, d ast.Decl) string {
	var keep ast.Node
	switch d := d.(type) {
	case *ast.FuncDecl:
		if !d.Name.IsExported() || (d.Recv != nil && !exportedRecv(d.Recv)) {
			return ""
		}
		fn := *d
		fn.Body, fn.Doc = nil, nil
		keep = &fn
	case *ast.GenDecl:
		if d.Tok == token.IMPORT {
			return ""
		}
		g := *d
		g.Doc, g.Specs = nil, nil
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				if s.Name.IsExported() {
					g.Specs = append(g.Specs, s)
				}
			case *ast.ValueSpec:
				for _, n := range s.Names {
					if n.IsExported() {
						g.Specs = append(g.Specs, s)
						break
					}
				}
			}
		}
		if len(g.Specs) == 0 {
			return ""
		}
		keep = &g
	default:
		return ""
	}
	var b bytes.Buffer
	if err := (&printer.Config{Mode: printer.RawFormat}).Fprint(&b, fset, keep); err != nil {
		return ""
	}
	// Comments inside declarations (on fields) are printed too; a reworded
	// comment is not an API change, so they are dropped line by line.
	var lines []string
	for _, l := range strings.Split(b.String(), "\n") {
		if i := strings.Index(l, "//"); i >= 0 {
			l = l[:i]
		}
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, " ")
}

func exportedRecv(r *ast.FieldList) bool {
	t := r.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
		case *ast.IndexExpr:
			t = x.X
		case *ast.IndexListExpr:
			t = x.X
		case *ast.Ident:
			return x.IsExported()
		default:
			return false
		}
	}
}

// moduleVersion finds the version of the module that holds path in go.mod.
func moduleVersion(gomod, path string) (string, error) {
	f, err := os.Open(gomod)
	if err != nil {
		return "", err
	}
	defer f.Close()
	best, version := "", ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(strings.TrimPrefix(strings.TrimSpace(sc.Text()), "require "))
		if len(fields) < 2 {
			continue
		}
		mod := fields[0]
		if (path == mod || strings.HasPrefix(path, mod+"/")) && len(mod) > len(best) {
			best, version = mod, fields[1]
		}
	}
	if best == "" {
		return "", fmt.Errorf("api: no module in %s holds %s", gomod, path)
	}
	return best + "@" + version, sc.Err()
}

// Packages are the import paths scripts may use, beside Go's standard
// library (which Yaegi brings): the library's packages, every scenario of
// the registry (its package is sim/scenario/NAME), and the front ends'.
var Packages = append(append([]string{
	"dsim/sim",
	"dsim/sim/dist",
	"dsim/sim/metrics",
	"dsim/sim/viz",
	"dsim/sim/net",
	"dsim/sim/resilience",
	"dsim/sim/service",
	"dsim/sim/theory/mva",
	"dsim/sim/scenario",
	"dsim/sim/scenario/registry",
}, scenarioPackages()...), []string{
	"dsim/sim/sweep",
	"dsim/sim/lab",
	"dsim/sim/lab/raft",
	"dsim/sim/lab/detect",
	"dsim/sim/lab/txn",
	"dsim/kernel/display",
	"dsim/kernel/script",
	"gonum.org/v1/plot",
	"gonum.org/v1/plot/plotter",
	"gonum.org/v1/plot/vg",
	"gonum.org/v1/plot/vg/draw",
	"gonum.org/v1/plot/vg/vgsvg",
	"gonum.org/v1/plot/vg/vgimg",
	"github.com/HdrHistogram/hdrhistogram-go",
}...)

func scenarioPackages() []string {
	var paths []string
	for _, name := range registry.Names() {
		paths = append(paths, "dsim/sim/scenario/"+name)
	}
	return paths
}

// Sums is the content of api.sum: one line per package, its import path
// and its API fingerprint.
func Sums(root string) ([]byte, error) {
	var b bytes.Buffer
	for _, path := range Packages {
		fp, err := Fingerprint(root, path)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "%s %s\n", path, fp)
	}
	return b.Bytes(), nil
}
