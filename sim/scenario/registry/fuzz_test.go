package registry_test

import (
	"context"
	"errors"
	"flag"
	"strconv"
	"strings"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/scenario"
	"dsim/sim/scenario/registry"
)

// The fuzz targets set knobs of a scenario from text, as the command line
// and the explorer do, then validate and run what is valid for a moment
// of wall time and draw its figures. Whatever the text: no panic, errors
// that name the scenario, and a run that ends or is interrupted.
//
// An input is a preset's index and lines of NAME=VALUE.

func FuzzQueueing(f *testing.F)   { fuzzScenario(f, "queueing") }
func FuzzMetastable(f *testing.F) { fuzzScenario(f, "metastable") }
func FuzzClocks(f *testing.F) {
	fuzzScenario(f, "clocks",
		"MaxEvents=5000\nWriteRate=1000\nMessageRate=1000\nClients=16\nProcesses=16",
		"SyncPeriod=1ms\nDuration=24h",
		"Tokens=on\nClients=3\nLoss=0.99\nTimeout=1ms",
		"Latency=0s\nSyncLatency=0s\nDriftPPM=100000\nSkew=1h",
		"Window=1ms\nDuration=100ms",
		"WriteRate=0\nMessageRate=0")
}
func FuzzQuorum(f *testing.F) {
	fuzzScenario(f, "quorum", "NodeLatency=lognormal(1ms, 3)", "NetworkLatency=pareto(1ms, 1.01)", "Model=eventual\nPartition.Duration=24h",
		"WriteRatio=50%", "Rate=300/min", "LocalLatency=normal(1ms, 10ms)", "HandoffInterval=1ms\nDuration=24h", "Keys=100000\nClients=1000")
}
func FuzzCsi(f *testing.F) {
	fuzzScenario(f, "csi", "NetworkDelay=pareto(1ms, 0.5)", "Downstream.LatencyNoise=normal(1, 10)",
		"Downstream.LatencyNoise=mix(0.5: const(0.01), 0.5: const(100))", "Duration=1s\nWindow=1ms")
}
func FuzzBalance(f *testing.F) {
	fuzzScenario(f, "balance",
		"Servers=500\nLoad=0.99\nDuration=20000s",
		"Policy=sticky\nKeys=1000000\nKeySkew=3",
		"Policy=consistent-hash\nLoadBound=1\nLeaveAt=1s\nServers=2",
		"SlowFactor=1000\nSlowServers=50\nServers=50\nDuration=1s",
		"LoadAge=1h\nPolicy=least-outstanding",
		"Service=pareto(1ms, 1.01)\nSlots=64",
		"Window=1ms\nDuration=1s")
}
func FuzzCrdt(f *testing.F) {
	fuzzScenario(f, "crdt",
		"Window=1ns\nMaxTime=24h\nGossipPeriod=1ms",
		"Partition.Start=1000h\nPartition.Duration=1000h\nType=or-set",
		"NetworkDelay=pareto(1ms, 1.1)\nLoss=0.99\nDelta=on",
		"OpRate=0.001/min\nOperations=100000\nElements=1",
		"Replicas=64\nFanout=63\nFullEvery=1",
		"ClockSkew=1h\nType=lww-map\nMergeProbability=1",
		"NetworkDelay=0s\nGossipPeriod=0\nMergeProbability=0")
}

func FuzzCache(f *testing.F) {
	fuzzScenario(f, "cache",
		"Keys=1000000\nCapacity=1000000\nWarm=on\nTTL=1ms",
		"Rate=1000000\nDuration=100h",
		"MaxRetries=20\nTimeout=1ms\nDBSlots=1\nDBService=exp(1m)",
		"EarlyRefresh=100\nTTL=1ms\nCoalesce=on\nLookAside=on",
		"FlushAt=1ms\nDuration=100ms\nWindow=1ms",
		"Writes=1\nWritePolicy=write-back\nFlushAt=30s",
		"Skew=5\nKeys=1\nCapacity=1")
}

