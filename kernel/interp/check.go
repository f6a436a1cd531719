package interp

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"go/types"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/traefik/yaegi/stdlib"

	"dsim/kernel/symbols"
)

// The interpreter is Go 1.21 without the 1.21 built-ins, and its messages
// for what it lacks are obscure ("constant definition loop" for min,
// "nil type" for a range over an integer, "package location ... not in
// GOPATH" for os/exec). The checks here find those in the source first and
// say what to write instead.

// checkFile checks a script: package main with a func main, imports that
// scripts have, no Go features newer than the interpreter's.
func checkFile(fset *token.FileSet, f *ast.File) error {
	if f.Name.Name != "main" {
		return &Error{Msg: fmt.Sprintf("%s: package %s: a script is package main, with a func main to run", fset.Position(f.Name.Pos()), f.Name.Name), Kind: "error"}
	}
	hasMain := false
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" {
			hasMain = true
		}
	}
	if !hasMain {
		return &Error{Msg: fmt.Sprintf("%s: no func main: a script runs its main function; add func main() { ... }", fset.Position(f.Pos()).Filename), Kind: "error"}
	}
	if err := checkImports(fset, f, true); err != nil {
		return err
	}
	return checkVersion(fset, f, true)
}

// checkChunk checks a piece of REPL input as checkFile does a script, and
// refuses to redefine a type (Yaegi v0.16.1 would keep the old definition
// without a word).
func (h *Host) checkChunk(src string, decl bool) error {
	fset := token.NewFileSet()
	f, err := parseChunk(fset, src, decl, parser.SkipObjectResolution)
	if err != nil {
		return nil // the interpreter reports syntax errors
	}
	if err := checkImports(fset, f, false); err != nil {
		return err
	}
	for name, def := range typeDefs(fset, f) {
		if old, ok := h.types[name]; ok && old != def {
			return &Error{Msg: fmt.Sprintf("type %s is already defined (as %s): the interpreter cannot redefine a type and would keep the old one; use a new name, or :reset to start over", name, old), Kind: "error"}
		}
	}
	return checkVersion(fset, f, false)
}

// noteTypes records the types a declaration chunk defined.
func (h *Host) noteTypes(src string) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", "package main\n"+src, parser.SkipObjectResolution)
	if err != nil {
		return
	}
	for name, def := range typeDefs(fset, f) {
		if _, ok := h.types[name]; !ok {
			h.types[name] = def
		}
	}
}

// typeDefs returns the top-level types of f and their definitions, as
// gofmt writes them.
func typeDefs(fset *token.FileSet, f *ast.File) map[string]string {
	defs := map[string]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.TYPE {
			continue
		}
		for _, s := range g.Specs {
			ts := s.(*ast.TypeSpec)
			var b bytes.Buffer
			if ts.TypeParams != nil {
				_ = printer.Fprint(&b, fset, ts.TypeParams)
				b.WriteString(" ")
			}
			if ts.Assign.IsValid() {
				b.WriteString("= ")
			}
			_ = printer.Fprint(&b, fset, ts.Type)
			defs[ts.Name.Name] = strings.Join(strings.Fields(b.String()), " ")
		}
	}
	return defs
}

// available is the set of import paths scripts have.
var available = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{guardPath: true}
	for _, syms := range []map[string]map[string]reflect.Value{stdlib.Symbols, symbols.Symbols} {
		for k := range syms {
			if i := strings.LastIndex(k, "/"); i > 0 {
				m[k[:i]] = true
			}
		}
	}
	return m
})

func checkImports(fset *token.FileSet, f *ast.File, withPos bool) error {
	for _, s := range f.Imports {
		path := strings.Trim(s.Path.Value, "\"`")
		if available()[path] {
			continue
		}
		msg := fmt.Sprintf("import %q: %s", path, importProblem(path))
		if withPos {
			msg = fmt.Sprintf("%s: %s", fset.Position(s.Pos()), msg)
		}
		return &Error{Msg: msg, Kind: "error"}
	}
	return nil
}

func importProblem(path string) string {
	switch path {
	case "os/exec":
		return "scripts cannot start programs (os/exec is not available to them): start them from the shell that runs dsim"
	case "unsafe", "syscall", "plugin", "runtime/cgo":
		return "not available to scripts"
	}
	if first, _, _ := strings.Cut(path, "/"); first == "dsim" {
		return "not a dsim package scripts have: they have every package under dsim/sim and dsim/kernel that the README's \"Scripts and the REPL\" lists (a misspelt path?)"
	} else if !strings.Contains(first, ".") {
		return "not in the standard library scripts have (Go's, without os/exec, syscall and unsafe)"
	}
	return "not available to scripts: they can import Go's standard library and dsim's packages (README, \"Scripts and the REPL\")"
}

// noImports lets go/types check a file without its imports: what uses them
// is not checked, the rest is.
type noImports struct{}

func (noImports) Import(path string) (*types.Package, error) {
	return nil, fmt.Errorf("not loaded")
}

var (
	rangeNew   = regexp.MustCompile(`^cannot range over (.+?) \((.+)\): requires go1\.(\d+) or later`)
	builtinNew = regexp.MustCompile(`^(?:built-in )?(min|max|clear) requires go1\.21 or later`)
	otherNew   = regexp.MustCompile(`requires go1\.(2[2-9]|[3-9]\d) or later`)
)

