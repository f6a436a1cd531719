package sweep

import (
	"sync"
	"sync/atomic"
)

// Progress is how far a sweep has come, for a front end's progress line.
type Progress struct {
	Name        string
	Done, Total int // runs
	Finished    bool
}

var progressHook atomic.Pointer[func(Progress)]

// active counts the sweeps running in this process.
var active atomic.Int64

// Active reports whether a sweep is running: front ends then show its
// progress rather than each run's.
func Active() bool { return active.Load() > 0 }

// SetProgressHook is for front ends: fn is called from the goroutine that
// called Run, when the sweep starts, after every run and at the end. Nil
// removes it.
func SetProgressHook(fn func(Progress)) {
	if fn == nil {
		progressHook.Store(nil)
		return
	}
	progressHook.Store(&fn)
}

func report(p Progress) {
	switch {
	case p.Done == 0 && !p.Finished:
		active.Add(1)
	case p.Finished:
		defer active.Add(-1)
	}
	if h := progressHook.Load(); h != nil {
		(*h)(p)
	}
}

// The process's shard and where shard results go, set by the dsim command
// from -shard or the environment.
var shardConf struct {
	sync.Mutex
	shard Shard
	dir   string
}

// SetShard makes every sweep of this process run only shard s (unless its
// Spec names one) and write its results file into dir.
func SetShard(s Shard, dir string) {
	shardConf.Lock()
	defer shardConf.Unlock()
	shardConf.shard, shardConf.dir = s, dir
}

func processShard() Shard {
	shardConf.Lock()
	defer shardConf.Unlock()
	return shardConf.shard
}

func shardDir() string {
	shardConf.Lock()
	defer shardConf.Unlock()
	return shardConf.dir
}
