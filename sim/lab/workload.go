package lab

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	"dsim/sim"
)

// workload is one of Maelstrom's workloads: the requests its clients
// make, what they remember of the answers, its final reads and its
// checkers.
type workload interface {
	setup(c *cluster)                         // at time zero, before any request
	next(cl *client) Body                     // a client's next request
	observe(cl *client, req Body, done Event) // a client's request ended
	final(c *cluster, done func())            // the final reads; done when they are over
	checkers() []Checker
}

var workloads = map[string]func() workload{
	"echo":       func() workload { return echoWorkload{} },
	"unique-ids": func() workload { return idsWorkload{} },
	"broadcast":  func() workload { return broadcastWorkload{} },
	"g-counter":  func() workload { return counterWorkload{negative: false} },
	"pn-counter": func() workload { return counterWorkload{negative: true} },
	"lin-kv":     func() workload { return kvWorkload{} },
	"kafka":      func() workload { return kafkaWorkload{} },
	"bank":       func() workload { return bankWorkload{} },
}

// WorkloadNames returns the workloads' names, in order.
func WorkloadNames() []string {
	return []string{"echo", "unique-ids", "broadcast", "g-counter", "pn-counter", "lin-kv", "kafka", "bank"}
}

// nothingFinal is the final phase of the workloads that have none.
type nothingFinal struct{}

func (nothingFinal) final(c *cluster, done func()) { done() }
func (nothingFinal) setup(*cluster)                {}
func (nothingFinal) observe(*client, Body, Event)  {}

type echoWorkload struct{ nothingFinal }

func (echoWorkload) next(cl *client) Body {
	return Body{Type: "echo", Echo: fmt.Sprintf("%s says %d", cl.id, cl.nextID+1)}
}
func (echoWorkload) checkers() []Checker { return []Checker{EchoChecker()} }

type idsWorkload struct{ nothingFinal }

func (idsWorkload) next(*client) Body   { return Body{Type: "generate"} }
func (idsWorkload) checkers() []Checker { return []Checker{UniqueIDsChecker()} }

// broadcastWorkload sends each node its neighbours, then broadcasts fresh
// numbers and reads them back; the final reads ask every node.
type broadcastWorkload struct{}

func (broadcastWorkload) setup(c *cluster) {
	top := topology(c.t.Topology, c.nodeIDs)
	for i := range c.nodes {
		cl := c.clients[i%len(c.clients)]
		cl.request(Body{Type: "topology", Topology: top}, i, false, func(Event) {})
	}
}

func (broadcastWorkload) next(cl *client) Body {
	if cl.rng.IntN(4) == 0 {
		return Body{Type: "read"}
	}
	v := cl.c.values
	cl.c.values++
	return Body{Type: "broadcast", Message: v}
}

func (broadcastWorkload) observe(*client, Body, Event)  {}
func (broadcastWorkload) final(c *cluster, done func()) { c.readEach(Body{Type: "read"}, done) }
func (broadcastWorkload) checkers() []Checker           { return []Checker{BroadcastChecker()} }

// readEach sends req to every node from the clients in turn, each
// retried until it is answered (at most finalTries times), then calls
// done.
func (c *cluster) readEach(req Body, done func()) {
	left := len(c.nodes)
	for i := range c.nodes {
		cl := c.clients[i%len(c.clients)]
		tries := 0
		var try func(Event)
		try = func(e Event) {
			if e.Type == OK || tries >= finalTries {
				if left--; left == 0 {
					done()
				}
				return
			}
			tries++
			cl.request(req, i, true, try)
		}
		try(Event{Type: Fail})
	}
}

// finalTries is how often a final read is tried before the checker is
// told the node never answered.
const finalTries = 5

// topology returns Maelstrom's neighbour map of the given kind.
func topology(kind string, nodes []string) map[string][]string {
	n := len(nodes)
	top := make(map[string][]string, n)
	switch kind {
	case "total":
		for i, a := range nodes {
			for j, b := range nodes {
				if i != j {
					top[a] = append(top[a], b)
				}
			}
		}
	case "line":
		for i, a := range nodes {
			top[a] = []string{}
			if i > 0 {
				top[a] = append(top[a], nodes[i-1])
			}
			if i < n-1 {
				top[a] = append(top[a], nodes[i+1])
			}
		}
	case "tree":
		for i, a := range nodes {
			top[a] = []string{}
			if i > 0 {
				top[a] = append(top[a], nodes[(i-1)/4])
			}
			for k := 4*i + 1; k <= 4*i+4 && k < n; k++ {
				top[a] = append(top[a], nodes[k])
			}
		}
	default: // grid: a square as near as can be, four neighbours at most
		side := int(math.Ceil(math.Sqrt(float64(n))))
		for i, a := range nodes {
			top[a] = []string{}
			r, col := i/side, i%side
			for _, d := range [][2]int{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
				rr, cc := r+d[0], col+d[1]
				if rr < 0 || cc < 0 || cc >= side {
					continue
				}
				if j := rr*side + cc; j < n {
					top[a] = append(top[a], nodes[j])
				}
			}
		}
	}
	return top
}

func validTopology(kind string) bool {
	switch kind {
	case "grid", "line", "total", "tree":
		return true
	}
	return false
}

