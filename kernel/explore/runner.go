package explore

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"dsim/sim"
	"dsim/sim/scenario"
)

// errBusy is the answer when every run slot stayed taken for the whole
// wait: the page says so and tries again.
var errBusy = errors.New("the explorer is busy with other runs; trying again in a moment")

// runner runs scenarios for the pages, bounded three ways: at most
// Limits.Runs at once (others wait Limits.Wait for a slot, then are told
// the explorer is busy), each for at most Limits.RunTime of wall time, and
// a run nobody asks after for abandonAfter is stopped. Finished runs are
// kept in an LRU cache by their canonical query (scenario, knobs, seed),
// bounded in entries and in bytes.
type runner struct {
	lim   Limits
	slots chan struct{}

	mu    sync.Mutex
	jobs  map[string]*job // running, by key
	cache *lru
}

// abandonAfter is how long a run goes on with no page asking after it: a
// page polls every fraction of a second while it waits.
const abandonAfter = 5 * time.Second

// job is one run in progress; done is closed when res is set.
type job struct {
	key     string
	started time.Time
	done    chan struct{}
	res     *result
	wanted  atomic.Int64 // wall time (ns) of the last request for it
	now     atomic.Int64 // progress: virtual time reached
	horizon atomic.Int64
	events  atomic.Int64
}

// progress is what a page shows of a run still going.
type progress struct {
	Share   float64 `json:"share"` // of the horizon, 0..1 (0 when unknown)
	Text    string  `json:"text"`
	Elapsed float64 `json:"elapsed"` // wall seconds
}

func (j *job) progress() progress {
	now, hz, ev := sim.Time(j.now.Load()), sim.Time(j.horizon.Load()), j.events.Load()
	el := time.Since(j.started)
	p := progress{Elapsed: el.Seconds(), Text: fmt.Sprintf("running: %v of virtual time, %d events, %.1fs", now, ev, el.Seconds())}
	if hz > 0 {
		p.Share = min(1, float64(now)/float64(hz))
		p.Text = fmt.Sprintf("running: %.0f%% of %v of virtual time, %d events, %.1fs", 100*p.Share, hz, ev, el.Seconds())
	}
	return p
}

func newRunner(lim Limits) *runner {
	return &runner{lim: lim, slots: make(chan struct{}, lim.Runs), jobs: map[string]*job{}, cache: newLRU(lim.CacheRuns, lim.CacheBytes)}
}

