package interp

import (
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"strings"
)

// A chunk is a run of REPL input that Yaegi can take in one Eval: only
// declarations or only statements (Yaegi v0.16.1 refuses a mix).
type chunk struct {
	src  string
	decl bool
	expr bool // a single expression, whose value the REPL shows
}

// split cuts input into top-level pieces and groups consecutive pieces of
// the same kind into chunks. Pieces end at semicolons (written or implied
// by newlines) outside brackets; a piece that does not parse on its own is
// extended to the next such semicolon until it does, which keeps a for
// statement's header (for i := 0; i < n; i++ {) in one piece. It reports
// incomplete input, which the REPL answers by reading another line: an
// open bracket, an unterminated raw string or comment, or a piece that
// ends inside an expression.
func split(src string) (chunks []chunk, incomplete bool) {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	var scanErr string
	s.Init(file, []byte(src), func(_ token.Position, msg string) { scanErr = msg }, 0)
	depth := 0
	var ends []int // offsets just after each top-level semicolon
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		switch tok {
		case token.LPAREN, token.LBRACE, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACE, token.RBRACK:
			depth--
		case token.SEMICOLON:
			if depth == 0 {
				end := file.Offset(pos)
				if lit == ";" {
					end++
				}
				ends = append(ends, end)
			}
		}
	}
	if depth > 0 || strings.HasSuffix(scanErr, "not terminated") {
		return nil, true
	}
	if n := len(ends); n == 0 || ends[n-1] < len(src) {
		ends = append(ends, len(src))
	}
	start := 0
	for k := 0; k < len(ends); k++ {
		p := strings.TrimSuffix(strings.TrimSpace(src[start:ends[k]]), ";")
		if strings.TrimSpace(p) == "" {
			start = ends[k]
			continue
		}
		decl := isDecl(p)
		if !decl && !isStmt(p) {
			if k < len(ends)-1 {
				continue // extend the piece to the next semicolon
			}
			if endsEarly(p) {
				return nil, true
			}
			// A real error: let the interpreter report it.
		}
		start = ends[k]
		n := len(chunks)
		expr := !decl && isExpr(p)
		// An expression stays a chunk of its own, so that its value can be
		// shown even after statements on the same line.
		if n > 0 && chunks[n-1].decl == decl && !expr && !chunks[n-1].expr {
			chunks[n-1].src += "\n" + p
			chunks[n-1].expr = false
			continue
		}
		chunks = append(chunks, chunk{src: p, decl: decl, expr: expr})
	}
	return chunks, false
}

// isStmt reports whether a piece parses as statements.
func isStmt(p string) bool {
	_, err := parser.ParseFile(token.NewFileSet(), "", "package p\nfunc _() {\n"+p+"\n}", parser.SkipObjectResolution)
	return err == nil
}

// isDecl reports whether a piece is a top-level declaration: an import,
// a type, a constant, a variable, or a function or method (not a function
// literal called on the spot).
func isDecl(p string) bool {
	switch firstWord(p) {
	case "import", "type", "const", "var":
		return true
	case "func":
		_, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+p, parser.SkipObjectResolution)
		return err == nil
	}
	return false
}

func firstWord(p string) string {
	i := strings.IndexFunc(p, func(r rune) bool { return !(r >= 'a' && r <= 'z') })
	if i < 0 {
		return p
	}
	return p[:i]
}

// endsEarly reports whether a statement piece fails to parse only because
// the input ends too soon (a trailing operator, comma or dot).
func endsEarly(p string) bool {
	_, err := parser.ParseFile(token.NewFileSet(), "", "package p\nfunc _() {\n"+p+"\n}", parser.SkipObjectResolution)
	if err == nil {
		return false
	}
	list, ok := err.(scanner.ErrorList)
	if !ok || len(list) == 0 {
		return false
	}
	// The wrapper's closing brace is the last line: an error there means
	// the piece ended inside an expression.
	last := strings.Count(p, "\n") + 4
	return list[0].Pos.Line >= last
}

// isExpr reports whether a piece is an expression whose value the REPL
// should show: not a call of fmt's printing functions, whose byte counts
// nobody asked for.
func isExpr(p string) bool {
	e, err := parser.ParseExpr(p)
	if err != nil {
		return false
	}
	if call, ok := e.(*ast.CallExpr); ok {
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
			if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "fmt" && (strings.HasPrefix(sel.Sel.Name, "Print") || strings.HasPrefix(sel.Sel.Name, "Fprint")) {
				return false
			}
		}
	}
	return true
}