// counterWorkload adds deltas (negative ones too for the pn-counter) and
// reads the total; the final reads ask every node.
type counterWorkload struct{ negative bool }

func (counterWorkload) setup(*cluster) {}
func (w counterWorkload) next(cl *client) Body {
	if cl.rng.IntN(4) == 0 {
		return Body{Type: "read"}
	}
	if w.negative {
		return Body{Type: "add", Delta: int64(cl.rng.IntN(11) - 5)}
	}
	return Body{Type: "add", Delta: int64(cl.rng.IntN(6))}
}
func (counterWorkload) observe(*client, Body, Event)  {}
func (counterWorkload) final(c *cluster, done func()) { c.readEach(Body{Type: "read"}, done) }
func (w counterWorkload) checkers() []Checker         { return []Checker{CounterChecker()} }

// kvWorkload reads, writes and compares-and-sets a few keys. Written
// values are unique, so the checker can tell writes apart; a cas expects
// the last value its client saw.
type kvWorkload struct{ nothingFinal }

func (kvWorkload) next(cl *client) Body {
	key := strconv.Itoa(cl.rng.IntN(cl.c.t.Keys))
	switch cl.rng.IntN(3) {
	case 0:
		return Body{Type: "read", Key: key}
	case 1:
		cl.c.values++
		return Body{Type: "write", Key: key, Value: cl.c.values}
	}
	cl.c.values++
	return Body{Type: "cas", Key: key, From: cl.seen[key], To: cl.c.values}
}

func (kvWorkload) observe(cl *client, req Body, done Event) {
	switch {
	case done.Type == OK && req.Type == "read":
		cl.seen[req.Key] = done.Body.Value
	case done.Type == OK && req.Type == "write":
		cl.seen[req.Key] = req.Value
	case done.Type == OK && req.Type == "cas":
		cl.seen[req.Key] = req.To
	}
}
func (kvWorkload) checkers() []Checker { return []Checker{LinearizableChecker()} }

// kafkaWorkload sends to a few logs, polls them from where the client got
// to, commits what it polled and reads the committed offsets; the final
// polls read every log from its start.
type kafkaWorkload struct{}

func (kafkaWorkload) setup(*cluster) {}

func (kafkaWorkload) next(cl *client) Body {
	t := cl.c.t
	switch r := cl.rng.IntN(20); {
	case r < 10:
		cl.c.values++
		return Body{Type: "send", Key: "k" + strconv.Itoa(cl.rng.IntN(t.Keys)), Msg: cl.c.values}
	case r < 16:
		offs := map[string]int64{}
		for k := 0; k < t.Keys; k++ {
			key := "k" + strconv.Itoa(k)
			offs[key] = cl.seen[key]
		}
		return Body{Type: "poll", Offsets: offs}
	case r < 19 && len(cl.consumed) > 0:
		offs := map[string]int64{}
		for k, v := range cl.consumed {
			offs[k] = v
		}
		return Body{Type: "commit_offsets", Offsets: offs}
	}
	keys := make([]string, t.Keys)
	for k := range keys {
		keys[k] = "k" + strconv.Itoa(k)
	}
	return Body{Type: "list_committed_offsets", Keys: keys}
}

func (kafkaWorkload) observe(cl *client, req Body, done Event) {
	if done.Type != OK || req.Type != "poll" {
		return
	}
	for k, msgs := range done.Body.Msgs {
		if len(msgs) == 0 {
			continue
		}
		last := msgs[len(msgs)-1][0]
		if last+1 > cl.seen[k] {
			cl.seen[k] = last + 1
		}
		if last > cl.consumed[k] || !has(cl.consumed, k) {
			cl.consumed[k] = last
		}
	}
}

func has(m map[string]int64, k string) bool { _, ok := m[k]; return ok }

// final polls every key from offset 0 until a poll brings nothing new.
func (kafkaWorkload) final(c *cluster, done func()) {
	keys := make([]string, c.t.Keys)
	for k := range keys {
		keys[k] = "k" + strconv.Itoa(k)
	}
	sort.Strings(keys)
	left := len(keys)
	for i, key := range keys {
		cl := c.clients[i%len(c.clients)]
		node := i % len(c.nodes)
		from, tries, polls := int64(0), 0, 0
		var poll func(Event)
		poll = func(e Event) {
			switch {
			case e.Type == OK && len(e.Body.Msgs[key]) > 0 && polls < maxFinalPolls:
				msgs := e.Body.Msgs[key]
				from = msgs[len(msgs)-1][0] + 1
				tries = 0
			case e.Type == OK || tries >= finalTries || polls >= maxFinalPolls:
				if left--; left == 0 {
					done()
				}
				return
			default:
				tries++
			}
			polls++
			cl.request(Body{Type: "poll", Offsets: map[string]int64{key: from}}, node, true, poll)
		}
		poll(Event{Type: Fail})
	}
}

// maxFinalPolls bounds the final polls of one key.
const maxFinalPolls = 10_000

func (kafkaWorkload) checkers() []Checker { return []Checker{KafkaChecker()} }

// timeOf is a duration as virtual time.
func timeOf(d time.Duration) sim.Time { return sim.FromDuration(d) }
