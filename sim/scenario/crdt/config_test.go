package crdt_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/internal/simtest"
	"dsim/sim/scenario/crdt"
	"dsim/sim/scenario/internal/scenariotest"
)

// Every knob with a bad value, and every rule across fields: the error
// names the field and the value, with the crdt: prefix.
func TestValidationNamesTheField(t *testing.T) {
	long := strings.Repeat("x", 2000)
	scenariotest.Refused(t, "crdt: ", crdt.Default, crdt.Config.Validate, crdt.Run, []scenariotest.Bad[crdt.Config]{
		{Set: func(c *crdt.Config) { c.Type = "bag" }, Want: "Type=bag: want one of g-counter"},
		{Set: func(c *crdt.Config) { c.Replicas = 1 }, Want: "Replicas=1: must be between 2 and 64"},
		{Set: func(c *crdt.Config) { c.Replicas = 100 }, Want: "Replicas=100"},
		{Set: func(c *crdt.Config) { c.Operations = -1 }, Want: "Operations=-1"},
		{Set: func(c *crdt.Config) { c.Operations = 1_000_000 }, Want: "Operations=1000000: must be between 1 and 100000"},
		{Set: func(c *crdt.Config) { c.OpRate = -2 }, Want: "OpRate=-2"},
		{Set: func(c *crdt.Config) { c.OpRate = math.NaN() }, Want: "OpRate=NaN"},
		{Set: func(c *crdt.Config) { c.OpRate = math.Inf(1) }, Want: "OpRate=+Inf"},
		{Set: func(c *crdt.Config) { c.OpRate = 1e-300 }, Want: "OpRate=1e-300: must be between 0.001 and 1e+06 ops/s"},
		{Set: func(c *crdt.Config) { c.AddRatio = 2 }, Want: "AddRatio=2"},
		{Set: func(c *crdt.Config) { c.AddRatio = math.NaN() }, Want: "AddRatio=NaN"},
		{Set: func(c *crdt.Config) { c.Elements = -1 }, Want: "Elements=-1"},
		{Set: func(c *crdt.Config) { c.Elements = 1e6 }, Want: "Elements=1000000"},
		{Set: func(c *crdt.Config) { c.MergeProbability = 1.5 }, Want: "MergeProbability=1.5"},
		{Set: func(c *crdt.Config) { c.MergeProbability = -1 }, Want: "MergeProbability=-1: must be between 0.001 and 1 (a share) (or 0: off)"},
		{Set: func(c *crdt.Config) { c.MergeProbability = math.NaN() }, Want: "MergeProbability=NaN"},
		{Set: func(c *crdt.Config) { c.GossipPeriod = -time.Second }, Want: "GossipPeriod=-1s: must be between 1ms and 1h (or 0: off)"},
		{Set: func(c *crdt.Config) { c.GossipPeriod = time.Nanosecond }, Want: "GossipPeriod=1ns"},
		{Set: func(c *crdt.Config) { c.GossipPeriod = math.MaxInt64 }, Want: "GossipPeriod=2562047h47m16.854775807s"},
		{Set: func(c *crdt.Config) { c.Fanout = -1 }, Want: "Fanout=-1"},
		{Set: func(c *crdt.Config) { c.Fanout = 3 }, Want: "Fanout=3: must be less than Replicas=3"},
		{Set: func(c *crdt.Config) { c.FullEvery = -1 }, Want: "FullEvery=-1"},
		{Set: func(c *crdt.Config) { c.Delta, c.GossipPeriod = true, 0 }, Want: "Delta=on: sends deltas in anti-entropy rounds, and GossipPeriod=0 turns them off"},
		{Set: func(c *crdt.Config) { c.NetworkDelay = dist.MustParse("const(2h)") }, Want: "NetworkDelay=const(7200s): its mean must be between 0s and 1h"},
		{Set: func(c *crdt.Config) { c.NetworkDelay = dist.MustParse("exp(5)") }, Want: "NetworkDelay=exp(5): give a distribution of durations"},
		{Set: func(c *crdt.Config) { c.NetworkDelay = dist.AsDuration(dist.LogNorm(-1, 0.3)) }, Want: "NetworkDelay=lognormal(-1s, 0.3)"},
		{Set: func(c *crdt.Config) { c.Loss = 1 }, Want: "Loss=1: must be between 0 and 0.99 (a share)"},
		{Set: func(c *crdt.Config) { c.Loss = -0.1 }, Want: "Loss=-0.1"},
		{Set: func(c *crdt.Config) { c.Partition.Start = -time.Second }, Want: "Partition.Start=-1s"},
		{Set: func(c *crdt.Config) { c.Partition.Duration = -time.Second }, Want: "Partition.Duration=-1s: must be between 1ms and 1000h (or 0: no partition)"},
		{Set: func(c *crdt.Config) { c.Partition.Duration = math.MaxInt64 - 10 }, Want: "Partition.Duration=2562047h47m16.854775797s"},
		{Set: func(c *crdt.Config) { c.Partition = sim.Window{Start: math.MaxInt64 - 10, Duration: time.Second} }, Want: "Partition.Start=2562047h47m16.854775797s"},
		{Set: func(c *crdt.Config) { c.Partition = sim.Window{Start: 10 * time.Minute, Duration: time.Second} }, Want: "Partition.Start=10m: must lie inside the run, which ends by 1m3s"},
		{Set: func(c *crdt.Config) { c.ClockSkew = -time.Second }, Want: "ClockSkew=-1s"},
		{Set: func(c *crdt.Config) { c.ClockSkew = 2 * time.Hour }, Want: "ClockSkew=2h"},
		{Set: func(c *crdt.Config) { c.Window = -time.Second }, Want: "Window=-1s"},
		{Set: func(c *crdt.Config) { c.Window = time.Nanosecond }, Want: "Window=1ns: must be between 1ms and 1h"},
		{Set: func(c *crdt.Config) { c.Window = 2 * time.Minute }, Want: "Window=2m: is longer than MaxTime=1m"},
		{Set: func(c *crdt.Config) { c.Window = time.Millisecond; c.MaxTime = 24 * time.Hour }, Want: "Window=1ms: gives 86403000 samples over the run"},
		{Set: func(c *crdt.Config) { c.MaxTime = -time.Second }, Want: "MaxTime=-1s"},
		{Set: func(c *crdt.Config) { c.MaxTime = 48 * time.Hour }, Want: "MaxTime=48h"},
		{Set: func(c *crdt.Config) { c.Replicas, c.Fanout, c.GossipPeriod = 64, 63, time.Millisecond }, Want: "GossipPeriod=1ms: plans 254016000 messages"},
		{Set: func(c *crdt.Config) { c.Operations, c.OpRate = 100_000, 0.001 }, Want: "OpRate=0.001: spreads Operations=100000 over more than 1000h"},
		{Set: func(c *crdt.Config) { c.Script = make([]crdt.Op, 100_001) }, Want: "Script=[100001 ops]: at most 100000 operations"},
		{Set: func(c *crdt.Config) { c.Script = []crdt.Op{{Replica: 5, Kind: "inc"}} }, Want: "Script[0].Replica=5: must be between 0 and 2"},
		{Set: func(c *crdt.Config) { c.Script = []crdt.Op{{Kind: "remove"}} }, Want: `Script[0].Kind="remove": a g-counter does not support it`},
		{Set: func(c *crdt.Config) { c.Script = []crdt.Op{{At: -time.Second, Kind: "inc"}} }, Want: "Script[0].At=-1s"},
		{Set: func(c *crdt.Config) { c.Script = []crdt.Op{{At: math.MaxInt64 - 10, Kind: "inc"}} }, Want: "Script[0].At=2562047h47m16.854775797s: must be between 0s and 1000h"},
		{Set: func(c *crdt.Config) { c.Script = []crdt.Op{{Kind: "inc", Value: "lots"}} }, Want: `Script[0].Value="lots": a counter's amount must be a whole number`},
		{Set: func(c *crdt.Config) { c.Script = []crdt.Op{{Kind: "inc", Value: "-5"}} }, Want: `Script[0].Value="-5"`},
		{Set: func(c *crdt.Config) { c.Script = []crdt.Op{{Kind: "inc", Value: "9223372036854775807"}} }, Want: `Script[0].Value="9223372036854775807"`},
		{Set: func(c *crdt.Config) {
			c.Type = crdt.ORSetType
			c.Script = []crdt.Op{{Kind: "add", Elem: long}}
		}, Want: "Script[0].Elem=[2000 bytes]: at most 1024 bytes"},
		{Set: func(c *crdt.Config) {
			c.Type = crdt.LWWRegisterType
			c.Script = []crdt.Op{{Kind: "set", Value: long}}
		}, Want: "Script[0].Value=[2000 bytes]"},
	})
}

