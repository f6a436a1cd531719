package lab

// scratch is what a run allocates most, handed from one run to the next
// on the same goroutine: the history's events and operations, the nodes'
// store maps and write queues, and the free parcels. A seed search runs
// thousands of runs and keeps none but the failing one; each allocated
// about 2 MB in a few milliseconds, a third of it in the history alone,
// and on two cores the collector held a search to 0.84 of twice one
// core's speed (BenchmarkSearchEfficiency).
//
// A run takes what it can use (newCluster) and reclaim gives it back once
// the run is over and its Result is dropped: nothing of a run that is
// kept is ever reused.
type scratch struct {
	events  []Event
	ops     []Operation
	stores  []storeMem // by node index
	parcels []*parcel
}

// storeMem is a store's memory: its maps and its queue of writes.
type storeMem struct {
	durable, view map[string]string
	pending       []write
}

// takeEvents returns an empty history of at least n events' capacity.
func (sc *scratch) takeEvents(n int) []Event {
	if sc == nil || cap(sc.events) < n {
		return make([]Event, 0, n)
	}
	ev := sc.events
	sc.events = nil
	return ev
}

// takeStore returns an empty store's memory for node i, or nothing.
func (sc *scratch) takeStore(i int) storeMem {
	if sc == nil || i >= len(sc.stores) {
		return storeMem{}
	}
	m := sc.stores[i]
	sc.stores[i] = storeMem{}
	return m
}

// reclaim takes back the memory of c's run, whose Result no one keeps. A
// test with checkers of its own keeps its history to itself: a checker
// may hold on to what it was given.
func (sc *scratch) reclaim(c *cluster) {
	if sc == nil {
		return
	}
	if len(c.t.Checkers) == 0 {
		clear(c.hist.Events)
		sc.events = c.hist.Events[:0]
		ops := c.hist.ops
		if ops == nil {
			ops = c.hist.spare // Ops was never asked for
		}
		clear(ops)
		sc.ops = ops[:0]
		c.hist = History{}
	}
	for len(sc.stores) < len(c.nodes) {
		sc.stores = append(sc.stores, storeMem{})
	}
	for i, e := range c.nodes {
		st := e.store
		clear(st.durable)
		clear(st.view)
		clear(st.pending)
		sc.stores[i] = storeMem{st.durable, st.view, st.pending[:0]}
		st.durable, st.view, st.pending = nil, nil, nil
	}
	sc.parcels, c.parcels = c.parcels, nil
}
