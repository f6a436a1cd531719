package notebooks

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"dsim/sim/scenario/registry"
)

// Lessons and scripts never throw an error away: a mistyped preset name
// must stop the cell with the error that names the presets, not run the
// defaults and print a plausible verdict. Every code cell of every
// notebook (as GoNB runs it: the cell's declarations and those of the
// cells above, its %% part as main's body) and every script is
// type-checked, and a blank identifier that takes an error, or a call
// whose error result is dropped, fails the test.
func TestNoErrorIsDiscarded(t *testing.T) {
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "source", nil)
	// check type-checks src; a notebook cell's imports are guessed by
	// name, so one it turns out not to use is dropped, as goimports drops
	// it in GoNB (a variable called service is no package).
	check := func(name, src string, guessed bool) {
		t.Helper()
		var f *ast.File
		var info *types.Info
		for {
			var err error
			f, err = parser.ParseFile(fset, name, src, 0)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				return
			}
			var unused []string
			info = &types.Info{Types: map[ast.Expr]types.TypeAndValue{}}
			conf := types.Config{Importer: imp, Error: func(err error) {
				if m := unusedImport.FindStringSubmatch(err.Error()); m != nil {
					unused = append(unused, m[1])
				}
			}}
			_, err = conf.Check("main", fset, []*ast.File{f}, info)
			if err == nil {
				break
			}
			if !guessed || len(unused) == 0 {
				t.Errorf("%s does not type-check: %v", name, err)
				return
			}
			for _, u := range unused {
				src = strings.Replace(src, "\t\""+u+"\"\n", "", 1)
			}
			guessed = false
		}
		for _, d := range discarded(f, info) {
			t.Errorf("%s: an error is discarded; handle it (display.Show(err) in a notebook, or return it)", fset.Position(d))
		}
	}
	scripts, _ := filepath.Glob(filepath.Join("..", "scripts", "*.go"))
	for _, s := range scripts {
		src, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		check(s, string(src), false)
	}
	for _, nb := range lessons(t) {
		for i, src := range cellPrograms(t, nb) {
			check(fmt.Sprintf("%s cell %d", nb, i+1), src, true)
		}
	}
}

// cellPrograms turns a notebook's code cells into the programs GoNB runs:
// the imports and declarations of this cell and the cells above it, and
// the %% part as main's body.
func cellPrograms(t *testing.T, path string) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var nb notebook
	if err := json.Unmarshal(data, &nb); err != nil {
		t.Fatal(err)
	}
	var decls []string
	var progs []string
	for _, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		src := sourceText(c.Source)
		head, body, hasMain := strings.Cut(src, "%%")
		imports, rest := splitImports(head)
		decls = append(decls, rest)
		var b strings.Builder
		b.WriteString("package main\n\n")
		b.WriteString(mergeImports(imports, decls, body))
		b.WriteString(strings.Join(decls, "\n"))
		if hasMain {
			b.WriteString("\nfunc main() {\n" + body + "\n}\n")
		} else {
			b.WriteString("\nfunc main() {}\n")
		}
		progs = append(progs, b.String())
	}
	return progs
}

func sourceText(s any) string {
	switch v := s.(type) {
	case string:
		return v
	case []any:
		var b strings.Builder
		for _, l := range v {
			b.WriteString(fmt.Sprint(l))
		}
		return b.String()
	}
	return ""
}

// splitImports takes the import declarations off a cell's head.
func splitImports(head string) (imports []string, rest string) {
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+head, parser.ImportsOnly)
	if err != nil {
		return nil, head
	}
	for _, im := range f.Imports {
		imports = append(imports, im.Path.Value)
	}
	lines := strings.Split(head, "\n")
	var out []string
	inImport := false
	for _, l := range lines {
		tl := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(tl, "import ("):
			inImport = true
		case inImport && tl == ")":
			inImport = false
		case inImport, strings.HasPrefix(tl, "import "):
		default:
			out = append(out, l)
		}
	}
	return imports, strings.Join(out, "\n")
}