// checkVersion finds the Go features newer than the interpreter's with
// go/types, told the language is Go 1.20 (so that the 1.21 built-ins are
// refused too) and given no imports: of its errors it keeps those about
// the language version.
func checkVersion(fset *token.FileSet, f *ast.File, withPos bool) error {
	var found []types.Error
	conf := types.Config{GoVersion: "go1.20", Importer: noImports{}, Error: func(err error) {
		if te, ok := err.(types.Error); ok && (strings.Contains(te.Msg, "requires go1.")) {
			found = append(found, te)
		}
	}}
	_, _ = conf.Check("main", fset, []*ast.File{f}, nil)
	var msgs []string
	for _, te := range found {
		msg := versionProblem(te.Msg)
		if msg == "" {
			continue
		}
		if withPos {
			msg = fmt.Sprintf("%s: %s", fset.Position(te.Pos), msg)
		}
		msgs = append(msgs, msg)
	}
	if len(msgs) == 0 {
		return nil
	}
	sort.Strings(msgs)
	msg := msgs[0]
	if len(msgs) > 1 {
		msg += fmt.Sprintf(" (and %d more like it)", len(msgs)-1)
	}
	return &Error{Msg: msg, Kind: "error"}
}

// versionProblem says what a go/types version error means for a script,
// or "" for a Go 1.21 feature the interpreter has.
func versionProblem(msg string) string {
	if m := rangeNew.FindStringSubmatch(msg); m != nil {
		if m[3] == "22" {
			return fmt.Sprintf("range over %s, an integer, is Go 1.22, and scripts are Go 1.21 (Yaegi v0.16.1): write for i := 0; i < %s; i++ { ... }", m[1], m[1])
		}
		return fmt.Sprintf("range over %s, a function, is Go 1.%s, and scripts are Go 1.21 (Yaegi v0.16.1): call %s with a func that takes each element and returns true to go on", m[1], m[3], m[1])
	}
	if m := builtinNew.FindStringSubmatch(msg); m != nil {
		if m[1] == "clear" {
			return "clear is a Go 1.21 built-in that scripts do not have (Yaegi v0.16.1): delete a map's keys in a loop, or set a slice's elements to zero"
		}
		return m[1] + " is a Go 1.21 built-in that scripts do not have (Yaegi v0.16.1): use math.Min or math.Max for float64, or an if"
	}
	if otherNew.MatchString(msg) {
		return msg + ": scripts are Go 1.21 (Yaegi v0.16.1)"
	}
	return ""
}

// newBuiltin explains a REPL input that failed to compile and calls min,
// max or clear, which checkChunk cannot see when their arguments come from
// earlier inputs (go/types does not know them); "" when it calls none.
func newBuiltin(src string, decl bool) string {
	f, err := parseChunk(token.NewFileSet(), src, decl, 0)
	if err != nil {
		return ""
	}
	found := ""
	ast.Inspect(f, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && found == "" {
			if id, ok := call.Fun.(*ast.Ident); ok && id.Obj == nil && (id.Name == "min" || id.Name == "max" || id.Name == "clear") {
				found = id.Name
			}
		}
		return found == ""
	})
	if found == "" {
		return ""
	}
	return versionProblem("built-in " + found + " requires go1.21 or later")
}

// unimported explains a REPL input that failed to compile and names a
// package, such as fmt.Println, that no earlier input imported: Yaegi
// v0.16.1 reports that well alone, but inside a larger expression
// (x := 1 + fmt.Println("hi")) its compiler panics instead. "" when every
// package the input names is imported, or the name is the input's own.
func (h *Host) unimported(src string, decl bool) string {
	f, err := parseChunk(token.NewFileSet(), src, decl, 0)
	if err != nil {
		return ""
	}
	imported := map[string]bool{}
	for k := range h.imported {
		imported[strings.Fields(k)[0]] = true
	}
	for _, s := range f.Imports {
		imported[importName(s)] = true
	}
	paths := map[string]string{} // a package's name -> its import path
	for path := range available() {
		paths[path[strings.LastIndex(path, "/")+1:]] = path
	}
	found := ""
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok || found != "" {
			return found == ""
		}
		// Obj is set when the input itself declares the name.
		if id, ok := sel.X.(*ast.Ident); ok && id.Obj == nil && !imported[id.Name] && paths[id.Name] != "" {
			found = id.Name
		}
		return true
	})
	if found == "" {
		return ""
	}
	return fmt.Sprintf("undefined: %s: no input imported it; import %q first, then run this again", found, paths[found])
}

// importName is the name an import spec gives its package.
func importName(s *ast.ImportSpec) string {
	if s.Name != nil {
		return s.Name.Name
	}
	path := strings.Trim(s.Path.Value, "\"`")
	return path[strings.LastIndex(path, "/")+1:]
}

// parseChunk parses a piece of REPL input as a file: a declaration as it
// is, a statement or an expression inside a function.
func parseChunk(fset *token.FileSet, src string, decl bool, mode parser.Mode) (*ast.File, error) {
	if decl {
		return parser.ParseFile(fset, "", "package main\n"+src, mode)
	}
	return parser.ParseFile(fset, "", "package main\nfunc _() {\n"+src+"\n}", mode)
}
