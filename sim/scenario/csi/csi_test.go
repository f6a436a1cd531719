package csi

import (
	"math/big"
	"strings"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
)

func runPreset(t *testing.T, preset string, edit func(*Config)) *Result {
	t.Helper()
	cfg, err := PresetConfig(preset)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(&cfg)
	}
	res, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func trait(o Order, name string) string { return o.Traits[traitIndex(name)] }

func TestCoherentSystemsLoseNothing(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		res := runPreset(t, "coherent", func(c *Config) { c.Seed = seed })
		if res.OKs != len(res.Orders) || len(res.Orders) < 2500 {
			t.Errorf("seed %d: %v", seed, res.Verdict())
		}
		for _, c := range res.Checks {
			if c.Caught {
				t.Errorf("seed %d: %s found %v in coherent systems", seed, c.Name, c.Findings)
			}
		}
	}
}

func TestDeterminism(t *testing.T) {
	for _, p := range []string{"api", "config", "version-skew"} {
		a, b := runPreset(t, p, nil), runPreset(t, p, nil)
		if a.Summary().Text() != b.Summary().Text() || a.Examples(10).Text() != b.Examples(10).Text() || a.Events != b.Events {
			t.Errorf("%s: two runs with one seed differ", p)
		}
		for i := range a.Orders {
			if a.Orders[i].Outcome != b.Orders[i].Outcome || a.Orders[i].Why != b.Orders[i].Why {
				t.Fatalf("%s: order %d differs", p, a.Orders[i].ID)
			}
		}
	}
	c := runPreset(t, "api", func(c *Config) { c.Seed = 2 })
	if c.Summary().Text() == runPreset(t, "api", nil).Summary().Text() {
		t.Error("another seed gave the same run")
	}
}

// The metadata mismatch fails exactly the orders that carry a shipping
// date, loudly, on the downstream's data plane.
func TestMetadataFailuresAreTheShippedOrders(t *testing.T) {
	res := runPreset(t, "metadata", nil)
	for _, o := range res.Orders {
		shipped := trait(o, "shipped_at") == "set"
		if shipped != (o.Outcome == Loud) || (shipped && (o.Side != DownstreamSide || o.Plane != DataPlane || o.Cause != "shipped_at unreadable")) {
			t.Fatalf("order %d (shipped_at %s): %s %s %s: %s", o.ID, trait(o, "shipped_at"), o.Outcome, o.Side, o.Plane, o.Why)
		}
	}
	if r := res.Rate(Loud); r < 0.25 || r > 0.45 {
		t.Errorf("loud rate %.3f, want the share of shipped orders (about 35%%)", r)
	}
	if e := res.Explain(); len(e.Traits) != 1 || e.Traits[0] != "shipped_at" || e.Explained < 0.999 {
		t.Errorf("explanation %v", e)
	}
}

// Silent corruption is invisible to the error count and visible to the
// checker: the encoding mismatch raises no error at all, and the checker
// finds exactly the orders with text beyond ASCII.
func TestSilentCorruptionOnlyTheCheckerSees(t *testing.T) {
	res := runPreset(t, "encoding", nil)
	if res.Errors != 0 || res.Louds != 0 {
		t.Fatalf("errors %d: an encoding mismatch should raise none", res.Errors)
	}
	if res.Silents < len(res.Orders)/5 {
		t.Fatalf("the checker found %d corrupted orders of %d", res.Silents, len(res.Orders))
	}
	for _, o := range res.Orders {
		if (trait(o, "text") != textASCII) != (o.Outcome == Silent) {
			t.Fatalf("order %d (%s, %q): %s", o.ID, trait(o, "text"), o.Customer, o.Outcome)
		}
	}
	strict := runPreset(t, "encoding-strict", nil)
	if strict.Errors == 0 || strict.Silents == 0 {
		t.Fatalf("strict decoding: %v", strict.Verdict())
	}
	for _, o := range strict.Orders {
		if trait(o, "text") == textLatin1 && o.Outcome != Loud {
			t.Fatalf("order %d with Latin-1 letters only should fail loudly under strict UTF-8: %s", o.ID, o.Why)
		}
	}
}

