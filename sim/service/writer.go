package service

import (
	"fmt"
	"math/rand/v2"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/metrics"
)

// WriteMode is how a Writer gets an order into its database and the
// order's event onto a broker.
type WriteMode string

// The write modes.
const (
	// CommitThenPublish commits, then publishes: a dual write. A crash
	// between the two loses the event: the order is in the database and
	// no one downstream ever hears of it.
	CommitThenPublish WriteMode = "commit-then-publish"
	// PublishThenCommit publishes, then commits: the other dual write. A
	// crash between the two publishes a phantom: an event for an order
	// the database never got.
	PublishThenCommit WriteMode = "publish-then-commit"
	// Outbox commits the order and its event together, in one
	// transaction, to an outbox table; a relay publishes the outbox's
	// oldest rows, up to RelayBatch at once (one Publish draw), then marks
	// them sent (one Commit draw). Nothing is lost and nothing is a
	// phantom; a relay that crashes between publishing rows and marking
	// them publishes them again, copies an idempotent consumer skips.
	Outbox WriteMode = "outbox"
)

// WriteModes lists the write modes.
func WriteModes() []WriteMode { return []WriteMode{CommitThenPublish, PublishThenCommit, Outbox} }

// Writer is a service that takes orders (calls) and, for each, commits
// it to its database and publishes its event to Broker, as Mode says; a
// database commit takes a draw from Commit, a publication a draw from
// Publish (the trip to the broker and its answer). It answers the call
// once both are done (an outbox order, once committed), on Slots at once;
// more wait in line.
//
// The checker: every order is committed or not, its event published or
// not; LostEvents counts orders committed whose event never reached the
// broker, Phantoms events the broker took for orders never committed.
//
// Faults: a Crash fails the orders in progress (the database keeps what
// was committed) and stops the relay until the restart; Slowdown
// lengthens the steps begun during it.
//
// Random streams: NAME/commit, NAME/publish.
type Writer struct {
	Name    string
	Broker  string    // where events go
	Mode    WriteMode // "" is CommitThenPublish
	Slots   int       // orders in progress at once, 1 to MaxSlots
	Commit  dist.Dist // a database commit's time (an outbox relay's mark too)
	Publish dist.Dist // a publication's time
	// RelayBatch is the outbox rows the relay publishes and marks at
	// once, 1 to 100,000; zero means 100.
	RelayBatch int

	WriterStats
	part
	faulty
	broker   *Broker
	commitR  *rand.Rand
	publishR *rand.Rand
	orders   []order
	working  []*call
	queue    ring[*call]
	outbox   ring[int32] // committed orders whose event the relay has not yet marked sent
	relay    relay
}

// relay is the outbox relay's batch in progress.
type relay struct {
	busy    bool
	rows    int    // the batch: the outbox's first rows
	waiting int    // its publications not yet answered
	failed  bool   // one was refused
	life    uint32 // bumped by a crash: answers for an earlier life change only the checker
	timer   sim.Timer
	publish func()
	mark    func()
	retry   func()
}

// WriterStats is what a Writer measured.
type WriterStats struct {
	Orders   *metrics.Rate    // orders taken
	Response *metrics.Latency // from an order's arrival to its answer
	// Committed is the orders in the database; Published the orders whose
	// event the broker took, once or more.
	Committed, Published int64
	// LostEvents is the orders committed whose event the broker never
	// took; Phantoms the orders whose event it took, never committed.
	LostEvents, Phantoms int64
	Failed               int64 // orders a crash failed
	Rejected             int64 // orders turned away while it was down
	// Relayed is the outbox relay's publications, copies included;
	// Pending its rows not yet published at the end.
	Relayed, Pending int64
}

// order is one order's fate, for the checker.
type order struct {
	committed, published bool
	pub                  uint32 // its first message at the broker, plus one
}

// The steps of an order's call, held in its live field.
const (
	stepCommit int32 = iota + 1
	stepPublish
)

// MaxRelayBatch bounds Writer.RelayBatch.
const MaxRelayBatch = 100_000

func (*Writer) Kind() string                { return "Writer" }
func (w *Writer) ID() string                { return w.Name }
func (w *Writer) wiredTo() (string, string) { return "Broker", w.Broker }
func (w *Writer) targets() []string         { return nil }

