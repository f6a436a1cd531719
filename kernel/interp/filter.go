package interp

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// panicFilter passes the script's standard error through, but keeps back
// the lines Yaegi prints as a panic unwinds ("file:3:6: panic:
// main.g(...)", one per interpreted frame) and remembers the first
// position and function: the host reports them in one clear message
// instead.
type panicFilter struct {
	w   io.Writer
	mu  sync.Mutex
	pos string
	fn  string
}

var panicLine = regexp.MustCompile(`^((?:.+?:)?\d+:\d+): panic(?:: (.*?)(?:\(\.\.\.\))?)?\n?$`)

func (f *panicFilter) Write(p []byte) (int, error) {
	if m := panicLine.FindSubmatch(p); m != nil {
		f.mu.Lock()
		if f.pos == "" {
			f.pos, f.fn = string(m[1]), string(m[2])
		}
		f.mu.Unlock()
		return len(p), nil
	}
	return f.w.Write(p)
}

// take returns the position and function of the last panic and forgets
// them.
func (f *panicFilter) take() (pos, fn string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	pos, fn = f.pos, f.fn
	f.pos, f.fn = "", ""
	return pos, fn
}

// outWriter is the script's standard output. Yaegi v0.16.1's print and
// println builtins print a nil pointer's dereference as
// "<invalid reflect.Value>" and go on; outWriter turns that write into
// the panic Go would have raised.
type outWriter struct {
	w io.Writer
}

var errNilDeref = runtimeError("runtime error: invalid memory address or nil pointer dereference")

type runtimeError string

func (e runtimeError) Error() string { return string(e) }
func (e runtimeError) RuntimeError() {}

func (o *outWriter) Write(p []byte) (int, error) {
	if string(p) == "<invalid reflect.Value>" {
		panic(errNilDeref)
	}
	return o.w.Write(p)
}

// newImports drops from a run of declarations the imports made before:
// Yaegi v0.16.1 refuses a second import of a package as a redeclaration,
// but in a REPL people import again. It returns the declarations left
// and the keys of the imports they make.
func (h *Host) newImports(src string) (string, []string) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", "package p\n"+src, parser.SkipObjectResolution)
	if err != nil {
		return src, nil // the interpreter will report the error
	}
	var keys []string
	var out []string
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			var specs []ast.Spec
			for _, s := range g.Specs {
				is := s.(*ast.ImportSpec)
				path, _ := strconv.Unquote(is.Path.Value)
				name := ""
				if is.Name != nil {
					name = is.Name.Name
				}
				key := name + " " + path
				if h.imported[key] {
					continue
				}
				keys = append(keys, key)
				specs = append(specs, s)
			}
			if len(specs) == 0 {
				continue
			}
			g.Specs = specs
			if len(specs) > 1 && !g.Lparen.IsValid() {
				g.Lparen = g.Pos()
			}
		}
		var b bytes.Buffer
		if err := printer.Fprint(&b, fset, d); err != nil {
			return src, nil
		}
		out = append(out, b.String())
	}
	return strings.Join(out, "\n"), keys
}
