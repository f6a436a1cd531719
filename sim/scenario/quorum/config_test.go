package quorum_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/net"
	"dsim/sim/scenario/internal/scenariotest"
	"dsim/sim/scenario/quorum"
)

// Every knob with a bad value, and every rule across fields: the error
// names the field and the value, and the run never starts.
func TestValidationNamesTheField(t *testing.T) {
	const huge = time.Duration(math.MaxInt64)
	d := dist.MustParse
	scenariotest.Refused(t, "quorum: ", quorum.Default, quorum.Config.Validate, quorum.Run, []scenariotest.Bad[quorum.Config]{
		{Set: func(c *quorum.Config) { c.Duration = -time.Second }, Want: "quorum: Duration=-1s: must be between 1s and 24h"},
		{Set: func(c *quorum.Config) { c.Duration = 25 * time.Hour }, Want: "Duration=25h"},
		{Set: func(c *quorum.Config) { c.Duration = huge }, Want: "Duration=2562047h47m16.854775807s"},
		{Set: func(c *quorum.Config) { c.Window = time.Nanosecond }, Want: "quorum: Window=1ns: must be between 1ms and 1h"},
		{Set: func(c *quorum.Config) { c.Window = 2 * time.Minute }, Want: "quorum: Window=2m: is longer than Duration=30s"},
		{Set: func(c *quorum.Config) { c.Window, c.Duration = time.Millisecond, time.Hour }, Want: "Window=1ms: gives more than 100000 windows over Duration=1h"},
		{Set: func(c *quorum.Config) { c.Model = "sequential" }, Want: "quorum: Model=sequential: want one of strong, linearizable, eventual, weak"},
		{Set: func(c *quorum.Config) { c.Nodes = -2 }, Want: "quorum: Nodes=-2: must be between 1 and 15 replicas"},
		{Set: func(c *quorum.Config) { c.Nodes = 16 }, Want: "Nodes=16"},
		{Set: func(c *quorum.Config) { c.R = -1 }, Want: "quorum: R=-1: must be between 1 and 15 replicas"},
		{Set: func(c *quorum.Config) { c.W = 99 }, Want: "quorum: W=99"},
		{Set: func(c *quorum.Config) { c.Nodes, c.R = 3, 4 }, Want: "quorum: R=4 is larger than N=3"},
		{Set: func(c *quorum.Config) { c.Nodes, c.W = 3, 5 }, Want: "quorum: W=5 is larger than N=3"},
		{Set: func(c *quorum.Config) { c.Versioning = "vector" }, Want: "quorum: Versioning=vector: want one of timestamp, counter"},
		{Set: func(c *quorum.Config) { c.ReadRepair = "later" }, Want: "quorum: ReadRepair=later: want one of off, async, sync"},
		{Set: func(c *quorum.Config) { c.NodeLatency = d("const(-1ms)") }, Want: "quorum: NodeLatency=const(-1ms): dist: const(-1ms): value=-1ms is negative"},
		{Set: func(c *quorum.Config) { c.NodeLatency = d("exp(5)") }, Want: "quorum: NodeLatency=exp(5): give a distribution of durations"},
		{Set: func(c *quorum.Config) { c.NetworkLatency = d("normal(-50ms, 1ms)") }, Want: "quorum: NetworkLatency=normal(-50ms, 1ms): dist: normal(-50ms, 1ms): draws reach 14.2 sd below the mean"},
		{Set: func(c *quorum.Config) { c.NetworkLatency = d("const(2m)") }, Want: "quorum: NetworkLatency=const(120s): its mean must be between 0s and 1m"},
		{Set: func(c *quorum.Config) { c.NetworkLatency = d("pareto(1ms, 1)") }, Want: "quorum: NetworkLatency=pareto(1ms, 1): its mean must be"},
		{Set: func(c *quorum.Config) { c.LocalLatency = d("const(-1ms)") }, Want: "quorum: LocalLatency=const(-1ms)"},
		{Set: func(c *quorum.Config) { c.Regions = 99 }, Want: "quorum: Regions=99: must be between 1 and 15 regions"},
		{Set: func(c *quorum.Config) { c.Regions = -1 }, Want: "Regions=-1"},
		{Set: func(c *quorum.Config) { c.Loss = 1 }, Want: "quorum: Loss=1: must be between 0 and 0.99 (a share)"},
		{Set: func(c *quorum.Config) { c.Loss = math.NaN() }, Want: "Loss=NaN"},
		{Set: func(c *quorum.Config) { c.Clients = -1 }, Want: "quorum: Clients=-1: must be between 1 and 1000 clients"},
		{Set: func(c *quorum.Config) { c.Clients = 1001 }, Want: "Clients=1001"},
		{Set: func(c *quorum.Config) { c.Rate = math.NaN() }, Want: "quorum: Rate=NaN"},
		{Set: func(c *quorum.Config) { c.Rate = math.Inf(1) }, Want: "quorum: Rate=+Inf"},
		{Set: func(c *quorum.Config) { c.Rate = 1e6 }, Want: "quorum: Rate=1e+06: must be between 0.001 and 100000 ops/s"},
		{Set: func(c *quorum.Config) { c.WriteRatio = 1.5 }, Want: "quorum: WriteRatio=1.5: must be between 0.001 and 1 (a share)"},
		{Set: func(c *quorum.Config) { c.WriteRatio = -0.5 }, Want: "WriteRatio=-0.5"},
		{Set: func(c *quorum.Config) { c.Keys = -1 }, Want: "quorum: Keys=-1"},
		{Set: func(c *quorum.Config) { c.Keys = 1_000_000 }, Want: "quorum: Keys=1000000: must be between 1 and 100000 keys"},
		{Set: func(c *quorum.Config) { c.Timeout = -time.Second }, Want: "quorum: Timeout=-1s: must be between 1ms and 1h"},
		{Set: func(c *quorum.Config) { c.Timeout = huge }, Want: "quorum: Timeout=2562047h47m16.854775807s"},
		{Set: func(c *quorum.Config) { c.ClockSkew = -time.Second }, Want: "quorum: ClockSkew=-1s: must be between 0s and 1h"},
		{Set: func(c *quorum.Config) { c.ClockSkew = 2 * time.Hour }, Want: "ClockSkew=2h"},
		{Set: func(c *quorum.Config) { c.Standbys = -1 }, Want: "quorum: Standbys=-1: must be between 1 and 15 nodes (or 0: none, or 2 with SloppyQuorum)"},
		{Set: func(c *quorum.Config) { c.SloppyQuorum, c.Standbys = true, 16 }, Want: "Standbys=16"},
		{Set: func(c *quorum.Config) { c.HandoffInterval = time.Nanosecond }, Want: "quorum: HandoffInterval=1ns: must be between 1ms and 1h"},
		{Set: func(c *quorum.Config) { c.HandoffInterval, c.Duration = time.Millisecond, time.Hour }, Want: "quorum: HandoffInterval=1ms: gives more than 1000000 handoff rounds over Duration=1h"},
		{Set: func(c *quorum.Config) { c.Partition.Start = -time.Second }, Want: "quorum: Partition.Start=-1s: must be between 0s and 24h"},
		{Set: func(c *quorum.Config) { c.Partition.Start = huge }, Want: "quorum: Partition.Start=2562047h47m16.854775807s"},
		{Set: func(c *quorum.Config) { c.Partition.Duration = -time.Second }, Want: "quorum: Partition.Duration=-1s: must be between 1ms and 24h (or 0: no partition)"},
		{Set: func(c *quorum.Config) { c.Partition.Duration = time.Nanosecond }, Want: "quorum: Partition.Duration=1ns"},
		{Set: func(c *quorum.Config) { c.Partition = sim.Window{Start: 20 * time.Second, Duration: huge} }, Want: "quorum: Partition.Duration=2562047h47m16.854775807s"},
		{Set: func(c *quorum.Config) { c.Partition = sim.Window{Start: 40 * time.Second, Duration: time.Second} }, Want: "quorum: Partition.Start=40s: must lie inside the run (Duration=30s)"},
		{Set: func(c *quorum.Config) { c.MaxOps = -1 }, Want: "quorum: MaxOps=-1: must be between 1 and 2e+06 operations"},
		{Set: func(c *quorum.Config) { c.MaxOps = 3_000_000 }, Want: "MaxOps=3000000"},
		{Set: func(c *quorum.Config) { c.CheckTimeout = -time.Second }, Want: "quorum: CheckTimeout=-1s: must be between 1ms and 1m"},
		{Set: func(c *quorum.Config) { c.Faults = make([]net.Fault, 1001) }, Want: "quorum: Faults=[1001 faults]: at most 1000 faults"},
		{Set: func(c *quorum.Config) {
			c.Faults = []net.Fault{{Kind: net.FaultCrash, Window: sim.Window{Start: -time.Second}, Nodes: []string{"r1"}}}
		}, Want: "quorum: Faults[0].Start=-1s: must be between 0s and 24h"},
		{Set: func(c *quorum.Config) {
			c.Faults = []net.Fault{{Kind: net.FaultCrash, Window: sim.Window{Start: time.Second, Duration: huge}, Nodes: []string{"r1"}}}
		}, Want: "quorum: Faults[0].Duration=2562047h47m16.854775807s: must be between 0s and 24h (0 lasts to the end)"},
	})
	// A fault's node names are checked against the network the run
	// builds, so only Run refuses these.
	for _, tc := range []struct {
		faults []net.Fault
		want   string
	}{
		{[]net.Fault{{Kind: net.FaultPartition, Sides: [][]string{{"r1", "r2"}, {"r9"}}}}, `quorum: Faults[0]: net: fault 1 (partition): Sides[1]: unknown node or group "r9"`},
		{[]net.Fault{{Kind: net.FaultCrash, Nodes: []string{"db"}}}, `Nodes: unknown node or group "db"`},
	} {
		cfg := quorum.Default()
		cfg.Faults = tc.faults
		if _, err := quorum.Run(cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want an error containing %q", err, tc.want)
		}
	}
	if _, err := quorum.PBS(quorum.PBSConfig{N: 3, R: 4, W: 1}); err == nil || !strings.Contains(err.Error(), "R=4") {
		t.Errorf("PBS R>N: %v", err)
	}
	if _, err := quorum.PBS(quorum.PBSConfig{N: 0, R: 1, W: 1}); err == nil || !strings.Contains(err.Error(), "N=0") {
		t.Errorf("PBS zero replicas: %v", err)
	}
}

