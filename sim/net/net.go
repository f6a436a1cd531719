package net

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
)

// Node names a node of a Network: its index, in the order nodes were added.
type Node int

// Message is one message on the wire. Body is the sender's payload; the
// network never looks inside it.
type Message struct {
	ID       int64 // unique per network, in send order; a duplicate keeps its original's ID
	From, To Node
	Kind     string // a short label for traces and diagrams: "write", "ack"
	Body     any
	Sent     sim.Time
}

// Handler receives the messages delivered to a node. It runs inside the
// simulation, at the virtual time of delivery.
type Handler func(m Message)

// Config sets the behaviour of every link unless a group or link setting
// overrides its latency.
type Config struct {
	// Latency is the one-way delay of a message, drawn per message. Its
	// variance reorders messages on the same link, as on a real network.
	// Default: constant 1 ms.
	Latency dist.Dist
	// Loss is the probability that a message is lost, in [0, 1).
	Loss float64
	// Duplicate is the probability that a message is delivered twice (the
	// copy with its own delay), in [0, 1).
	Duplicate float64
	// TraceLimit is how many messages the trace keeps (the first ones);
	// later messages are counted, not kept. 0 means 2000; negative turns
	// the trace off.
	TraceLimit int
	// Streams prefixes the names of the network's random streams; empty
	// means "net". Two networks on one Sim need different prefixes, or
	// they draw from the same streams and each shifts the other's draws.
	Streams string
	// LinkStreams gives every link (a sender and a receiver) its own
	// streams for latency, loss and duplication, so that a message's fate
	// depends only on the messages sent before it on its link: a change
	// of timing elsewhere (a fault added or removed) leaves it alone,
	// which keeps a shrunk failure close to the original.
	LinkStreams bool
}

// DefaultTraceLimit is the trace's bound when Config.TraceLimit is 0.
const DefaultTraceLimit = 2000

// Stats counts what happened to the messages sent so far.
type Stats struct {
	Sent       int64 // Send calls that put a message on the wire
	Delivered  int64 // deliveries to a handler, duplicates included
	Lost       int64 // dropped by random loss
	Cut        int64 // dropped by a partition
	Down       int64 // dropped because the sender or receiver was down
	Duplicated int64 // extra copies made
}

type node struct {
	name, group string
	handle      Handler
	up          bool
	epoch       int // restarts so far: a message addressed to an older epoch is dropped
	offset      sim.Time
	drift       float64
	delay       sim.Time // added to every message from or to the node (SetDelay)
	onCrash     func()
	onRestart   func()
}

// Network is a simulated network of nodes. Like the Sim it runs on, it is
// single-threaded and deterministic: every random draw comes from the
// streams "net/latency", "net/loss" and "net/dup" (another prefix than
// "net" with Config.Streams).
type Network struct {
	s         *sim.Sim
	cfg       Config
	nodes     []node
	byName    map[string]Node
	groups    []string      // group names in order of first use
	groupLat  [][]dist.Dist // by group index pair, nil where unset
	linkLat   map[[2]Node]dist.Dist
	cut       [][]int32 // cut[a][b] > 0: messages from a to b are dropped (a count, so overlapping faults heal apart)
	rLat      *rand.Rand
	rLoss     *rand.Rand
	rDup      *rand.Rand
	links     [][]*linkRand // by sender and receiver, with LinkStreams
	bursts    []burst
	prefix    string
	nextBurst int
	nextID    int64
	stats     Stats
	trace     []Record
	untraced  int64
	limit     int
	faults    []Fault
	flights   []*flight // landed, free for the next message
}

// New returns an empty network on s. It fails when a setting is out of
// range, naming the field.
func New(s *sim.Sim, cfg Config) (*Network, error) {
	if cfg.Latency == nil {
		cfg.Latency = dist.AsDuration(dist.Const(0.001))
	}
	if err := checkLatency("Latency", cfg.Latency); err != nil {
		return nil, err
	}
	if !(cfg.Loss >= 0 && cfg.Loss < 1) {
		return nil, fmt.Errorf("net: Loss=%v: must be in [0, 1)", cfg.Loss)
	}
	if !(cfg.Duplicate >= 0 && cfg.Duplicate < 1) {
		return nil, fmt.Errorf("net: Duplicate=%v: must be in [0, 1)", cfg.Duplicate)
	}
	limit := cfg.TraceLimit
	switch {
	case limit == 0:
		limit = DefaultTraceLimit
	case limit < 0:
		limit = 0
	}
	prefix := cfg.Streams
	if prefix == "" {
		prefix = "net"
	}
	return &Network{
		s: s, cfg: cfg, byName: map[string]Node{}, linkLat: map[[2]Node]dist.Dist{},
		rLat: s.Rand(prefix + "/latency"), rLoss: s.Rand(prefix + "/loss"), rDup: s.Rand(prefix + "/dup"),
		limit: limit, prefix: prefix,
	}, nil
}

