package interp

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func newTestHost(t *testing.T) (*Host, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return New(Options{Stdout: &out, Stderr: &errb, OutDir: t.TempDir()}), &out, &errb
}

// The REPL's state survives errors, panics, a second import, and a panic
// in a goroutine that outlives its input.
func TestHostSurvivesErrors(t *testing.T) {
	h, out, errb := newTestHost(t)
	ctx := context.Background()
	steps := []struct {
		in, want, err string
	}{
		{`import "fmt"`, "", ""},
		{"x := 41", "", ""},
		{`x++; fmt.Println("x is", x)`, "x is 42", ""},
		{`import "fmt"; fmt.Println("again", x)`, "again 42", ""},
		{"var a []int; _ = a[5]", "", "panic: "},
		{`fmt.Println("after a panic", x)`, "after a panic 42", ""},
		{"y = 3", "", "undefined: y"},
		{"func double(v int) int { return 2 * v }; fmt.Println(double(x))", "84", ""},
		{`import "time"`, "", ""},
		{`go func() { panic("boom") }(); time.Sleep(200 * time.Millisecond)`, "", "panic in a goroutine (a func literal): boom"},
		{`fmt.Println("after a goroutine's panic", double(x))`, "after a goroutine's panic 84", ""},
	}
	for _, s := range steps {
		out.Reset()
		errb.Reset()
		_, err := h.Eval(ctx, s.in)
		if s.err == "" && err != nil {
			t.Fatalf("%q: %v", s.in, err)
		}
		if s.err != "" && (err == nil || !strings.Contains(err.Error(), s.err)) {
			t.Fatalf("%q: error %v, want one with %q", s.in, err, s.err)
		}
		if !strings.Contains(out.String(), s.want) {
			t.Fatalf("%q: printed %q, want %q", s.in, out.String(), s.want)
		}
	}
}

func TestHostShowsExpressionValues(t *testing.T) {
	h, _, _ := newTestHost(t)
	v, err := h.Eval(context.Background(), "1 + 2")
	if err != nil || !v.IsValid() || v.Interface() != 3 {
		t.Fatalf("1 + 2 = %v, %v", v, err)
	}
	if v, _ := h.Eval(context.Background(), `fmt.Println("x")`); v.IsValid() {
		t.Fatalf("a Println's byte count was shown: %v", v)
	}
}

// Cancelling stops an interpreted loop, and a compiled run through the
// context the engine watches; the host works afterwards.
func TestHostCancel(t *testing.T) {
	h, out, _ := newTestHost(t)
	for _, in := range []string{
		"for {}",
		`import "dsim/sim/scenario/metastable"; import "time"; c := metastable.Default(); c.Duration = 500 * time.Hour; c.Window = time.Minute; metastable.Run(c)`,
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		start := time.Now()
		_, err := h.Eval(ctx, in)
		cancel()
		if err == nil || !strings.Contains(err.Error(), "time limit") {
			t.Fatalf("%q: %v", in, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("%q: cancel took %v", in, d)
		}
	}
	out.Reset()
	if _, err := h.Eval(context.Background(), `println("still here")`); err != nil {
		t.Fatal(err)
	}
}

// The README's REPL session.
func TestREADMESession(t *testing.T) {
	h, out, _ := newTestHost(t)
	ctx := context.Background()
	for _, in := range []string{
		`import "dsim/sim/scenario/metastable"`,
		`c, _ := metastable.PresetConfig("storm")`,
		`r, _ := metastable.Run(c)`,
	} {
		if _, err := h.Eval(ctx, in); err != nil {
			t.Fatalf("%q: %v", in, err)
		}
	}
	v, err := h.Eval(ctx, `c.RetryBudget = 0.1; r, _ = metastable.Run(c); r.Verdict().Outcome`)
	if err != nil || !v.IsValid() || fmt.Sprint(v.Interface()) != "Recovered" {
		t.Fatalf("got %v, %v; want Recovered", v, err)
	}
	if _, err := h.Eval(ctx, `import "dsim/kernel/display"; display.Show(r.Figures())`); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "metastable-story.svg (and .png)") {
		t.Fatalf("figures not shown: %q", out.String())
	}
}

// A sweep whose run function a script wrote calls it from one goroutine at
// a time (Yaegi promises no more), and gives the table a single worker
// gives.
func TestScriptSweepCallsOneAtATime(t *testing.T) {
	h, out, _ := newTestHost(t)
	src := `
import (
	"context"
	"fmt"
	"time"

	"dsim/sim/scenario/metastable"
	"dsim/sim/sweep"
)

inFlight, most := 0, 0
run := func(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
	inFlight++
	if inFlight > most {
		most = inFlight
	}
	time.Sleep(2 * time.Millisecond)
	cfg := metastable.Default()
	cfg.Seed = seed
	cfg.Pattern = metastable.Spike
	cfg.SpikeRate = p.Get("spike")
	res, err := metastable.Run(cfg)
	inFlight--
	if err != nil {
		return nil, err
	}
	return sweep.NewMetrics().Set("amplification", res.Amplification()), nil
}
spec := sweep.Spec{Name: "script", Reps: 3, Knobs: []sweep.Knob{{Name: "spike", Values: []float64{20, 40, 60}}}}
spec.Workers = 4
four, err := sweep.Run(context.Background(), spec, run)
if err != nil {
	panic(err)
}
spec.Workers = 1
one, _ := sweep.Run(context.Background(), spec, run)
fmt.Println("most at once:", most, "same table:", four.Table().Text() == one.Table().Text())
`
	if _, err := h.Eval(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "most at once: 1 same table: true") {
		t.Fatalf("printed %q", out.String())
	}
}

// A go statement evaluates its function and arguments when it runs, as in
// Go: each goroutine started in a loop gets its own iteration's value.
func TestGoStatementEvaluatesArgumentsAtOnce(t *testing.T) {
	h, out, _ := newTestHost(t)
	src := `
import (
	"fmt"
	"sort"
)

ch := make(chan int, 5)
for i := 0; i < 5; i++ {
	go func(k int) { ch <- k }(i)
}
var got []int
for j := 0; j < 5; j++ {
	got = append(got, <-ch)
}
sort.Ints(got)
fmt.Println("got", got)
`
	if _, err := h.Eval(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "got [0 1 2 3 4]") {
		t.Fatalf("printed %q", out.String())
	}
}
