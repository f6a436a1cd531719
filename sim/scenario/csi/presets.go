package csi

import (
	"fmt"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/metrics"
	"dsim/sim/scenario/internal/describe"
)

// Preset is a named configuration that reproduces one experiment of the
// lesson.
type Preset struct {
	Name        string
	Plane       string // where the discrepancy lives: data, management, control
	Description string
	Config      Config
}

// Info gives the preset's name, description and configuration.
func (p Preset) Info() (name, description string, config Config) {
	return p.Name, p.Description, p.Config
}

// Scenarios are the lesson's six discrepancies, in teaching order; each
// names the systems of the incident it comes from.
func Scenarios() []Preset {
	meta := Default()
	meta.Upstream.Name, meta.Downstream.Name = "Hive", "Spark"
	meta.Upstream.Schema = OrdersV1().With("shipped_at", "long")

	enc := Default()
	enc.Upstream.Name, enc.Downstream.Name = "producer", "consumer"
	enc.Upstream.Schema.Encoding = "latin-1"

	conf := Default()
	conf.Upstream.Name, conf.Downstream.Name = "ServiceA", "ServiceB"
	conf.Upstream.Timeout, conf.Upstream.Retries, conf.Upstream.Backoff.Base = 30*time.Second, 3, time.Second
	conf.Downstream.ExpectTimeout, conf.Downstream.ExpectRetries = 60*time.Second, 5
	conf.Downstream.BaseLatency, conf.Downstream.PerItem, conf.Downstream.LatencyNoise = 25*time.Second, time.Second, dist.LogNorm(1, 0.2)
	conf.Downstream.Workers = 2000
	conf.Rate = 2

	api := Default()
	api.Upstream.Name, api.Downstream.Name = "upstream", "downstream"
	api.Downstream.Async, api.Downstream.ThreadSafe = true, false
	api.Downstream.Workers = 16
	api.Downstream.BaseLatency, api.Downstream.PerItem = 100*time.Millisecond, 20*time.Millisecond
	api.Rate = 20

	typ := Default()
	typ.Upstream.Name, typ.Downstream.Name = "SystemA", "SystemB"
	typ.Upstream.Schema = OrdersV1().With("amount", "double")

	skew := Default()
	skew.Upstream.Name, skew.Downstream.Name = "checkout", "billing"
	skew.Upstream.Next, skew.Upstream.Rollout = OrdersV2(), sim.Window{Start: time.Minute, Duration: 2 * time.Minute}
	skew.Downstream.Next, skew.Downstream.UpgradeAt = OrdersV2(), 4*time.Minute

	return []Preset{
		{"metadata", DataPlane, "Hive writes shipped_at as epoch milliseconds in a long; Spark reads a timestamp and casts the long as seconds: every shipped order is out of range.", meta},
		{"encoding", DataPlane, "The producer encodes text in Latin-1, the consumer decodes UTF-8: accented names turn into U+FFFD and names beyond Latin-1 into '?', with no error anywhere.", enc},
		{"config", ManagementPlane, "ServiceA waits 30s and retries 3 times; ServiceB documents 60s and 5, and takes 25s + 1s per item: large orders time out on every attempt, and retried ones are stored twice.", conf},
		{"api", ControlPlane, "The upstream assumes a synchronous, thread-safe API; the downstream acknowledges at once and applies on 16 workers without locks: updates of busy accounts are lost or land out of order.", api},
		{"type", DataPlane, "SystemA sends amounts as doubles, SystemB stores decimal(12,2) by scaling and truncating: 19.99 becomes 19.98.", typ},
		{"version-skew", DataPlane, "checkout rolls out orders v2 (an optional discount) from 1m to 3m; billing reads v1 until 4m and drops the discount it does not know.", skew},
	}
}

// Presets are the scenarios, the coherent baseline, and variations the
// lesson uses.
func Presets() []Preset {
	sc := Scenarios()
	strict := sc[1]
	strict.Name, strict.Description = "encoding-strict", "The encoding scenario with a strict UTF-8 decoder: Latin-1 accents now fail loudly; names beyond Latin-1 are still '?' silently, since A replaced them before sending."
	strict.Config.Downstream.StrictDecoding = true
	fx := sc[1]
	fx.Name, fx.Description = "encoding-fixtures", "The encoding scenario with a write-read test on hand-written ASCII fixtures: the test passes, and the corruption ships."
	fx.Config.WriteReadTest, fx.Config.TestData = true, Fixtures
	seq := sc[3]
	seq.Name, seq.Description = "api-sequential", "The API scenario with an upstream that sends each account's orders one at a time, each after the previous call returned: the downstream's early acknowledgement defeats it, and orders apply out of order."
	seq.Config.Upstream.AssumesThreadSafe = false
	out := []Preset{{"coherent", "", "Two systems that agree on everything: the baseline, where every order arrives intact.", Default()}}
	out = append(out, sc...)
	return append(out, strict, fx, seq)
}

// PresetConfig returns the configuration of the named preset.
func PresetConfig(name string) (Config, error) { return describe.Find(knobs, Presets(), name) }

// PreventionRow is one scenario against every check.
type PreventionRow struct {
	Scenario string
	Plane    string
	Failed   float64   // share of orders that failed, loudly or silently, with no prevention
	Caught   []bool    // per CheckNames entry: did the check catch it before deployment
	After    []float64 // share failed with only that check enabled
}

// Prevention runs every scenario with no prevention and with each check
// alone, on one seed.
func Prevention(seed uint64) ([]PreventionRow, error) {
	var rows []PreventionRow
	for _, p := range Scenarios() {
		cfg := p.Config
		cfg.Seed = seed
		base, err := Run(cfg)
		if err != nil {
			return nil, err
		}
		row := PreventionRow{Scenario: p.Name, Plane: p.Plane, Failed: 1 - base.Rate(OK)}
		for i := range CheckNames() {
			c := cfg
			on := []*bool{&c.WriteReadTest, &c.SchemaRegistry, &c.CoherenceCheck, &c.ContractTest}
			*on[i] = true
			res, err := Run(c)
			if err != nil {
				return nil, err
			}
			row.Caught = append(row.Caught, res.Checks[i].Caught)
			row.After = append(row.After, 1-res.Rate(OK))
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// PreventionTable is Prevention as the lesson's table: per scenario, the
// share of orders that fail, and with each check on, whether it caught the
// problem and what share still fails.
func PreventionTable(seed uint64) (*metrics.Table, error) {
	rows, err := Prevention(seed)
	if err != nil {
		return nil, err
	}
	cols := append([]string{"scenario", "plane", "failed"}, CheckNames()...)
	t := metrics.NewTable("What each prevention catches", cols...)
	for _, r := range rows {
		cells := []any{r.Scenario, r.Plane, metrics.Pct(r.Failed)}
		for i, caught := range r.Caught {
			if caught {
				cells = append(cells, fmt.Sprintf("caught: %s fail", metrics.Pct(r.After[i])))
			} else {
				cells = append(cells, "missed")
			}
		}
		t.Add(cells...)
	}
	t.Note("each check alone, run before deployment; when it catches the problem, the fix ships and the run changes (seed %d)", seed)
	return t, nil
}