// checkLatency refuses a distribution that is invalid or whose values would
// be negative on average: a message cannot arrive before it is sent.
func checkLatency(field string, d dist.Dist) error {
	if err := dist.ValidateDuration(d); err != nil {
		return fmt.Errorf("net: %s=%v: %v", field, d, err)
	}
	if m := d.Mean(); m < 0 || math.IsNaN(m) {
		return fmt.Errorf("net: %s=%v: latency must not be negative", field, d)
	}
	return nil
}

// Sim returns the simulator the network runs on.
func (n *Network) Sim() *sim.Sim { return n.s }

// Add adds a node with a unique name, in a group (a rack, a region, a side
// of the room; "" is a group too), delivering to h. h may be nil and set
// later with Handle, for nodes that need their own Node to build it.
func (n *Network) Add(name, group string, h Handler) (Node, error) {
	if name == "" {
		return 0, fmt.Errorf("net: node name is empty")
	}
	if _, dup := n.byName[name]; dup {
		return 0, fmt.Errorf("net: node %q added twice", name)
	}
	id := Node(len(n.nodes))
	n.nodes = append(n.nodes, node{name: name, group: group, handle: h, up: true})
	n.byName[name] = id
	n.groupIndex(group)
	for i := range n.cut {
		n.cut[i] = append(n.cut[i], 0)
	}
	n.cut = append(n.cut, make([]int32, len(n.nodes)))
	return id, nil
}

func (n *Network) groupIndex(g string) int {
	for i, name := range n.groups {
		if name == g {
			return i
		}
	}
	n.groups = append(n.groups, g)
	for i := range n.groupLat {
		n.groupLat[i] = append(n.groupLat[i], nil)
	}
	n.groupLat = append(n.groupLat, make([]dist.Dist, len(n.groups)))
	return len(n.groups) - 1
}

// Handle sets the handler of node id.
func (n *Network) Handle(id Node, h Handler) { n.nodes[id].handle = h }

// Lookup returns the node with the given name.
func (n *Network) Lookup(name string) (Node, bool) {
	id, ok := n.byName[name]
	return id, ok
}

// Len is the number of nodes.
func (n *Network) Len() int { return len(n.nodes) }

// Name returns a node's name.
func (n *Network) Name(id Node) string { return n.nodes[id].name }

// Group returns a node's group.
func (n *Network) Group(id Node) string { return n.nodes[id].group }

// Names returns every node's name, in order.
func (n *Network) Names() []string {
	out := make([]string, len(n.nodes))
	for i, nd := range n.nodes {
		out[i] = nd.name
	}
	return out
}

// SetGroupLatency sets the one-way latency between every node of group a
// and every node of group b, both ways (a may equal b: within a group).
// Link settings override it.
func (n *Network) SetGroupLatency(a, b string, d dist.Dist) error {
	if err := checkLatency(fmt.Sprintf("latency %s-%s", a, b), d); err != nil {
		return err
	}
	i, j := n.groupIndex(a), n.groupIndex(b)
	n.groupLat[i][j], n.groupLat[j][i] = d, d
	return nil
}

// SetLinkLatency sets the one-way latency between nodes a and b, both ways.
func (n *Network) SetLinkLatency(a, b Node, d dist.Dist) error {
	if err := checkLatency(fmt.Sprintf("latency %s-%s", n.nodes[a].name, n.nodes[b].name), d); err != nil {
		return err
	}
	n.linkLat[[2]Node{a, b}], n.linkLat[[2]Node{b, a}] = d, d
	return nil
}

// latency returns the distribution that applies from a to b.
func (n *Network) latency(a, b Node) dist.Dist {
	if d, ok := n.linkLat[[2]Node{a, b}]; ok {
		return d
	}
	if d := n.groupLat[n.groupIndex(n.nodes[a].group)][n.groupIndex(n.nodes[b].group)]; d != nil {
		return d
	}
	return n.cfg.Latency
}

// Send puts a message from one node to another on the wire and reports
// whether it left: a node that is down sends nothing. Whether it arrives
// is decided by loss, partitions (at sending and at arrival) and the
// receiver being up. A node may send to itself; that message is delivered
// after the same latency draw as any other. Cost: one event per copy.
func (n *Network) Send(from, to Node, kind string, body any) bool {
	if !n.nodes[from].up {
		n.stats.Down++
		return false
	}
	n.nextID++
	m := Message{ID: n.nextID, From: from, To: to, Kind: kind, Body: body, Sent: n.s.Now()}
	n.stats.Sent++
	n.launch(m, false)
	if n.duplicated(from, to) {
		n.stats.Duplicated++
		n.launch(m, true)
	}
	return true
}

func (n *Network) launch(m Message, dup bool) {
	rec := n.record(m, dup)
	switch {
	case n.cut[m.From][m.To] > 0:
		n.stats.Cut++
		n.settle(rec, m.Sent, Cut)
		return
	case n.lost(m.From, m.To):
		n.stats.Lost++
		n.settle(rec, m.Sent, Lost)
		return
	}
	d := dist.Time(n.latency(m.From, m.To), n.latencyRand(m.From, m.To)) + n.nodes[m.From].delay + n.nodes[m.To].delay
	f := n.flight()
	f.m, f.epoch, f.rec = m, n.nodes[m.To].epoch, rec
	n.s.After(d, f.fire)
}

