package interp

import (
	"strings"
	"testing"
	"unicode"
)

func TestSplit(t *testing.T) {
	for _, c := range []struct {
		in         string
		want       string // chunks as kind:src, joined by " | "
		incomplete bool
	}{
		{`x := 1`, "stmt:x := 1", false},
		{`import "fmt"; fmt.Println(1)`, `decl:import "fmt" | stmt:fmt.Println(1)`, false},
		{"func f() int { return 1 }\nf()", "decl:func f() int { return 1 } | stmt:f()", false},
		{"for i := 0; i < 2; i++ {\nprintln(i)\n}", "stmt:for i := 0; i < 2; i++ {\nprintln(i)\n}", false},
		{"for i := 0; i < 2; i++ {", "", true},
		{"x := 1 +", "", true},
		{"s := `raw", "", true},
		{"type T struct{ A int }; var t T; t.A = 2", "decl:type T struct{ A int }\nvar t T | stmt:t.A = 2", false},
		{"func() { println(1) }()", "stmt:func() { println(1) }()", false},
		{"y = = 2", "stmt:y = = 2", false}, // a real error goes to the interpreter
	} {
		chunks, inc := split(c.in)
		var got []string
		for _, ch := range chunks {
			kind := "stmt"
			if ch.decl {
				kind = "decl"
			}
			got = append(got, kind+":"+ch.src)
		}
		if inc != c.incomplete || strings.Join(got, " | ") != c.want {
			t.Errorf("split(%q) = %q, incomplete=%v; want %q, %v", c.in, strings.Join(got, " | "), inc, c.want, c.incomplete)
		}
	}
}

func TestGuardGoroutines(t *testing.T) {
	src := "go f(a, b)\ngo func(k int) {\n\tgo g(k)\n}(i)\ngo println(\"x\")\nx := 1"
	got, n := guardGoroutines(src, false)
	if n != 4 {
		t.Fatalf("rewrote %d go statements, want 4:\n%s", n, got)
	}
	if strings.Count(got, "\n") != strings.Count(src, "\n") {
		t.Fatalf("lines moved:\n%s", got)
	}
	for _, want := range []string{
		"__dsimguard.Go(func() func() { __f, __a0, __a1 := f, a, b; return func() { __f(__a0, __a1) } }())",
		"__dsimguard.Go(func() func() { __f, __a0 := g, k; return func() { __f(__a0) } }())",
		`__dsimguard.Go(func() {  println("x") })`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if !isStmt(got) {
		t.Errorf("the rewrite does not parse:\n%s", got)
	}
}

// FuzzSplit holds split to its contract on any input: it returns, it
// keeps every character of the input except the whitespace and semicolons
// between pieces, an incomplete input has no chunks, and a chunk marked as
// an expression is one.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{
		"x := 1", `import "fmt"; fmt.Println(1)`, "func f() int { return 1 }\nf()",
		"for i := 0; i < 2; i++ {\nprintln(i)\n}", "for i := 0; i < 2; i++ {", "x := 1 +",
		"s := `raw", "/* open", "type T struct{ A int }; var t T; t.A = 2",
		"func() { println(1) }()", "y = = 2", "a := []int{1,\n2}\na[0]", "x; ;; y",
		"if x {\n} else {\n}", `r.Verdict().Outcome`, "go f(a)\nx := 1", ")(}{][",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		// A REPL input is what a person types or pastes; beyond a few
		// kilobytes a fuzz input only measures the parser's quadratic
		// re-parsing of pieces that never close.
		if len(src) > 4096 {
			t.Skip()
		}
		chunks, incomplete := split(src)
		if incomplete {
			if chunks != nil {
				t.Fatalf("split(%q): incomplete with %d chunks", src, len(chunks))
			}
			return
		}
		var joined strings.Builder
		for _, c := range chunks {
			if strings.TrimSpace(c.src) == "" {
				t.Fatalf("split(%q): an empty chunk", src)
			}
			if c.expr && (c.decl || !isExpr(c.src)) {
				t.Fatalf("split(%q): chunk %q is marked as an expression (decl=%v)", src, c.src, c.decl)
			}
			joined.WriteString(c.src)
		}
		if got, want := squeeze(joined.String()), squeeze(src); got != want {
			t.Fatalf("split(%q) lost or added characters:\n got %q\nwant %q", src, got, want)
		}
	})
}

// squeeze drops whitespace and semicolons, which split may trim between
// pieces.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ';' || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
