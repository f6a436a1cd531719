package quorum

import (
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/scenario/internal/describe"
)

// Preset is a named configuration that reproduces one experiment of the
// lesson.
type Preset = describe.Named[Config]

// Presets returns the lesson's experiments, in teaching order.
func Presets() []Preset {
	lan := Default()
	lan.NetworkLatency = dist.MustParse("lognormal(1ms, 0.3)")
	wan := Default()
	wan.NetworkLatency = dist.MustParse("lognormal(75ms, 0.3)")
	wan.Regions = 5
	weakWAN := wan
	weakWAN.Model = Weak

	strongPart := Default()
	strongPart.Partition = sim.Window{Start: 10 * time.Second, Duration: 10 * time.Second}
	eventualPart := strongPart
	eventualPart.Model = Eventual

	sloppy := strongPart
	sloppy.SloppyQuorum = true

	skew := Default()
	skew.ClockSkew = 100 * time.Millisecond
	skew.Keys = 2
	skew.WriteRatio = 0.6

	// Replicas that stall: 40% of requests wait ~200ms (a slow disk, a
	// pause), on a fast network, so a write can sit on one or two
	// replicas while reads come and go.
	stalls := Default()
	stalls.NetworkLatency = dist.MustParse("lognormal(5ms, 0.3)")
	stalls.NodeLatency = dist.MustParse("mix(0.6: lognormal(5ms, 0.3), 0.4: lognormal(200ms, 0.3))")
	stalls.Keys = 1
	stalls.Clients = 10

	abd := skew
	abd.Versioning = Counters
	abd.ReadRepair = SyncRepair

	return []Preset{
		{Name: "lan", Description: "Else (normal operation), in one datacenter: Strong quorums (R=W=3 of 5) with 1ms between nodes. Consistency costs two short round trips.", Config: lan},
		{Name: "wan", Description: "The same store across five regions, one replica and one client in each, 75ms apart: a quorum needs two remote replicas, so every operation waits for WAN round trips.", Config: wan},
		{Name: "wan-weak", Description: "The five-region store with Weak (R=W=1): the local replica answers first, so latency falls to LAN times; the price is that reads may be stale.", Config: weakWAN},
		{Name: "partition-strong", Description: "A partition from 10s to 20s under Strong: the minority side (2 replicas) cannot form a quorum and fails; the majority side carries on. C over A.", Config: strongPart},
		{Name: "partition-eventual", Description: "The same partition under Eventual: both sides keep answering, and reads go stale until replication catches up after the heal. A over C.", Config: eventualPart},
		{Name: "sloppy-quorum", Description: "Strong quorums with a sloppy quorum and hinted handoff: under the partition the minority side writes to standbys and stays available, and R+W>N no longer means reads see the last write.", Config: sloppy},
		{Name: "slow-replicas", Description: "Strong quorums (R=W=3 of 5, asynchronous read repair, synchronised clocks) whose replicas stall: 40% of requests take ~200ms. A read that meets a write still on one or two replicas returns it; a later read whose quorum misses them returns the older value. No read is stale, yet in most seeds the history is not linearizable.", Config: stalls},
		{Name: "lww-skew", Description: "Strong quorums, no faults, but client clocks up to 100ms apart: last-writer-wins by timestamp keeps an older write over a newer one a client saw acknowledged.", Config: skew},
		{Name: "abd", Description: "The skewed clocks again, with version counters (a write reads the highest version first) and synchronous read repair: the ABD register, linearizable whatever the clocks.", Config: abd},
	}
}

// PresetConfig returns the configuration of the named preset.
func PresetConfig(name string) (Config, error) { return describe.Find(knobs, Presets(), name) }

// PBSCurves computes t-visibility for every profile of the paper at the
// given N, R and W, with the same seed.
func PBSCurves(n, r, w int, seed uint64) ([]PBSResult, error) {
	var out []PBSResult
	for _, p := range Profiles() {
		res, err := PBS(PBSConfig{Profile: p, N: n, R: r, W: w, Seed: seed})
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	return out, nil
}