// The type confusion corrupts exactly the amounts whose double, scaled by
// 100 in binary, falls below a whole number of cents.
func TestTypeConfusionLosesACent(t *testing.T) {
	res := runPreset(t, "type", nil)
	for _, o := range res.Orders {
		cents, _ := parseDecimal(o.Amount, 2)
		x := new(big.Float).SetPrec(53).SetMode(big.ToNearestEven).SetFloat64(float64(cents) / 100)
		x.Mul(x, big.NewFloat(100))
		truncated, _ := x.Int64()
		if (truncated != cents) != (o.Outcome == Silent) {
			t.Fatalf("order %d amount %s: truncates to %d, outcome %s", o.ID, o.Amount, truncated, o.Outcome)
		}
		if o.Outcome == Silent && !strings.Contains(o.Why, "truncates") {
			t.Fatalf("order %d: %s", o.ID, o.Why)
		}
	}
	if res.Silents == 0 || res.Errors != 0 {
		t.Fatal(res.Verdict())
	}
}

// Configuration incoherence: an order fails loudly when B's time exceeded
// A's timeout on every attempt; the share of first attempts that time out
// matches what the coherence check predicts from B's latency model.
func TestConfigTimeoutsFollowTheLatency(t *testing.T) {
	res := runPreset(t, "config", nil)
	timeout := res.Config.Upstream.Timeout
	if res.Louds == 0 || res.Silents == 0 {
		t.Fatal(res.Verdict())
	}
	for _, o := range res.Orders {
		if o.Outcome == Loud && (o.Cause != "timed out" || o.Side != UpstreamSide || o.Plane != ManagementPlane || o.Attempts != 4) {
			t.Fatalf("order %d: %s", o.ID, o.Why)
		}
		if o.Cause == "stored twice" && o.Attempts < 2 {
			t.Fatalf("order %d stored twice without a retry", o.ID)
		}
	}
	first := 0
	for _, o := range res.Orders {
		if o.Attempts > 1 {
			first++
		}
	}
	measured := float64(first) / float64(len(res.Orders))
	predicted := exceeds(res.Config, res.Config.Upstream.Timeout, 20000)
	if d := measured - predicted; d < -0.05 || d > 0.05 {
		t.Errorf("first attempts timed out %.3f, B's model predicts %.3f", measured, predicted)
	}
	slow := 0
	for _, x := range res.BTimes {
		if x > timeout {
			slow++
		}
	}
	if slow == 0 {
		t.Error("no attempt took longer than the timeout")
	}
}

// Version skew corrupts exactly the orders written with v2 and a discount
// that B read with v1.
func TestVersionSkewDropsTheDiscount(t *testing.T) {
	res := runPreset(t, "version-skew", nil)
	for _, o := range res.Orders {
		want := o.Writer == 2 && trait(o, "discount") == "set" && o.Reader == 1
		if want != (o.Outcome == Silent) {
			t.Fatalf("order %d writer v%d reader v%d discount %s: %s", o.ID, o.Writer, o.Reader, trait(o, "discount"), o.Outcome)
		}
		if o.Outcome == Silent && o.At < sim.FromDuration(time.Minute) {
			t.Fatalf("order %d corrupted before the rollout began", o.ID)
		}
	}
	if res.Silents == 0 || len(res.Spans) != 1 {
		t.Fatal(res.Verdict())
	}
}

