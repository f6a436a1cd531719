package interp

import (
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strings"
)

// guardImport is the name under which interpreted code reaches the host's
// goroutine guard.
const (
	guardName = "__dsimguard"
	guardPath = "dsim/kernel/interp/guard"
)

// builtins cannot be taken as values, so a go statement calling one is
// wrapped without evaluating its arguments first.
var builtins = map[string]bool{
	"append": true, "cap": true, "clear": true, "close": true, "complex": true, "copy": true,
	"delete": true, "imag": true, "len": true, "make": true, "max": true, "min": true, "new": true,
	"panic": true, "print": true, "println": true, "real": true, "recover": true,
}

// guardGoroutines rewrites every go statement of src so that a panic in
// the goroutine is recovered by the host instead of killing the process
// (Yaegi re-panics in the goroutine, where nothing can recover it):
//
//	go f(a, b)  becomes
//	__dsimguard.Go(func() func() { __f, __a0, __a1 := f, a, b; return func() { __f(__a0, __a1) } }())
//
// and the host's Go starts the goroutine. The function and its arguments
// are evaluated when the statement runs, as Go requires: a plain call does
// that, where Yaegi v0.16.1 evaluates a go statement's arguments in the new
// goroutine, late (go f(i) in a loop could see a later i). The rewrite keeps every line where it was (lost
// line breaks are added after the statement), so positions in error
// messages stay right. wrap says how to parse src: as a file, or as
// statements. It returns src unchanged when there is no go statement or
// src does not parse (the interpreter will report the error).
func guardGoroutines(src string, asFile bool) (string, int) {
	prefix, suffix := "", ""
	if !asFile {
		prefix, suffix = "package p\nfunc _() {\n", "\n}"
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", prefix+src+suffix, parser.SkipObjectResolution)
	if err != nil {
		return src, 0
	}
	var stmts []*ast.GoStmt
	ast.Inspect(f, func(n ast.Node) bool {
		if g, ok := n.(*ast.GoStmt); ok {
			stmts = append(stmts, g)
		}
		return true
	})
	if len(stmts) == 0 {
		return src, 0
	}
	// Rewrite from the last statement to the first, so that a go
	// statement inside another's function literal is rewritten before the
	// outer one. Offsets are into src; adj maps them into out by adding
	// the growth of the rewrites that ended before them.
	type done struct{ end, delta int }
	var applied []done
	off := func(p token.Pos) int { return fset.Position(p).Offset - len(prefix) }
	adj := func(o int) int {
		for _, d := range applied {
			if d.end <= o {
				o += d.delta
			}
		}
		return o
	}
	out := src
	text := func(n ast.Node) string { return out[adj(off(n.Pos())):adj(off(n.End()))] }
	sort.Slice(stmts, func(i, j int) bool { return stmts[i].Pos() > stmts[j].Pos() })
	for _, g := range stmts {
		from, to := adj(off(g.Pos())), adj(off(g.End()))
		orig := out[from:to]
		call := g.Call
		var b strings.Builder
		b.WriteString(guardName + ".Go(")
		id, isIdent := call.Fun.(*ast.Ident)
		argIsCall := false
		if len(call.Args) == 1 {
			_, argIsCall = call.Args[0].(*ast.CallExpr)
		}
		if (isIdent && builtins[id.Name]) || argIsCall {
			// Either the function is a builtin, or a single argument may be
			// a call returning several values: keep the call as written.
			b.WriteString("func() { " + orig[len("go"):] + " })")
		} else {
			names, vals := []string{"__f"}, []string{text(call.Fun)}
			for i, a := range call.Args {
				names = append(names, "__a"+itoa(i))
				vals = append(vals, text(a))
			}
			args := strings.Join(names[1:], ", ")
			if call.Ellipsis.IsValid() {
				args += "..."
			}
			b.WriteString("func() func() { " + strings.Join(names, ", ") + " := " + strings.Join(vals, ", ") +
				"; return func() { __f(" + args + ") } }())")
		}
		repl := b.String()
		if lost := strings.Count(orig, "\n") - strings.Count(repl, "\n"); lost > 0 {
			repl += strings.Repeat("\n", lost)
		}
		out = out[:from] + repl + out[to:]
		applied = append(applied, done{end: off(g.End()), delta: len(repl) - (to - from)})
	}
	return out, len(stmts)
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
