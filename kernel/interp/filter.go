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
// the lines Yaegi prints as a panic unwinds ("file:3:6: panic", one per
// interpreted frame) and remembers the first position: the host reports it
// in one clear message instead.
type panicFilter struct {
	w   io.Writer
	mu  sync.Mutex
	pos string
}

var panicLine = regexp.MustCompile(`^((?:\S+?:)?\d+:\d+): panic(: .*)?\n?$`)

func (f *panicFilter) Write(p []byte) (int, error) {
	if m := panicLine.FindSubmatch(p); m != nil {
		f.mu.Lock()
		if f.pos == "" {
			f.pos = string(m[1])
		}
		f.mu.Unlock()
		return len(p), nil
	}
	return f.w.Write(p)
}

// takePos returns the position of the last panic and forgets it.
func (f *panicFilter) takePos() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.pos
	f.pos = ""
	return p
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
