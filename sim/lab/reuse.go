package lab

// scratch is what a run allocates most, handed from one run to the next
// on the same goroutine: the history's events and operations, the nodes'
// store maps and the free parcels. A seed search runs thousands of runs
// and keeps none but the failing one; without it each run allocated
// about 2 MB in a few milliseconds, and on two cores the collector held
// a search to 0.84 of twice one core's speed (BenchmarkSearchEfficiency).
//
// A run takes what it can use (newCluster) and reclaim gives it back once
// the run is over and its Result is dropped: nothing of a run that is
// kept is ever reused.
type scratch struct {
	events  []Event
	ops     []Operation
	stores  []storeMaps // by node index
	parcels []*parcel
}

type storeMaps struct{ durable, view map[string]string }

// takeEvents returns an empty history of at least n events' capacity.
func (sc *scratch) takeEvents(n int) []Event {
	if sc == nil || cap(sc.events) < n {
		return make([]Event, 0, n)
	}
	ev := sc.events
	sc.events = nil
	return ev
}

// takeStore returns empty maps for node i's store, or nil ones.
func (sc *scratch) takeStore(i int) storeMaps {
	if sc == nil || i >= len(sc.stores) {
		return storeMaps{}
	}
	m := sc.stores[i]
	sc.stores[i] = storeMaps{}
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
		clear(c.hist.ops)
		sc.ops = c.hist.ops[:0]
		c.hist = History{}
	}
	for len(sc.stores) < len(c.nodes) {
		sc.stores = append(sc.stores, storeMaps{})
	}
	for i, e := range c.nodes {
		clear(e.store.durable)
		clear(e.store.view)
		sc.stores[i] = storeMaps{e.store.durable, e.store.view}
		e.store.durable, e.store.view = nil, nil
	}
	sc.parcels, c.parcels = c.parcels, nil
}