// The zero Config runs: zero fields take their defaults, and zero gossip
// knobs are off, so the replicas never exchange a message and the run
// ends Diverged after MaxTime.
func TestZeroConfigIsDefaultsWithGossipOff(t *testing.T) {
	res, err := crdt.Run(crdt.Config{MaxTime: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if res.Converged || res.Messages != 0 || res.Config.Replicas != 3 || res.Config.Type != crdt.GCounterType {
		t.Fatalf("converged %v, %d messages, %+v", res.Converged, res.Messages, res.Config)
	}
}

// Default holds the seed's values, the knob table's defaults.
func TestDefaultIsTheSeed(t *testing.T) {
	c := crdt.Default()
	if c.MergeProbability != 0.3 || c.GossipPeriod != time.Second || c.NetworkDelay.String() != "lognormal(500ms, 0.3)" ||
		c.Partition != (sim.Window{Start: 2 * time.Second}) || c.Replicas != 3 || c.OpRate != 10 {
		t.Fatalf("%+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	tab := crdt.KnobTable()
	if got, want := len(tab.Rows), len(crdt.Scenario().Knobs.Knobs()); got != want || got != 18 {
		t.Fatalf("the knob table has %d rows for %d knobs", got, want)
	}
	for _, p := range crdt.Presets() {
		if err := p.Config.Validate(); err != nil {
			t.Errorf("preset %s: %v", p.Name, err)
		}
	}
}

// The command line's view: flags by knob name, the old field names of the
// partition, explicit zeros that mean "off" and those that are refused.
func TestKnobsByName(t *testing.T) {
	k := crdt.Scenario().Knobs
	c := crdt.Default()
	for _, set := range [][2]string{
		{"partition-start", "5s"}, {"PartitionDuration", "3s"}, {"merge", "0"}, {"gossip", "0"},
		{"delay", "200ms"}, {"rate", "120/min"}, {"type", "or-set"}, {"skew", "10ms"},
	} {
		if err := k.Set(&c, set[0], set[1]); err != nil {
			t.Fatalf("%s=%s: %v", set[0], set[1], err)
		}
	}
	if c.Partition != (sim.Window{Start: 5 * time.Second, Duration: 3 * time.Second}) || c.MergeProbability != 0 ||
		c.GossipPeriod != 0 || c.NetworkDelay.String() != "const(200ms)" || c.OpRate != 2 || c.Type != crdt.ORSetType {
		t.Fatalf("%+v", c)
	}
	for _, bad := range [][3]string{
		{"replicas", "0", "Replicas=0: must be between 2 and 64 replicas (leave it unset for the default, 3)"},
		{"window", "0", "Window=0s: must be between 1ms and 1h (leave it unset for the default, 100ms)"},
		{"gossip-period", "-1s", "GossipPeriod=-1s"},
		{"merge-probability", "-1", "MergeProbability=-1"},
		{"type", "bag", "Type=bag"},
	} {
		if err := k.Set(&c, bad[0], bad[1]); err == nil || !strings.Contains(err.Error(), bad[2]) {
			t.Errorf("%s=%s: got %v, want %q", bad[0], bad[1], err, bad[2])
		}
	}
}

// A partition is off with a zero Duration, on with one, and then the
// replicas split; a Start of zero is the start of the run.
func TestPartitionWindow(t *testing.T) {
	c := crdt.Default()
	c.Type, c.Replicas = crdt.ORSetType, 4
	res, err := crdt.Run(c)
	if err != nil || len(res.Spans) != 0 || res.Network.Cut != 0 {
		t.Fatalf("no partition expected: %v, %v", err, res.Spans)
	}
	c.Partition = sim.Window{Duration: 2 * time.Second}
	res, err = crdt.Run(c)
	if err != nil || len(res.Spans) != 1 || res.Spans[0].From != 0 || res.Spans[0].To != 2*sim.Second || res.Network.Cut == 0 {
		t.Fatalf("a partition from 0s to 2s expected: %v, %v", err, res.Spans)
	}
}

func TestDeterminismAcrossProcs(t *testing.T) {
	cfg, _ := crdt.PresetConfig("delta")
	cfg.Seed = 7
	run := func() string {
		res, err := crdt.Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return res.Summary().Text() + res.FinalTable().Text()
	}
	simtest.SameAcrossProcs(t, run)
}

// A cancelled context stops the run with ErrInterrupted, also inside a
// long stretch of gossip rounds.
func TestInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cfg := crdt.Default()
	cfg.Type, cfg.Replicas, cfg.Fanout, cfg.GossipPeriod = crdt.ORSetType, 64, 63, 100*time.Millisecond
	_, err := crdt.RunContext(ctx, cfg)
	if !errors.Is(err, sim.ErrInterrupted) {
		t.Fatalf("got %v, want ErrInterrupted", err)
	}
}
