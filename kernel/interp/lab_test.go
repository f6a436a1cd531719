package interp

import (
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"dsim/sim/lab"
)

// labScript turns the lab's reference broadcast nodes (sim/lab's source,
// as compiled into the library) into a script that defines the same
// nodes itself, then main: the interpreted copy of the compiled code.
func labScript(t testing.TB, main string) string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join("..", "..", "sim", "lab", "ref_broadcast.go"), nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	// The lab's names the file uses, qualified; field names, keys of
	// composite literals and selectors stay as they are.
	qualify := map[string]bool{"Env": true, "Message": true, "Body": true}
	skip := map[*ast.Ident]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			skip[n.Sel] = true
		case *ast.KeyValueExpr:
			if id, ok := n.Key.(*ast.Ident); ok {
				skip[id] = true
			}
		case *ast.Field:
			for _, id := range n.Names {
				skip[id] = true
			}
		}
		return true
	})
	ast.Inspect(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && qualify[id.Name] && !skip[id] {
			id.Name = "lab." + id.Name
		}
		return true
	})
	f.Name.Name = "main"
	var b bytes.Buffer
	if err := printer.Fprint(&b, fset, f); err != nil {
		t.Fatal(err)
	}
	src := b.String()
	src = strings.Replace(src, "import (", "import (\n\t\"fmt\"\n\t\"dsim/sim/lab\"", 1)
	return src + "\n" + main
}

const labMain = `
func main() {
	nodes := []struct {
		name string
		new  func() lab.Node
	}{{"broadcast/gossip", func() lab.Node { return &Gossip{} }}, {"broadcast/noretry", func() lab.Node { return &NoRetry{} }}}
	for _, n := range nodes {
		for seed := uint64(1); seed <= 3; seed++ {
			r, err := lab.Run(lab.Test{Workload: "broadcast", Node: n.name, New: n.new, Seed: seed, Nemesis: lab.Nemesis{Kinds: lab.FaultKinds()}})
			if err != nil {
				panic(err)
			}
			fmt.Println(n.name, seed, r.History.Sum(), r.Stats.Messages, r.OK())
		}
	}
}
`

// A node written in a script runs the same as the same code compiled:
// the same history, byte for byte, on every seed, faults and all.
func TestInterpretedNodeSameAsCompiled(t *testing.T) {
	var want strings.Builder
	for _, name := range []string{"broadcast/gossip", "broadcast/noretry"} {
		for seed := uint64(1); seed <= 3; seed++ {
			r, err := lab.Run(lab.Test{Workload: "broadcast", Node: name, Seed: seed, Nemesis: lab.Nemesis{Kinds: lab.FaultKinds()}})
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&want, name, seed, r.History.Sum(), r.Stats.Messages, r.OK())
		}
	}
	file := filepath.Join(t.TempDir(), "nodes.go")
	if err := os.WriteFile(file, []byte(labScript(t, labMain)), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	h := New(Options{Stdout: &out, Stderr: &errs})
	if err := h.RunFile(context.Background(), file); err != nil {
		t.Fatalf("%v\n%s", err, errs.String())
	}
	if out.String() != want.String() {
		t.Fatalf("interpreted:\n%s\ncompiled:\n%s", out.String(), want.String())
	}
	if !strings.Contains(out.String(), "false") || !strings.Contains(out.String(), "true") {
		t.Fatalf("expected passing and failing runs:\n%s", out.String())
	}
}

// BenchmarkInterpretedNode is sim/lab's BenchmarkBroadcast (five nodes
// forwarding every message once, about 47,000 messages) with the nodes
// written in a script: messages delivered per wall second, and the same
// compiled for the ratio. The collector is set as in the worker that runs
// a script (gcPercent), for both.
func BenchmarkInterpretedNode(b *testing.B) {
	defer debug.SetGCPercent(debug.SetGCPercent(gcPercent))
	test := `lab.Test{Workload: "broadcast", Node: "broadcast/noretry", New: func() lab.Node { return &NoRetry{} }, Rate: 200, Clients: 10, Duration: 20 * time.Second, Topology: "total", Seed: 1}`
	main := `
func main() {
	start := time.Now()
	r, err := lab.Run(` + test + `)
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Stats.Net.Delivered, time.Since(start).Seconds())
}
`
	file := filepath.Join(b.TempDir(), "bench.go")
	if err := os.WriteFile(file, []byte(labScript(b, main)), 0o644); err != nil {
		b.Fatal(err)
	}
	var msgs, secs float64
	for i := 0; i < b.N; i++ {
		var out bytes.Buffer
		h := New(Options{Stdout: &out, Stderr: io.Discard})
		if err := h.RunFile(context.Background(), file); err != nil {
			b.Fatal(err)
		}
		var m, s float64
		fmt.Sscan(out.String(), &m, &s)
		msgs, secs = msgs+m, secs+s
	}
	b.ReportMetric(msgs/secs, "msgs/s")
	start := time.Now()
	r, err := lab.Run(lab.Test{Workload: "broadcast", Node: "broadcast/noretry", Rate: 200, Clients: 10, Duration: 20 * time.Second, Topology: "total", Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(r.Stats.Net.Delivered)/time.Since(start).Seconds(), "compiled-msgs/s")
}

// A script's node searched over seeds (one seed at a time, whatever
// Workers says) fails first on the seed the compiled search finds.
func TestScriptSearchIsSerialAndSame(t *testing.T) {
	main := `
func main() {
	test := lab.Test{Workload: "broadcast", Node: "broadcast/noretry", New: func() lab.Node { return &NoRetry{} }, Nemesis: lab.Nemesis{Kinds: lab.FaultKinds()}}
	found, err := lab.Search(test, lab.Seeds{Count: 50, Workers: 8})
	if err != nil {
		panic(err)
	}
	fmt.Println(found.Seed, found.Result.History.Sum())
}
`
	file := filepath.Join(t.TempDir(), "search.go")
	if err := os.WriteFile(file, []byte(labScript(t, main)), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	h := New(Options{Stdout: &out, Stderr: &errs})
	if err := h.RunFile(context.Background(), file); err != nil {
		t.Fatalf("%v\n%s", err, errs.String())
	}
	found, err := lab.Search(lab.Test{Workload: "broadcast", Node: "broadcast/noretry", Nemesis: lab.Nemesis{Kinds: lab.FaultKinds()}}, lab.Seeds{Count: 50})
	if err != nil || found == nil {
		t.Fatal(err, found)
	}
	if want := fmt.Sprintln(found.Seed, found.Result.History.Sum()); out.String() != want {
		t.Fatalf("script: %q, compiled: %q", out.String(), want)
	}
}