// start returns the finished result for r, or the job computing it,
// starting one when a slot frees within the wait. ctx is the request's:
// when it ends, start stops waiting for a slot (the run itself is not the
// request's: it goes on for the next poll, until abandoned).
func (rn *runner) start(ctx context.Context, r *request) (*result, *job, error) {
	key := r.key()
	if res, j := rn.lookup(key); res != nil || j != nil {
		return res, j, nil
	}
	wait := time.NewTimer(rn.lim.Wait)
	defer wait.Stop()
	select {
	case rn.slots <- struct{}{}:
	case <-wait.C:
		return nil, nil, errBusy
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	rn.mu.Lock()
	if res, j := rn.lookupLocked(key); res != nil || j != nil {
		rn.mu.Unlock()
		<-rn.slots
		return res, j, nil
	}
	j := &job{key: key, started: time.Now(), done: make(chan struct{})}
	j.wanted.Store(time.Now().UnixNano())
	rn.jobs[key] = j
	rn.mu.Unlock()
	go rn.run(j, r)
	return nil, j, nil
}

func (rn *runner) lookup(key string) (*result, *job) {
	rn.mu.Lock()
	defer rn.mu.Unlock()
	return rn.lookupLocked(key)
}

func (rn *runner) lookupLocked(key string) (*result, *job) {
	if res := rn.cache.get(key); res != nil {
		return res, nil
	}
	if j := rn.jobs[key]; j != nil {
		j.wanted.Store(time.Now().UnixNano())
		return nil, j
	}
	return nil, nil
}

// run runs the job's request in its slot, then caches what it gives. A
// panic in a model is reported as the run's error, never a crash.
func (rn *runner) run(j *job, r *request) {
	ctx, cancel := context.WithTimeout(context.Background(), rn.lim.RunTime)
	defer cancel()
	stop := make(chan struct{})
	go rn.watch(j, cancel, stop)
	host := &sim.Host{Progress: func(p sim.Progress) {
		j.now.Store(int64(p.Now))
		j.horizon.Store(int64(p.Horizon))
		j.events.Store(p.Events)
	}}
	res := rn.compute(sim.WithHost(ctx, host), r)
	close(stop)
	abandoned := false
	if ctx.Err() != nil && res.err != nil {
		res.err = rn.stopped(j, ctx)
		abandoned = errors.Is(ctx.Err(), context.Canceled)
	}
	rn.mu.Lock()
	delete(rn.jobs, j.key)
	// A run's error is kept like its result: the same query gives it
	// again, and a page polling for it must find it. A run stopped because
	// nobody asked after it is not: the next page to ask runs it afresh.
	if !abandoned {
		rn.cache.put(j.key, res)
	}
	rn.mu.Unlock()
	j.res = res
	close(j.done)
	<-rn.slots
}

// stopped explains a run ended by the explorer's limits.
func (rn *runner) stopped(j *job, ctx context.Context) error {
	done := j.progress().Text
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("stopped after %v of wall time, the explorer's limit for one run (%s). Shorten Duration for the page; the dsim command runs it whole", rn.lim.RunTime, done)
	}
	return fmt.Errorf("stopped: no page asked for this run any more (%s)", done)
}

// watch cancels the job when no request has asked after it for
// abandonAfter.
func (rn *runner) watch(j *job, cancel context.CancelFunc, stop chan struct{}) {
	t := time.NewTicker(abandonAfter / 5)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			if time.Since(time.Unix(0, j.wanted.Load())) > abandonAfter {
				cancel()
				return
			}
		}
	}
}

// compute runs the request and renders what the page shows of it.
func (rn *runner) compute(ctx context.Context, r *request) (res *result) {
	start := time.Now()
	res = &result{query: r.query(), size: 1 << 10}
	defer func() {
		if p := recover(); p != nil {
			res.err = fmt.Errorf("%s: the run failed: %v (reproduce with %s)", r.sc.Name, p, r.query())
		}
	}()
	rep, err := r.sc.Run(ctx, r.cfg)
	if err != nil {
		res.err = err
		return res
	}
	res.report = rep
	res.view = render(rep, time.Since(start))
	res.size = res.view.size()
	return res
}

// result is a finished run: its report (for comparisons) and what the
// page shows of it.
type result struct {
	query  string
	report *scenario.Report
	view   *view
	err    error
	size   int64
}

// lru is a cache of results bounded by count and by the bytes of their
// rendered views.
type lru struct {
	maxN     int
	maxBytes int64
	bytes    int64
	order    *list.List // front: most recently used
	items    map[string]*list.Element
}

type entry struct {
	key string
	res *result
}

func newLRU(n int, bytes int64) *lru {
	return &lru{maxN: n, maxBytes: bytes, order: list.New(), items: map[string]*list.Element{}}
}

func (c *lru) get(key string) *result {
	if e, ok := c.items[key]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*entry).res
	}
	return nil
}

func (c *lru) put(key string, res *result) {
	if res.size > c.maxBytes {
		return
	}
	if e, ok := c.items[key]; ok {
		c.bytes -= e.Value.(*entry).res.size
		c.order.Remove(e)
	}
	c.items[key] = c.order.PushFront(&entry{key, res})
	c.bytes += res.size
	for c.order.Len() > c.maxN || c.bytes > c.maxBytes {
		e := c.order.Back()
		old := e.Value.(*entry)
		c.order.Remove(e)
		delete(c.items, old.key)
		c.bytes -= old.res.size
	}
}

// len and size are for tests.
func (c *lru) len() int { return c.order.Len() }