// Zero fields take the default, except where the table says what zero
// means; R, W and the mechanisms follow the model.
func TestZeroConfigIsTheDefault(t *testing.T) {
	z, err := quorum.Run(quorum.Config{Seed: 1, Duration: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c := z.Config
	if c.Nodes != 5 || c.R != 3 || c.W != 3 || c.Versioning != quorum.Timestamps || c.ReadRepair != quorum.AsyncRepair ||
		c.NetworkLatency.String() != "lognormal(50ms, 0.3)" || c.NodeLatency.String() != "lognormal(10ms, 0.5)" ||
		c.Standbys != 0 || c.Partition.Duration != 0 || c.Loss != 0 {
		t.Fatalf("zero config resolved to %+v", c)
	}
	d := quorum.Default()
	d.Duration = 5 * time.Second
	r, err := quorum.Run(d)
	if err != nil {
		t.Fatal(err)
	}
	if r.Summary().Text() != z.Summary().Text() {
		t.Fatalf("Default() and the zero Config differ:\n%s\n%s", r.Summary(), z.Summary())
	}
	lin, err := quorum.Run(quorum.Config{Seed: 1, Duration: 5 * time.Second, Model: quorum.Linearizable, Nodes: 3, SloppyQuorum: true})
	if err != nil {
		t.Fatal(err)
	}
	if c := lin.Config; c.R != 3 || c.W != 3 || c.Versioning != quorum.Counters || c.ReadRepair != quorum.SyncRepair || c.Standbys != 2 {
		t.Fatalf("linearizable on 3 with a sloppy quorum resolved to %+v", c)
	}
}

// The knobs' text forms: what the command line and sweeps set.
func TestKnobsByName(t *testing.T) {
	tab := quorum.Scenario().Knobs
	cfg := quorum.Default()
	for _, tc := range []struct{ name, text, want string }{
		{"latency", "exp(20ms)", "exp(20ms)"},
		{"network-latency", "5ms", "const(5ms)"},
		{"NodeLatency", "pareto(0.235ms, 10)", "pareto(0.235ms, 10)"},
		{"partition-start", "5s", "5s"},
		{"PartitionDuration", "3s", "3s"},
		{"partition-duration", "0", "0s"},
		{"n", "7", "7"},
		{"r", "4", "4"},
		{"r", "0", "0"},
		{"skew", "100ms", "100ms"},
		{"rate", "300/min", "5"},
		{"writes", "50%", "0.5"},
		{"sloppy", "on", "on"},
		{"repair", "sync", "sync"},
	} {
		if err := tab.Set(&cfg, tc.name, tc.text); err != nil {
			t.Errorf("Set(%s, %s): %v", tc.name, tc.text, err)
			continue
		}
		if got, _ := tab.Get(cfg, tc.name); got != tc.want {
			t.Errorf("Set(%s, %s): got %s, want %s", tc.name, tc.text, got, tc.want)
		}
	}
	for _, tc := range []struct{ name, text, want string }{
		{"Nodes", "0", "quorum: Nodes=0: must be between 1 and 15 replicas (leave it unset for the default, 5)"},
		{"Duration", "0", "quorum: Duration=0s: must be between 1s and 24h"},
		{"Window", "1ns", "quorum: Window=1ns: must be between 1ms and 1h"},
		{"latency", "gauss(3)", `quorum: NetworkLatency=gauss(3): `},
		{"latency", "exp(5)", "quorum: NetworkLatency=exp(5): give a distribution of durations"},
		{"Model", "sequential", "quorum: Model=sequential: want one of"},
		{"HandoffInterval", "1ns", "quorum: HandoffInterval=1ns: must be between 1ms and 1h"},
		{"Rate", "NaN", "quorum: Rate=NaN: want a finite number"},
		{"Latency", strings.Repeat("x", 5000), "a knob takes at most 4096"},
	} {
		if err := tab.Set(&cfg, tc.name, tc.text); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Set(%s, %.20s): got %v, want %q", tc.name, tc.text, err, tc.want)
		}
	}
	if tab.Knobs()[0].Name != "Duration" || len(tab.Others()) != 1 || KnobCount(t) != len(tab.Knobs()) {
		t.Errorf("knob table: %v, others %v", tab.Names(), tab.Others())
	}
}

// KnobCount is the rows of the documented knob table.
func KnobCount(t *testing.T) int {
	t.Helper()
	return len(quorum.KnobTable().Rows)
}