// API semantics: lost updates happen to orders followed closely by
// another of the same account, and each names the order that overwrote it.
func TestAPISemanticsLoseUpdatesOfBusyAccounts(t *testing.T) {
	res := runPreset(t, "api", nil)
	if res.Errors != 0 || res.Silents == 0 {
		t.Fatal(res.Verdict())
	}
	busy, busyLost, calm, calmLost := 0, 0, 0, 0
	for _, o := range res.Orders {
		if o.Cause == "lost update" && !strings.Contains(o.Why, "read the balance at") {
			t.Fatalf("order %d: %s", o.ID, o.Why)
		}
		if trait(o, "next order of account") == "within 250ms" {
			busy++
			if o.Outcome != OK {
				busyLost++
			}
		} else {
			calm++
			if o.Outcome != OK {
				calmLost++
			}
		}
	}
	if float64(busyLost)/float64(busy) < 5*float64(calmLost)/float64(calm) {
		t.Errorf("busy accounts lost %d of %d, others %d of %d", busyLost, busy, calmLost, calm)
	}
	seq := runPreset(t, "api-sequential", nil)
	found := false
	for _, o := range seq.Orders {
		found = found || o.Cause == "out of order"
	}
	if !found {
		t.Error("an upstream that waits only for the acknowledgement should see orders applied out of order")
	}
}

// Each prevention catches the scenarios it should and misses the others,
// on seeds 1 to 3 (the lesson's table shows seed 1): the registry catches
// the mismatches its schemas declare (types, encoding) and misses the
// version skew Avro calls compatible. Where a check catches, the fix ships
// and the failures go; where it misses, the run is unchanged.
func TestPreventionMatrix(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		rows, err := Prevention(seed)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{ // per check: write-read, registry, coherence, contract
			"metadata": "YYnn", "encoding": "YYnn", "config": "nnYn", "api": "nnnY", "type": "YYnn", "version-skew": "Ynnn",
		}
		for _, r := range rows {
			got := ""
			for i, c := range r.Caught {
				if c {
					got += "Y"
					if r.After[i] > 0.02 {
						t.Errorf("seed %d: %s: %s caught it, yet %.3f still fail", seed, r.Scenario, CheckNames()[i], r.After[i])
					}
				} else {
					got += "n"
					if r.After[i] != r.Failed {
						t.Errorf("seed %d: %s: %s missed it, yet the run changed (%.4f -> %.4f)", seed, r.Scenario, CheckNames()[i], r.Failed, r.After[i])
					}
				}
			}
			if got != want[r.Scenario] {
				t.Errorf("seed %d: %s: caught %s, want %s", seed, r.Scenario, got, want[r.Scenario])
			}
			if r.Failed == 0 {
				t.Errorf("seed %d: %s: nothing failed", seed, r.Scenario)
			}
		}
		if len(rows) != 6 {
			t.Errorf("%d scenarios", len(rows))
		}
	}
}

func TestFixturesMissTheEncoding(t *testing.T) {
	res := runPreset(t, "encoding-fixtures", nil)
	if c, _ := res.Check(WriteReadTest); c.Caught || !c.Enabled || res.Silents == 0 {
		t.Errorf("ASCII fixtures caught the encoding mismatch: %+v", c)
	}
	sampled := runPreset(t, "encoding-fixtures", func(c *Config) { c.TestData = "sampled" })
	if c, _ := sampled.Check(WriteReadTest); !c.Caught || sampled.Silents != 0 {
		t.Errorf("sampled orders should catch it: %+v, %v", c, sampled.Verdict())
	}
}

