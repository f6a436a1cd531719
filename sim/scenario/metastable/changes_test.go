package metastable

import (
	"strings"
	"testing"
	"time"

	"dsim/sim/resilience"
)

// The protections of lesson 02, one change each to the storm, ten runs
// each: what the lesson says of them holds.
func TestCompareChangesOfTheStorm(t *testing.T) {
	jitter := resilience.Backoff{Kind: resilience.FullJitter, Base: 100 * time.Millisecond, Cap: 5 * time.Second}
	c, err := CompareChanges(preset(t, "storm"), []Change{
		{"none", func(c *Config) {}},
		{"jitter", func(c *Config) { c.Backoff = jitter }},
		{"budget", func(c *Config) { c.RetryBudget = 0.1 }},
		{"cancel", func(c *Config) { c.Cancellation = true }},
		{"queue", func(c *Config) { c.MaxQueue = 50 }},
		{"deadline", func(c *Config) { c.DeadlineAdmission = true }},
		{"breaker", func(c *Config) { c.CircuitBreaker = true }},
	}, 10)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%v", c.Table())
	stat := func(change, metric string) float64 {
		s, err := c.Stat(change, metric)
		if err != nil {
			t.Fatal(err)
		}
		return s.Mean
	}
	for _, w := range []struct {
		change, sets string
		metastable   float64 // the share, at least (or at most, for 0)
	}{
		{"none", "nothing", 1},
		{"jitter", "Backoff.Kind=full-jitter, Backoff.Cap=5s", 1},
		{"budget", "RetryBudget=0.1", 0},
		{"cancel", "Cancellation=on", 0.8},
		{"queue", "MaxQueue=50", 0.8},
		{"deadline", "DeadlineAdmission=on", 0},
		{"breaker", "CircuitBreaker=on", 0},
	} {
		if got := c.Sets[indexOf(c.Names, w.change)]; got != w.sets {
			t.Errorf("%s sets %q, want %q", w.change, got, w.sets)
		}
		m := stat(w.change, "metastable")
		if w.metastable == 0 && m != 0 || w.metastable > 0 && m < w.metastable {
			t.Errorf("%s: share metastable %.1f, want %v", w.change, m, w.metastable)
		}
	}
	// Cancellation and the queue bound act, thousands of times a run, and
	// the storm stays: their work is in what they cannot drop.
	if d := stat("cancel", "dropped"); d < 1000 {
		t.Errorf("cancellation dropped %.0f attempts a run", d)
	}
	if r := stat("queue", "rejected"); r < 1000 {
		t.Errorf("the queue bound rejected %.0f attempts a run", r)
	}
	if w := stat("cancel", "wasted (%)"); w < 80 {
		t.Errorf("with cancellation %.0f%% of the work served is wasted, want most", w)
	}
	// Refusing work that cannot finish in time, at the server or at the
	// clients, gets every run out.
	for _, change := range []string{"deadline", "breaker", "budget"} {
		if r := stat(change, "recovered"); r != 1 {
			t.Errorf("%s: %.1f of the runs recovered, want all", change, r)
		}
	}
	// Backoff spreads retries but does not cut them; the budget does.
	if a, b := stat("jitter", "attempts per request"), stat("budget", "attempts per request"); a < 3 || b > 1.1 {
		t.Errorf("attempts per request: %.2f with backoff, %.2f with the budget", a, b)
	}
	if _, err := c.Stat("nothing", "dropped"); err == nil || !strings.Contains(err.Error(), `no change "nothing"`) {
		t.Errorf("unknown change: %v", err)
	}
	if _, err := c.Stat("none", "droped"); err == nil || !strings.Contains(err.Error(), `no metric "droped"`) {
		t.Errorf("unknown metric: %v", err)
	}
}

func indexOf(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	return -1
}

// Closed-loop clients slow down with the server: under the capacity drop
// that leaves open-loop arrivals metastable, they recover.
func TestClosedLoopClientsRecoverFromTheCapacityDrop(t *testing.T) {
	c, err := CompareChanges(preset(t, "capacity-drop"), []Change{
		{"open", func(c *Config) {}},
		{"closed", func(c *Config) { c.Clients = 15 }},
	}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if c.Sets[1] != "Clients=15" {
		t.Errorf("closed-loop sets %q", c.Sets[1])
	}
	open, _ := c.Stat("open", "metastable")
	closed, _ := c.Stat("closed", "metastable")
	if open.Mean != 1 || closed.Mean != 0 {
		t.Errorf("metastable: open-loop %.1f, closed-loop %.1f; want 1 and 0", open.Mean, closed.Mean)
	}
}

func TestCompareChangesRefusesBadInput(t *testing.T) {
	storm := preset(t, "storm")
	none := func(c *Config) {}
	for _, c := range []struct {
		changes []Change
		reps    int
		says    string
	}{
		{nil, 5, "between 1 and 100 changes, got 0"},
		{[]Change{{"a", none}}, 1, "reps=1"},
		{[]Change{{"a", none}, {"a", none}}, 5, `the name "a" is empty or taken`},
		{[]Change{{"", none}}, 5, `the name "" is empty or taken`},
		{[]Change{{"a", nil}}, 5, `change "a" has no Apply`},
		{[]Change{{"zero", func(c *Config) { c.Capacity = -1 }}}, 5, `change "zero": metastable: Capacity=-1`},
	} {
		if _, err := CompareChanges(storm, c.changes, c.reps); err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%v: %v, want an error saying %q", c.changes, err, c.says)
		}
	}
}