func (w *Writer) validate() error {
	switch {
	case w.Mode != "" && w.Mode != CommitThenPublish && w.Mode != PublishThenCommit && w.Mode != Outbox:
		return bad(w, "Mode", w.Mode, fmt.Sprintf("want one of %v", WriteModes()))
	case w.Slots < 1 || w.Slots > MaxSlots:
		return bad(w, "Slots", w.Slots, fmt.Sprintf("must be between 1 and %d", MaxSlots))
	case w.RelayBatch < 0 || w.RelayBatch > MaxRelayBatch:
		return bad(w, "RelayBatch", w.RelayBatch, fmt.Sprintf("must be between 1 and %d (0 means 100)", MaxRelayBatch))
	case w.RelayBatch != 0 && w.mode() != Outbox:
		return bad(w, "RelayBatch", w.RelayBatch, "sets the outbox's relay: Mode must be outbox")
	}
	if err := checkDuration(w, "Commit", w.Commit, true); err != nil {
		return err
	}
	return checkDuration(w, "Publish", w.Publish, true)
}

// checkGroup checks that Broker names a broker, once every name is known.
func (w *Writer) checkGroup() error {
	to, ok := w.sys.byName[w.Broker]
	if !ok {
		return bad(w, "Broker", w.Broker, fmt.Sprintf("no component has that name (have %s)", w.sys.names()))
	}
	if _, ok := to.(*Broker); !ok {
		return bad(w, "Broker", w.Broker, fmt.Sprintf("is a %s: a writer publishes to a Broker", to.Kind()))
	}
	return nil
}

func (w *Writer) start() {
	sys := w.sys
	w.Orders = metrics.NewRate(w.Name+" orders", sys.window)
	w.Response = metrics.NewLatency(w.Name+" response", sys.window)
	w.commitR = sys.rand(w.Name + "/commit")
	w.publishR = sys.rand(w.Name + "/publish")
	w.broker = sys.byName[w.Broker].(*Broker)
	w.faulty.init(w.Slots)
	w.relay.publish, w.relay.mark = w.publishBatch, w.markBatch
	w.relay.retry = func() {
		w.relay.busy = false
		w.pumpRelay()
	}
}

func (w *Writer) mode() WriteMode {
	if w.Mode == "" {
		return CommitThenPublish
	}
	return w.Mode
}

func (w *Writer) up() bool { return !w.down }

// accept is an order arriving: it starts, or waits for a slot.
func (w *Writer) accept(c *call) {
	now := w.sys.sim.Now()
	w.Orders.Add(now, 1)
	if w.down {
		w.Rejected++
		c.answer(rejected)
		return
	}
	if len(w.orders) >= MaxMessages {
		w.sys.sim.Fail(&LimitError{Kind: "Writer", Name: w.Name, Limit: "MaxMessages", Value: MaxMessages, What: "orders"})
		c.answer(rejected)
		return
	}
	c.n = int32(len(w.orders))
	w.orders = append(w.orders, order{})
	if len(w.working) < w.capacity {
		w.begin(c)
		return
	}
	w.queue.push(c)
}

func (w *Writer) begin(c *call) {
	c.slot = int32(len(w.working))
	w.working = append(w.working, c)
	if w.mode() == PublishThenCommit {
		w.step(c, stepPublish)
	} else {
		w.step(c, stepCommit)
	}
}

// step starts a step of c's order: its time runs on c's timer.
func (w *Writer) step(c *call, s int32) {
	c.live = s
	c.after(w, w.draw(s == stepCommit))
}

func (w *Writer) draw(commit bool) sim.Time {
	d, r := w.Publish, w.publishR
	if commit {
		d, r = w.Commit, w.commitR
	}
	x := d.Sample(r) * w.slow
	if !(x >= 0) {
		panic(fmt.Sprintf("service: Writer %q: a step drew %v, which is not a duration", w.Name, x))
	}
	return sim.Seconds(x)
}

// fired is the end of a step's time: an order's, or the relay's.
func (w *Writer) fired(c *call) {
	switch {
	case c.live == stepCommit:
		o := &w.orders[c.n]
		o.committed = true
		w.Committed++
		switch w.mode() {
		case CommitThenPublish:
			w.step(c, stepPublish)
		case PublishThenCommit:
			w.finish(c, ok)
		default:
			w.outbox.push(c.n)
			w.finish(c, ok)
			w.pumpRelay()
		}
	case c.live == stepPublish:
		w.send(c, &w.orders[c.n])
	}
}

// send hands the broker a publication for order o, as a child of c.
func (w *Writer) send(c *call, o *order) {
	d := w.sys.newCall(c, w)
	c.a1 = d
	w.broker.accept(d)
}

// answered is the broker's answer to a publication: an order's (a child
// of its call) or the relay's (a call of its own).
func (w *Writer) answered(d *call) {
	if d.parent == nil && !d.gaveUp {
		w.relayed(d)
		return
	}
	c, st, gone := d.parent, d.status, d.gaveUp
	w.sys.release(d)
	if gone {
		return // a crash failed what it was for
	}
	c.a1 = nil
	o := &w.orders[c.n]
	if st == ok {
		w.published(o, rootOf(c).pub)
	}
	switch {
	case st != ok:
		w.finish(c, failed)
	case w.mode() == PublishThenCommit:
		w.step(c, stepCommit)
	default:
		w.finish(c, ok)
	}
}

