package metastable

import (
	"strings"
	"testing"
	"time"
)

// slowDrain is the storm's clients at 10 requests/s with a 12 s spike to
// 80/s: the spike leaves a backlog of about 2,700 requests, every attempt
// times out while it lasts, and the clients' four attempts per request
// make 40/s against the 50/s the server finishes. The backlog drains at
// about 10/s, which takes minutes.
func slowDrain(t *testing.T, d time.Duration) Config {
	c := preset(t, "storm")
	c.BaseRate = 10
	c.SpikeRate = 80
	c.Trigger.Duration = 12 * time.Second
	c.Duration = d
	return c
}

// Judged at 2 minutes by the time since the trigger, the slow drain read
// Metastable; it is Recovered at 6. Its loop says Recovering, and expects
// the recovery the longer run measures.
func TestSlowDrainIsRecovering(t *testing.T) {
	v := mustRun(t, slowDrain(t, 2*time.Minute)).Verdict()
	if v.Outcome != Recovering || v.Drift > -5 || v.Backlog < 1000 || v.Remaining <= 0 ||
		!strings.Contains(v.Reason, "Expected healthy again in about "+v.Remaining.String()) {
		t.Fatalf("at 2 minutes: %v (drift %.1f/s, backlog %d, remaining %v), want Recovering with its expected time", v, v.Drift, v.Backlog, v.Remaining)
	}
	if again := mustRun(t, slowDrain(t, 2*time.Minute)).Verdict(); again != v {
		t.Fatalf("same seed, different verdicts:\n%v\n%v", v, again)
	}
	later := mustRun(t, slowDrain(t, 6*time.Minute)).Verdict()
	if later.Outcome != Recovered {
		t.Fatalf("at 6 minutes: %v, want Recovered", later)
	}
	if e := relErr(v.RecoveryTime, later.RecoveryTime); e > 0.25 {
		t.Errorf("expected recovery %v after the trigger, measured %v: %.0f%% off", v.RecoveryTime, later.RecoveryTime, 100*e)
	}
	t.Logf("2 minutes: %v\n6 minutes: %v", v, later)
}

// The expected recovery holds over seeds, as the package doc says: within
// a quarter of what a 15-minute run measures, for each of 12 seeds.
func TestRecoveringEstimateOverSeeds(t *testing.T) {
	worst := 0.0
	for seed := uint64(1); seed <= 12; seed++ {
		c := slowDrain(t, 2*time.Minute)
		c.Seed = seed
		v := mustRun(t, c).Verdict()
		c.Duration = 15 * time.Minute
		got := mustRun(t, c).Verdict()
		if v.Outcome != Recovering || got.Outcome != Recovered {
			t.Fatalf("seed %d: %v at 2 minutes, %v at 15; want Recovering, then Recovered", seed, v.Outcome, got.Outcome)
		}
		worst = max(worst, relErr(v.RecoveryTime, got.RecoveryTime))
	}
	if worst > 0.25 {
		t.Errorf("the expected recovery is up to %.0f%% off the measured one", 100*worst)
	}
}

func relErr(estimate, measured time.Duration) float64 {
	d := (estimate - measured).Seconds() / measured.Seconds()
	return max(d, -d)
}

// The storm is sustained by its loop, not slow to drain: an hour later
// the backlog still grows by about the 10/s that 4 × 15 attempts exceed
// the 50/s the server finishes.
func TestStormStaysMetastableForAnHour(t *testing.T) {
	c := preset(t, "storm")
	c.Duration = time.Hour
	c.Window = time.Minute // the same run, judged in fewer windows
	v := mustRun(t, c).Verdict()
	if v.Outcome != Metastable || v.Drift < 8 || v.Drift > 12 || v.Backlog < 30000 {
		t.Fatalf("%v (drift %.1f/s, backlog %d), want Metastable with a backlog growing by about 10/s", v, v.Drift, v.Backlog)
	}
}

// Every preset keeps the verdict its lesson teaches.
func TestPresetVerdicts(t *testing.T) {
	want := map[string]Outcome{"seed": Stable, "storm": Metastable, "recovery": Recovered, "tipping": Metastable,
		"fail-fast": Recovered, "capacity-drop": Metastable, "closed-loop": Stable}
	for _, p := range Presets() {
		w, ok := want[p.Name]
		if !ok {
			t.Errorf("preset %q: no expected verdict; add it here", p.Name)
			continue
		}
		if v := mustRun(t, p.Config).Verdict(); v.Outcome != w {
			t.Errorf("preset %q: %v, want %v", p.Name, v, w)
		}
	}
}

// A bounded queue holds the backlog steady: it neither grows nor drains,
// but the clients send more than the server finishes and the excess is
// turned away. That is the loop sustaining itself.
func TestHeldBacklogIsMetastable(t *testing.T) {
	c := preset(t, "storm")
	c.MaxQueue = 100
	v := mustRun(t, c).Verdict()
	if v.Outcome != Metastable || v.Backlog > 150 || !strings.Contains(v.Reason, "were turned away or dropped") {
		t.Fatalf("%v, want Metastable with a held backlog", v)
	}
}

// The hint of lesson 6's exercise: with 2 retries the storm's 15
// requests/s make 45 attempts/s, under the server's 50, so the backlog
// drains; with 3 they make 60 and it grows.
func TestRetriesDecideTheLoop(t *testing.T) {
	c := preset(t, "storm")
	c.SpikeRate = 80
	for _, tc := range []struct {
		retries int
		want    Outcome
	}{{2, Recovering}, {3, Metastable}} {
		c.MaxRetries = tc.retries
		for seed := uint64(1); seed <= 5; seed++ {
			c.Seed = seed
			if v := mustRun(t, c).Verdict(); v.Outcome != tc.want {
				t.Errorf("%d retries, seed %d: %v, want %v", tc.retries, seed, v, tc.want)
			}
		}
	}
}

// Edits of the storm and the verdict each earns, with the words that say
// why.
func TestStormVerdicts(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(c *Config)
		want Outcome
		says string
	}{
		// More new requests than the server can finish is overload,
		// whatever the retries do, even when no window before the trigger
		// shows it.
		{"overloaded after the trigger", func(c *Config) { c.Trigger.Start, c.BaseRate = 0, 80 },
			Overloaded, "new requests alone are more than the 50.0/s"},
		// At 12.5 requests/s the clients' 50 attempts/s match what the
		// server finishes: the backlog only wanders, and two minutes
		// cannot tell.
		{"at the edge", func(c *Config) { c.BaseRate, c.SpikeRate = 12.5, 80 },
			Inconclusive, "at the edge"},
		{"tail too short", func(c *Config) { c.Window = 20 * time.Second },
			Inconclusive, "fewer than 5 whole 20s windows"},
	} {
		c := preset(t, "storm")
		tc.edit(&c)
		if v := mustRun(t, c).Verdict(); v.Outcome != tc.want || !strings.Contains(v.Reason, tc.says) {
			t.Errorf("%s: %v, want %v saying %q", tc.name, v, tc.want, tc.says)
		}
	}
}