func FuzzScaling(f *testing.F) {
	fuzzScenario(f, "scaling",
		"Users=2000\nSteps=50\nDuration=1000s",
		"Experiment=threads\nThreads=1024\nCoherency=1s\nLock=exp(1m)",
		"Experiment=threads\nWork=const(1us)\nLock=const(1us)\nDuration=1s",
		"Think=exp(1h)\nDuration=24h",
		"Think=const(1ms)\nWeb=pareto(1us, 1.01)\nDisk=const(1m)",
		"Users=2\nSteps=1\nDuration=1s")
}

func FuzzElastic(f *testing.F) {
	fuzzScenario(f, "elastic",
		"Rate=100000\nPeak=100000\nDuration=48h",
		"Users=100000\nThink=const(0s)\nMax=200\nSlots=1000",
		"Deploy=function\nBurst=1\nGrowth=0\nReserved=0\nNeighbour=100000",
		"Deploy=function\nBurst=10000000\nReserved=9999999\nGrowth=10000000",
		"Policy=step\nStep=200\nInStep=200\nMin=1\nMax=200\nCooldown=0s\nPeriod=1s",
		"Pattern=spike\nSurge.Start=0s\nSurge.Duration=1s\nService=pareto(1ms, 1.01)",
		"Window=1s\nDuration=1m\nWarmup=1h")
}

func FuzzMessaging(f *testing.F) {
	fuzzScenario(f, "messaging",
		"Rate=1000000\nDuration=100h",
		"MaxDepth=1\nWorkers=1\nService=const(1h)\nRate=1000000\nDuration=10s\nDrain=1ms",
		"AckLoss=0.99\nVisibility=1ms\nService=pareto(1ms, 1.01)",
		"Poison=1\nMaxDeliveries=1000\nVisibility=1ms",
		"Idempotent=on\nDedupTTL=1ms\nAckLoss=0.5\nConsumers=100\nWorkers=1000",
		"CrashEvery=100ms\nCrashFor=99ms\nAck=before",
		"Overflow=drop\nMaxDepth=1\nProducerTimeout=1ms",
		"Window=1ms\nDuration=100s\nDrain=99s",
		"Keys=1000000\nPartitions=1024\nCommitEvery=100000\nCrashEvery=100ms\nCrashFor=99ms",
		"Partitions=1\nPoison=1\nMaxDeliveries=1\nKeys=1",
		"PublishLoss=0.99\nProducerTimeout=1ms\nProducerRetries=100\nRate=1000000\nDuration=20s",
		"PublishLoss=0.5\nProducerTimeout=1ms\nProducerRetries=100\nIdempotent=on\nDedupTTL=1ms",
		"WriteMode=outbox\nRelayBatch=100000\nWriterCrashEvery=100ms\nWriterCrashFor=99ms\nRate=1000000\nDuration=10s\nDrain=1ms",
		"WriteMode=publish-then-commit\nWriterCrashEvery=100ms\nWriterCrashFor=1ms\nMaxDepth=1\nOverflow=drop")
}