func rootOf(c *call) *call {
	for c.parent != nil {
		c = c.parent
	}
	return c
}

func (w *Writer) published(o *order, pub uint32) {
	if !o.published {
		o.published = true
		w.Published++
	}
	o.pub = pub
}

// pumpRelay starts the relay on the outbox's oldest rows, if it is idle.
func (w *Writer) pumpRelay() {
	r := &w.relay
	if r.busy || w.down || w.outbox.size == 0 {
		return
	}
	batch := w.RelayBatch
	if batch == 0 {
		batch = 100
	}
	r.busy, r.rows, r.failed = true, min(w.outbox.size, batch), false
	r.timer = w.sys.sim.After(w.draw(false), r.publish)
}

// publishBatch hands the broker the batch's events, each a call of its
// own (its tag the order, its ver the relay's life) that carries the
// order's first message, if it has one: a second publication is a copy.
func (w *Writer) publishBatch() {
	r := &w.relay
	r.waiting = r.rows
	for i := 0; i < r.rows; i++ {
		id := w.outbox.at(i)
		d := w.sys.newCall(nil, w)
		d.tag, d.ver, d.pub = id, r.life, w.orders[id].pub
		w.broker.accept(d)
	}
}

// relayed is the broker's answer to one of the relay's publications.
func (w *Writer) relayed(d *call) {
	r := &w.relay
	id, st, life, pub := d.tag, d.status, d.ver, d.pub
	w.sys.release(d)
	w.Relayed++
	if st == ok {
		w.published(&w.orders[id], pub)
	}
	if life != r.life {
		return // the relay crashed since
	}
	r.failed = r.failed || st != ok
	if r.waiting--; r.waiting > 0 {
		return
	}
	if r.failed {
		// The rows stay in the outbox: ask again after a publication's time.
		r.timer = w.sys.sim.After(w.draw(false), r.retry)
		return
	}
	r.timer = w.sys.sim.After(w.draw(true), r.mark)
}

// markBatch is the batch marked sent.
func (w *Writer) markBatch() {
	r := &w.relay
	for i := 0; i < r.rows; i++ {
		w.outbox.pop()
	}
	r.busy = false
	w.pumpRelay()
}

// finish answers c and starts a waiting order.
func (w *Writer) finish(c *call, st status) {
	now := w.sys.sim.Now()
	last := len(w.working) - 1
	moved := w.working[last]
	w.working[c.slot] = moved
	moved.slot = c.slot
	w.working[last] = nil
	w.working = w.working[:last]
	w.Response.Record(now, now-c.start)
	c.answer(st)
	for w.queue.size > 0 && len(w.working) < w.capacity {
		w.begin(w.queue.pop())
	}
}

// crash fails the orders in progress and waiting, and stops the relay;
// what was committed stays.
func (w *Writer) crash() {
	for len(w.working) > 0 {
		c := w.working[len(w.working)-1]
		c.timer.Stop()
		if c.a1 != nil {
			c.a1.abandon()
			c.a1 = nil
		}
		w.Failed++
		w.finish(c, failed)
	}
	for w.queue.size > 0 {
		w.Failed++
		w.queue.pop().answer(failed)
	}
	w.relay.timer.Stop()
	w.relay.busy = false
	w.relay.life++
}

// changed: a restart starts the relay again, and capacity may free slots.
func (w *Writer) changed() {
	for w.queue.size > 0 && len(w.working) < w.capacity {
		w.begin(w.queue.pop())
	}
	w.pumpRelay()
}

func (w *Writer) close(end sim.Time) {
	for _, o := range w.orders {
		switch {
		case o.committed && !o.published && w.mode() == Outbox:
			w.Pending++ // waiting in the outbox, not lost
		case o.committed && !o.published:
			w.LostEvents++
		case o.published && !o.committed:
			w.Phantoms++
		}
	}
	w.Orders.Close(end)
	w.Response.Close(end)
}

func (w *Writer) row(t *metrics.Table) {
	note := fmt.Sprintf("%s: %d committed, %d lost events, %d phantoms", w.mode(), w.Committed, w.LostEvents, w.Phantoms)
	if w.mode() == Outbox {
		note += fmt.Sprintf(", %d relayed, %d pending", w.Relayed, w.Pending)
	}
	t.Add(w.Name, "Writer", w.Orders.Total(), w.Committed, w.Failed, w.Rejected, w.Response.Mean(), w.Response.Quantile(0.99), nil, note)
}
