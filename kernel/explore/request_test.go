package explore

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"dsim/sim/scenario"
	"dsim/sim/scenario/metastable"
	"dsim/sim/scenario/registry"
)

func mustFind(t testing.TB, name string) scenario.Scenario {
	t.Helper()
	sc, err := registry.Find(name)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// Every knob of every scenario gets a control, and every stop of a
// slider is a value the knob table takes.
func TestEveryKnobHasAControlTheTableAccepts(t *testing.T) {
	for _, sc := range registry.All() {
		def, _ := sc.Preset("")
		for _, k := range sc.Knobs.Knobs() {
			c := newControl(k)
			if k.Flag() == paramPreset || k.Flag() == paramSeed || k.Flag() == paramPin {
				t.Errorf("%s: knob %s takes a name the page keeps for itself", sc.Name, k.Name)
			}
			if c.Widget != "slider" {
				continue
			}
			if len(c.Ladder) < 10 || len(c.Ladder) > 200 {
				t.Errorf("%s: %s: a slider of %d stops", sc.Name, k.Name, len(c.Ladder))
			}
			for i, text := range c.Ladder {
				if i > 0 && !(c.Nums[i] > c.Nums[i-1]) {
					t.Errorf("%s: %s: the ladder does not rise at %d: %v", sc.Name, k.Name, i, c.Ladder)
				}
				cfg, _ := sc.Copy(def)
				if err := sc.Knobs.Set(cfg, k.Name, text); err != nil {
					t.Errorf("%s: %s: the slider's stop %q is refused: %v", sc.Name, k.Name, text, err)
				}
				if p := c.position(text); p != i {
					t.Errorf("%s: %s: %q is at stop %d, found at %d", sc.Name, k.Name, text, i, p)
				}
			}
			v, _ := sc.Knobs.Get(def, k.Name)
			if c.position(v) < 0 {
				t.Errorf("%s: %s: the default %q has no place on the slider", sc.Name, k.Name, v)
			}
		}
	}
	budget := newControl(mustKnob(t, "metastable", "RetryBudget"))
	if !slices.Contains(budget.Ladder, "0") || !slices.Contains(budget.Ladder, "0.1") || !budget.Log {
		t.Errorf("the retry budget's slider should go by factors and stop at 0 and 0.1: %v", budget.Ladder)
	}
}

func mustKnob(t *testing.T, scenarioName, knob string) scenario.Knob {
	k, ok := mustFind(t, scenarioName).Knobs.Lookup(knob)
	if !ok {
		t.Fatalf("%s has no knob %s", scenarioName, knob)
	}
	return k
}

// A query is read by the knob table: the canonical query holds the preset,
// the seed and only the knobs that differ from the preset, in the table's
// order; each bad value is reported on its control.
func TestRequestsAreReadByTheKnobTable(t *testing.T) {
	sc := mustFind(t, "metastable")
	for _, c := range []struct {
		raw, query string
		errs       map[string]string // control -> part of the error
		general    string
	}{
		{raw: "", query: "seed=1"},
		{raw: "preset=storm", query: "preset=storm&seed=1"},
		{raw: "retry-budget=0.1&preset=storm&seed=7", query: "preset=storm&seed=7&retry-budget=0.1"},
		{raw: "preset=storm&RetryBudget=10%25&timeout=1s", query: "preset=storm&seed=1&retry-budget=10%25"},
		{raw: "preset=storm&budget=0.1&max-retries=3", query: "preset=storm&seed=1&retry-budget=0.1"},
		{raw: "preset=storm&timeout=&retry-budget=", query: "preset=storm&seed=1"},
		{raw: "preset=storm&base-rate=600/min", query: "preset=storm&seed=1&base-rate=600%2Fmin"},
		{raw: "preset=nope", errs: map[string]string{"preset": `unknown preset "nope"`}},
		{raw: "seed=-1", errs: map[string]string{"seed": "seed=\"-1\": want a whole number"}},
		{raw: "seed=18446744073709551616", errs: map[string]string{"seed": "want a whole number"}},
		{raw: "timeout=-1s", errs: map[string]string{"timeout": "metastable: Timeout=-1s: must be between 1ms and 1h"}},
		{raw: "retry-budget=NaN", errs: map[string]string{"retry-budget": "want a finite number"}},
		{raw: "max-retries=0.5", errs: map[string]string{"max-retries": "want a whole number"}},
		{raw: "timeout=1s&timeout=2s", errs: map[string]string{"timeout": "given 2 times"}},
		{raw: "timeout=1s&Timeout=2s", errs: map[string]string{"timeout": "given twice"}},
		{raw: "warp=9", general: `unknown knob "warp"`},
		{raw: "%zz", general: "cannot be read"},
		{raw: "service=exp(", errs: map[string]string{"service": "metastable: Service="}},
		{raw: "preset=storm&trigger-start=5m", errs: map[string]string{"trigger-start": "Trigger.Start"}},
	} {
		r := parseRequest(sc, c.raw)
		if c.errs == nil && c.general == "" {
			if !r.ok() {
				t.Errorf("%q: %v %v", c.raw, r.errs, r.general)
			} else if r.query() != c.query {
				t.Errorf("%q: query %q, want %q", c.raw, r.query(), c.query)
			}
			continue
		}
		if r.ok() {
			t.Errorf("%q: accepted as %q", c.raw, r.query())
			continue
		}
		for control, want := range c.errs {
			if !strings.Contains(r.errs[control], want) {
				t.Errorf("%q: error on %s is %q, want it to contain %q (all: %v %v)", c.raw, control, r.errs[control], want, r.errs, r.general)
			}
		}
		if c.general != "" && !strings.Contains(strings.Join(r.general, "; "), c.general) {
			t.Errorf("%q: general errors %v, want %q", c.raw, r.general, c.general)
		}
	}
}

// The canonical query gives the same run back: set on the preset, its
// knobs make the configuration the request ran.
func TestTheQueryReproducesTheRun(t *testing.T) {
	sc := mustFind(t, "metastable")
	r := parseRequest(sc, "preset=storm&seed=42&retry-budget=0.1&backoff=full-jitter&timeout=1.5s&cancel=on")
	again := parseRequest(sc, r.query())
	if !r.ok() || !again.ok() || again.query() != r.query() {
		t.Fatalf("%q -> %q", r.query(), again.query())
	}
	cfg := *again.cfg.(*metastable.Config)
	if cfg.Seed != 42 || cfg.RetryBudget != 0.1 || cfg.Backoff.Kind != "full-jitter" || !cfg.Cancellation || cfg.Timeout.Seconds() != 1.5 {
		t.Fatalf("%+v", cfg)
	}
}

// Locate finds a Config's scenario, its nearest preset and its query.
func TestLocateFindsTheNearestPreset(t *testing.T) {
	cfg, _ := metastable.PresetConfig("storm")
	cfg.RetryBudget = 0.1
	cfg.Seed = 3
	sc, q, exact, err := Locate(cfg)
	if err != nil || sc.Name != "metastable" || !exact {
		t.Fatalf("%v %v %v", sc.Name, exact, err)
	}
	if v, _ := url.ParseQuery(q); v.Get("preset") != "storm" || v.Get("seed") != "3" || v.Get("retry-budget") != "0.1" || len(v) != 3 {
		t.Fatalf("query %q", q)
	}
	cfg.RetryBudget = 0.123456789
	if _, _, exact, _ := Locate(&cfg); exact {
		t.Fatal("a value finer than its text is not carried exactly")
	}
	if _, _, _, err := Locate(42); err == nil || !strings.Contains(err.Error(), "not the Config of a scenario") {
		t.Fatalf("Locate(42): %v", err)
	}
	cfg.Timeout = -1
	if _, _, _, err := Locate(cfg); err == nil || !strings.Contains(err.Error(), "Timeout") {
		t.Fatalf("a bad Config: %v", err)
	}
}

// The cache keeps the most recent runs, within its count and its bytes.
func TestCacheIsBounded(t *testing.T) {
	c := newLRU(3, 100)
	for i, k := range []string{"a", "b", "c", "d"} {
		c.put(k, &result{size: int64(10 + i)})
	}
	if c.len() != 3 || c.get("a") != nil || c.get("d") == nil {
		t.Fatalf("by count: %d entries", c.len())
	}
	c.put("big", &result{size: 90})
	if c.get("big") == nil || c.bytes > 100 || c.len() != 1 {
		t.Fatalf("by bytes: %d entries, %d bytes", c.len(), c.bytes)
	}
	c.put("huge", &result{size: 101})
	if c.get("huge") != nil || c.get("big") == nil {
		t.Fatal("a result larger than the cache is not kept, and evicts nothing")
	}
}
