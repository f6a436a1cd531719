package metastable

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
)

// nothingServed is a run whose requests take longer than the run itself:
// the server finishes nothing, no request is answered.
func nothingServed(t *testing.T) *Result {
	t.Helper()
	c := Default()
	c.Duration = 10 * time.Second
	c.Service = dist.MustParse("const(20s)")
	c.Timeout = 30 * time.Second
	c.Trigger = sim.Window{Start: 2 * time.Second, Duration: time.Second}
	r, err := Run(c)
	if err != nil {
		t.Fatal(err)
	}
	if r.Served != 0 || r.Succeeded != 0 {
		t.Fatalf("served %d, answered %d: the test needs none", r.Served, r.Succeeded)
	}
	return r
}

func TestSharesOfNothingPrintNotAvailable(t *testing.T) {
	r := nothingServed(t)
	for _, s := range []string{r.Summary().String(), CompareTable([]string{"x"}, r).String()} {
		if strings.Contains(s, "NaN") || !strings.Contains(s, "n/a") {
			t.Errorf("a share of nothing must print n/a:\n%s", s)
		}
	}
}

func TestLatencyFigureSaysWhenNothingIsAnswered(t *testing.T) {
	svg, err := nothingServed(t).LatencyFigure("").SVG()
	if err != nil || !bytes.Contains(svg, []byte("no request was answered in time")) {
		t.Errorf("a run with no answer: the latency figure must say so (err %v)", err)
	}
	storm, err := PresetConfig("storm")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Run(storm)
	if err != nil {
		t.Fatal(err)
	}
	w := r.Latency.Windows()
	want := "no request was answered in time after t=" + w[len(w)-1].End.Duration().String()
	if svg, _ := r.LatencyFigure("").SVG(); !bytes.Contains(svg, []byte(want)) {
		t.Errorf("the storm's latency figure must say %q", want)
	}
}

func TestCompareShareAxisEndsAt100(t *testing.T) {
	storm, _ := PresetConfig("storm")
	recovery, _ := PresetConfig("recovery")
	a, err := Run(storm)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(recovery)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Compare([]string{"storm", "recovery"}, a, b)
	if err != nil {
		t.Fatal(err)
	}
	if f.Plot.Y.Max != 100 {
		t.Errorf("the share axis runs to %g%%", f.Plot.Y.Max)
	}
}