// fuzzScenario fuzzes the scenario called name; extra are more seeds of
// NAME=VALUE lines, cases that broke it before.
func fuzzScenario(f *testing.F, name string, extra ...string) {
	s, err := registry.Find(name)
	if err != nil {
		f.Fatal(err)
	}
	// The seed corpus: each preset as it is, and every knob at its
	// default, at each end of its range and just beyond, at zero, and at
	// values that broke scenarios before (overflowing durations, 1ns
	// windows, NaN).
	for i := range s.Presets {
		f.Add(uint8(i), "")
	}
	for _, k := range s.Knobs.Knobs() {
		for _, v := range edgeTexts(k) {
			f.Add(uint8(len(k.Name)), k.Name+"="+v)
		}
	}
	for _, e := range extra {
		f.Add(uint8(0), e)
	}
	f.Add(uint8(0), "Duration=1000h\nWindow=1ms")
	f.Add(uint8(1), "Window=1ns")
	f.Fuzz(func(t *testing.T, preset uint8, settings string) {
		p := s.Presets[int(preset)%len(s.Presets)]
		base, err := s.Preset(p.Name)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := s.Copy(base)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(settings, "\n") {
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				continue
			}
			if err := s.Knobs.Set(cfg, k, v); err != nil {
				if !strings.HasPrefix(err.Error(), name+": ") {
					t.Fatalf("Set(%q, %q): error without the scenario's name: %v", k, v, err)
				}
			}
		}
		if err := s.Validate(cfg); err != nil {
			if !strings.HasPrefix(err.Error(), name+": ") {
				t.Fatalf("Validate: error without the scenario's name: %v", err)
			}
			return
		}
		// Under go test (not fuzzing) the seed corpus runs briefly: the
		// presets whole with their figures, the edge values for a moment.
		limit, draw := 20*time.Millisecond, settings == ""
		if fuzzing() {
			limit, draw = 200*time.Millisecond, true
		} else if draw {
			limit = time.Second
		}
		ctx, cancel := context.WithTimeout(context.Background(), limit)
		defer cancel()
		r, err := s.Run(ctx, cfg)
		if err != nil {
			var se *sim.Error
			if errors.Is(err, sim.ErrInterrupted) || errors.Is(err, context.DeadlineExceeded) || errors.As(err, &se) && se.Stack == "" {
				return // interrupted, or a limit the run names
			}
			t.Fatalf("%s with %q: %v", p.Name, settings, err)
		}
		if r.Summary == nil || r.Verdict == nil || r.Verdict.String() == "" || r.Outcome == "" {
			t.Fatalf("%s with %q: an empty report", p.Name, settings)
		}
		if !draw {
			return
		}
		for _, fig := range r.Figures() {
			if _, err := fig.SVG(); err != nil {
				t.Fatalf("%s with %q: figure %s: %v", p.Name, settings, fig.Name, err)
			}
		}
	})
}

// fuzzing reports whether go test runs with -fuzz.
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

// edgeTexts are the texts a knob is most likely to break at.
func edgeTexts(k scenario.Knob) []string {
	switch k.Kind {
	case scenario.Switch:
		return []string{"on", "off"}
	case scenario.Choice:
		return append([]string{"nope"}, k.Choices...)
	case scenario.Dist:
		return []string{"exp(1us)", "exp(1h)", "gamma(1s, 1e200)", "lognorm(1s, 1e300)", "normal(1ms, 1h)", "shift(-1ms, exp(1ms))", "mix(0.5: exp(1ms), 0.5: const(2h))",
			"0.5", "-1", "1e300", "500ms"}
	case scenario.Text:
		return []string{"", "0s:1", "1s:5, 2s:0", "x"}
	case scenario.Duration:
		return []string{"0", "1ns", "1ms", "2562047h47m", "-1s", time.Duration(k.Min).String(), time.Duration(k.Max).String(), time.Duration(k.Max + 1).String()}
	}
	lo, hi := k.Min, k.Max
	texts := []string{"0", "-1", "NaN", "1e308", fmtG(lo), fmtG(hi), fmtG(hi * 1.0001), fmtG(lo / 2)}
	// The forms a unit allows: a percentage, a rate's period, a size.
	switch {
	case k.Unit == "share" || k.Unit == "chance":
		texts = append(texts, "5%", "150%", "-0%")
	case strings.Contains(k.Unit, "/"):
		texts = append(texts, "60/min", "1/7s", "1e9/h", "5/0s")
	case k.Unit == "MB":
		texts = append(texts, "1GiB", "1.5GB", "99999TB", "-1MB")
	}
	return texts
}

func fmtG(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