// mergeImports writes one import block with what the program uses: GoNB
// (through goimports) adds the imports a cell leaves out and drops unused
// ones, and so does this, for the packages lessons use.
func mergeImports(declared []string, decls []string, body string) string {
	code := strings.Join(decls, "\n") + body
	paths := map[string]bool{}
	for _, p := range declared {
		paths[p] = true
	}
	for name, p := range knownPackages() {
		if strings.Contains(code, name+".") {
			paths[`"`+p+`"`] = true
		}
	}
	var b strings.Builder
	b.WriteString("import (\n")
	for p := range paths {
		name := p[strings.LastIndex(p, "/")+1 : len(p)-1]
		name = strings.TrimPrefix(name, `"`)
		if !strings.Contains(code, name+".") {
			continue
		}
		b.WriteString("\t" + p + "\n")
	}
	b.WriteString(")\n\n")
	return b.String()
}

// unusedImport is the type checker's error for an import nobody uses.
var unusedImport = regexp.MustCompile(`"([^"]+)" imported and not used`)

// knownPackages are the packages goimports finds for lessons by name:
// these, and every scenario of the registry.
func knownPackages() map[string]string {
	known := map[string]string{
		"fmt": "fmt", "time": "time", "math": "math", "strings": "strings", "sort": "sort", "context": "context", "os": "os", "filepath": "path/filepath",
		"display": "dsim/kernel/display", "sim": "dsim/sim", "dist": "dsim/sim/dist", "metrics": "dsim/sim/metrics",
		"viz": "dsim/sim/viz", "net": "dsim/sim/net", "resilience": "dsim/sim/resilience", "sweep": "dsim/sim/sweep",
		"scenario": "dsim/sim/scenario", "registry": "dsim/sim/scenario/registry", "service": "dsim/sim/service", "lab": "dsim/sim/lab",
		"raft": "dsim/sim/lab/raft", "detect": "dsim/sim/lab/detect",
		"txn": "dsim/sim/lab/txn",
	}
	for _, name := range registry.Names() {
		known[name] = "dsim/sim/scenario/" + name
	}
	return known
}

var errorType = types.Universe.Lookup("error").Type()

// discarded finds the errors a file throws away: a blank identifier given
// an error, and a call statement whose results include an error.
func discarded(f *ast.File, info *types.Info) []token.Pos {
	var found []token.Pos
	isErr := func(t types.Type) bool { return t != nil && types.Identical(t, errorType) }
	blanks := func(lhs []ast.Expr, rhs []ast.Expr) {
		var results []types.Type
		if len(rhs) == 1 && len(lhs) > 1 {
			if tup, ok := info.Types[rhs[0]].Type.(*types.Tuple); ok {
				for i := 0; i < tup.Len(); i++ {
					results = append(results, tup.At(i).Type())
				}
			}
		} else {
			for _, r := range rhs {
				results = append(results, info.Types[r].Type)
			}
		}
		for i, l := range lhs {
			if id, ok := l.(*ast.Ident); ok && id.Name == "_" && i < len(results) && isErr(results[i]) {
				found = append(found, id.Pos())
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.AssignStmt:
			blanks(s.Lhs, s.Rhs)
		case *ast.ValueSpec:
			var lhs []ast.Expr
			for _, id := range s.Names {
				lhs = append(lhs, id)
			}
			blanks(lhs, s.Values)
		case *ast.ExprStmt:
			call, ok := s.X.(*ast.CallExpr)
			if !ok || printing(call, info) {
				return true
			}
			switch t := info.Types[call].Type.(type) {
			case *types.Tuple:
				for i := 0; i < t.Len(); i++ {
					if isErr(t.At(i).Type()) {
						found = append(found, call.Pos())
						break
					}
				}
			default:
				if isErr(t) {
					found = append(found, call.Pos())
				}
			}
		}
		return true
	})
	return found
}

// printing reports whether call is one of fmt's Print functions, whose
// error (a failed write to the cell's output) nobody handles.
func printing(call *ast.CallExpr, info *types.Info) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "fmt" && strings.Contains(sel.Sel.Name, "Print")
}