// flight is a message on its way: the event of its arrival. Flights are
// reused once they have landed, each with its fire bound once, so that a
// message in flight costs no closure: a network that carries thousands of
// messages allocates as many flights as are ever in the air at once.
type flight struct {
	n     *Network
	m     Message
	epoch int
	rec   int
	fire  func()
}

func (n *Network) flight() *flight {
	if k := len(n.flights); k > 0 {
		f := n.flights[k-1]
		n.flights = n.flights[:k-1]
		return f
	}
	f := &flight{n: n}
	f.fire = f.land
	return f
}

// land is the arrival: the flight is free again before the receiver's
// handler runs, and may carry what it sends.
func (f *flight) land() {
	n, m, epoch, rec := f.n, f.m, f.epoch, f.rec
	f.m = Message{}
	n.flights = append(n.flights, f)
	n.arrive(m, epoch, rec)
}

func (n *Network) arrive(m Message, epoch int, rec int) {
	to := &n.nodes[m.To]
	switch {
	case n.cut[m.From][m.To] > 0:
		n.stats.Cut++
		n.settle(rec, n.s.Now(), Cut)
	case !to.up || to.epoch != epoch:
		n.stats.Down++
		n.settle(rec, n.s.Now(), Down)
	default:
		n.stats.Delivered++
		n.settle(rec, n.s.Now(), Delivered)
		if to.handle != nil {
			to.handle(m)
		}
	}
}

// Stats returns the message counts so far.
func (n *Network) Stats() Stats { return n.stats }

// Reachable reports whether a message from a to b would be delivered now
// (ignoring random loss): both up and no partition between them. Protocols
// that model a perfect failure detector use it; the others should not.
func (n *Network) Reachable(a, b Node) bool {
	return n.nodes[a].up && n.nodes[b].up && n.cut[a][b] == 0
}

// Up reports whether a node is running.
func (n *Network) Up(id Node) bool { return n.nodes[id].up }

// SetClock gives a node a local clock that reads
// now + offset + drift*now: offset is where it starts, drift its rate error
// (1e-4 is 100 ppm fast; negative is slow).
func (n *Network) SetClock(id Node, offset time.Duration, drift float64) error {
	if math.IsNaN(drift) || drift <= -1 || drift >= 1 {
		return fmt.Errorf("net: drift of %s=%v: must be in (-1, 1)", n.nodes[id].name, drift)
	}
	n.nodes[id].offset, n.nodes[id].drift = sim.FromDuration(offset), drift
	return nil
}

// Clock returns a node's local time now. Local clocks may disagree with
// each other and with virtual time; ordering anything by them is what
// lets clock skew break a protocol.
func (n *Network) Clock(id Node) sim.Time {
	nd := &n.nodes[id]
	now := n.s.Now()
	return now + nd.offset + sim.Time(nd.drift*float64(now))
}

// OnCrash and OnRestart set functions run when a node crashes or restarts
// (to drop volatile state, or to resume timers). Either may be nil.
func (n *Network) OnCrash(id Node, fn func())   { n.nodes[id].onCrash = fn }
func (n *Network) OnRestart(id Node, fn func()) { n.nodes[id].onRestart = fn }

// Crash stops a node now: it sends nothing, and messages to it (including
// those already in flight) are dropped, as a reset connection would.
func (n *Network) Crash(id Node) {
	nd := &n.nodes[id]
	if !nd.up {
		return
	}
	nd.up = false
	nd.epoch++
	if nd.onCrash != nil {
		nd.onCrash()
	}
}

// Restart brings a crashed node back.
func (n *Network) Restart(id Node) {
	nd := &n.nodes[id]
	if nd.up {
		return
	}
	nd.up = true
	if nd.onRestart != nil {
		nd.onRestart()
	}
}

// Partition cuts every link between nodes on different sides, both ways.
// Nodes on no side keep their links. Cuts add up: an existing cut stays.
func (n *Network) Partition(sides ...[]Node) {
	for i, a := range sides {
		for j, b := range sides {
			if i != j {
				n.cutAll(a, b, 1)
			}
		}
	}
}

// CutOneWay drops messages from every node of from to every node of to,
// leaving the other direction open.
func (n *Network) CutOneWay(from, to []Node) { n.cutAll(from, to, 1) }

// Heal restores every link, whatever cut it.
func (n *Network) Heal() {
	for i := range n.cut {
		clear(n.cut[i])
	}
}

// cutAll adds d to the cut count of every link from -> to.
func (n *Network) cutAll(from, to []Node, d int32) {
	for _, a := range from {
		for _, b := range to {
			if a != b {
				n.cut[a][b] = max(0, n.cut[a][b]+d)
			}
		}
	}
}
