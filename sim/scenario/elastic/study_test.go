package elastic_test

import (
	"testing"
	"time"

	"dsim/sim/scenario/elastic"
)

// The cost study gives the same table whatever the number of workers; a
// cap below what the users ask costs less and answers fewer; the
// cheapest configuration is on both fronts.
func TestCostStudyWorkersAgree(t *testing.T) {
	base, err := elastic.PresetConfig("cost-study")
	if err != nil {
		t.Fatal(err)
	}
	base.Duration = 15 * time.Minute
	spec := elastic.StudySpec{Seed: 1, Reps: 1, Targets: []float64{0.6, 0.8}, Maxes: []int{6, 12}}
	tables := map[int]string{}
	var study *elastic.Study
	for _, w := range []int{1, 2} {
		spec.Workers = w
		s, err := elastic.CostStudy(base, spec)
		if err != nil {
			t.Fatal(err)
		}
		tables[w], study = s.Table().Text(), s
	}
	if tables[1] != tables[2] {
		t.Fatalf("1 worker:\n%s\n2 workers:\n%s", tables[1], tables[2])
	}
	t.Log(tables[1])
	// The front column names the fronts for people, not as a Go slice.
	for i, p := range study.Points {
		want := map[[2]bool]string{{true, true}: "throughput, p99", {true, false}: "throughput", {false, true}: "p99", {false, false}: "none"}[[2]bool{p.FrontThroughput, p.FrontP99}]
		if got := study.Table().Rows[i][6]; got != want {
			t.Errorf("target %v max %d: front %q, want %q", p.Target, p.Max, got, want)
		}
	}
	capped, open := study.Points[0], study.Points[1] // target 60%: max 6, max 12
	if !(capped.Dollars < open.Dollars && capped.Throughput < 0.9*open.Throughput && capped.P99 > open.P99) {
		t.Errorf("max 6: $%.3f, %.1f req/s, p99 %.2fs; max 12: $%.3f, %.1f req/s, p99 %.2fs", capped.Dollars, capped.Throughput, capped.P99, open.Dollars, open.Throughput, open.P99)
	}
	cheapest := study.Front(false)[0]
	for _, p := range study.Points {
		if p.Dollars < cheapest.Dollars {
			t.Errorf("the front starts at $%.3f, but target %v max %d costs $%.3f", cheapest.Dollars, p.Target, p.Max, p.Dollars)
		}
	}
	if figs := study.Figures(); len(figs) != 2 || len(figs[0].Lines()) == 0 {
		t.Errorf("%d figures", len(figs))
	}
}

func TestCostStudyRefusesAFunction(t *testing.T) {
	c := elastic.Default()
	c.Deploy = elastic.Function
	if _, err := elastic.CostStudy(c, elastic.StudySpec{}); err == nil {
		t.Error("a function's cost study ran")
	}
}