func TestValidation(t *testing.T) {
	cases := []struct {
		edit func(*Config)
		want string
	}{
		{func(c *Config) { c.Rate = -1 }, "csi: Rate=-1"},
		{func(c *Config) { c.Rate = 1000; c.Duration = time.Hour }, "the limit is 200000"},
		{func(c *Config) { c.Duration = -time.Second }, "csi: Duration=-1s"},
		{func(c *Config) { c.Accounts = -2 }, "csi: Accounts=-2"},
		{func(c *Config) { c.NetworkDelay = dist.Const(-1) }, "csi: NetworkDelay="},
		{func(c *Config) { c.TestData = "prod" }, `csi: TestData=prod: want one of sampled, fixtures`},
		{func(c *Config) { c.TestOrders = -1 }, "csi: TestOrders=-1"},
		{func(c *Config) { c.Upstream.Timeout = -time.Second }, "csi: Upstream.Timeout=-1s"},
		{func(c *Config) { c.Upstream.Retries = 50 }, "csi: Upstream.Retries=50"},
		{func(c *Config) { c.Upstream.MaxItems = -1 }, "csi: Upstream.MaxItems=-1"},
		{func(c *Config) { c.Upstream.Rollout.Start = -1 }, "csi: Upstream.Rollout.Start="},
		{func(c *Config) { c.Downstream.Workers = -1 }, "csi: Downstream.Workers=-1"},
		{func(c *Config) { c.Downstream.QueueLimit = -1 }, "csi: Downstream.QueueLimit=-1"},
		{func(c *Config) { c.Downstream.LatencyNoise = dist.LogNorm(1, -1) }, "csi: Downstream.LatencyNoise=lognormal(1, -1)"},
		{func(c *Config) { c.Downstream.BaseLatency = -1 }, "csi: Downstream.BaseLatency="},
		{func(c *Config) { c.Downstream.ExpectRetries = -1 }, "csi: Downstream.ExpectRetries=-1"},
		{func(c *Config) { c.Downstream.UpgradeAt = -1 }, "csi: Downstream.UpgradeAt="},
		{func(c *Config) { c.Upstream.Schema.Encoding = "ebcdic" }, `csi: Upstream.Schema.Encoding=ebcdic: want one of utf-8, latin-1, ascii`},
		{func(c *Config) { c.Upstream.Schema = OrdersV1().With("amount", "money") }, `csi: Upstream.Schema.Fields[3].Type="money": unknown type`},
		{func(c *Config) { c.Upstream.Schema = OrdersV1().With("amount", "decimal(40,2)") }, `csi: Upstream.Schema.Fields[3].Type="decimal(40,2)"`},
		{func(c *Config) { c.Upstream.Schema = OrdersV1().With("customer", "long") }, `Fields[2].Type="long": cannot hold customer`},
		{func(c *Config) { c.Downstream.Schema = OrdersV1().With("amount", "timestamp") }, `csi: Downstream.Schema.Fields[3].Type="timestamp"`},
		{func(c *Config) {
			c.Downstream.Schema.Fields = append(OrdersV1().Fields, Field{Name: "colour", Type: "string"})
		}, `csi: Downstream.Schema.Fields[8].Name="colour": not in the record catalogue`},
		{func(c *Config) {
			c.Downstream.Schema.Fields = append(OrdersV1().Fields, Field{Name: "note", Type: "string"})
		}, `Fields[8].Name="note": appears twice`},
		{func(c *Config) { c.Upstream.Schema.Fields = OrdersV1().Fields[3:] }, "must carry id, account and amount"},
		{func(c *Config) { c.Upstream.Next = OrdersV1() }, "csi: Upstream.Next.Version=1: must differ"},
		{func(c *Config) { c.Downstream.Next = OrdersV2(); c.Downstream.Next.Version = -3 }, "csi: Downstream.Next.Version=-3"},
	}
	for _, c := range cases {
		cfg := Default()
		c.edit(&cfg)
		_, err := Run(cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want an error containing %q", err, c.want)
		}
	}
	if _, err := PresetConfig("nope"); err == nil || !strings.Contains(err.Error(), "metadata") {
		t.Errorf("unknown preset: %v", err)
	}
}

func TestEveryPresetRunsAndDraws(t *testing.T) {
	for _, p := range Presets() {
		cfg := p.Config
		cfg.Duration = 30 * time.Second
		res, err := Run(cfg)
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		for _, f := range append(res.Figures(), res.LatencyFigure()) {
			if _, err := f.SVG(); err != nil {
				t.Errorf("%s: %s: %v", p.Name, f.Name, err)
			}
		}
		if res.Summary().Text() == "" || res.Breakdown().Text() == "" || res.ChecksTable().Text() == "" {
			t.Errorf("%s: empty table", p.Name)
		}
	}
}
