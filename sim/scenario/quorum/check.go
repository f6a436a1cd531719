package quorum

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"sync/atomic"
	"time"

	"github.com/anishathalye/porcupine"

	"dsim/sim"
	"dsim/sim/internal/partition"
)

// CheckResult is the linearizability checker's answer.
type CheckResult string

// The checker's answers. Unknown means the checker ran out of time
// (Config.CheckTimeout) before deciding, TooLarge that its search reached
// the memory bound (checkMemory); Skipped that it was not run
// (Config.SkipCheck).
const (
	IsLinearizable  CheckResult = "linearizable"
	NotLinearizable CheckResult = "not linearizable"
	CheckUnknown    CheckResult = "unknown (checker timed out)"
	CheckTooLarge   CheckResult = "unknown (checker reached its memory bound)"
	CheckSkipped    CheckResult = "not checked"
)

// checkMemory bounds what porcupine's search keeps, in bytes. Its cache
// holds a copy of the set of linearized operations (one bit each) for
// every state it reaches, so a long, busy history took gigabytes within
// its time bound; the search stops at this bound instead.
const checkMemory = 512 << 20

// kvInput and kvOutput are the operations porcupine checks: a register per
// key holding the ID of the write that set it.
type kvInput struct {
	key   int
	write bool
	value int64
}

// kvModel is a key-value store as porcupine's sequential specification,
// partitioned by key so each key is checked on its own (linearizability is
// local: the history is linearizable if and only if every key's is).
var kvModel = porcupine.Model{
	Partition: func(h []porcupine.Operation) [][]porcupine.Operation {
		return partition.ByKey(h, func(o porcupine.Operation) int { return o.Input.(kvInput).key })
	},
	Init: func() any { return int64(0) },
	Step: func(state, input, output any) (bool, any) {
		in := input.(kvInput)
		if in.write {
			return true, in.value
		}
		return output.(int64) == state.(int64), state
	},
	DescribeOperation: func(input, output any) string {
		in := input.(kvInput)
		if in.write {
			return fmt.Sprintf("put(k%d, w%d)", in.key, in.value)
		}
		return fmt.Sprintf("get(k%d) -> %s", in.key, writeName(output.(int64)))
	},
	DescribeState: func(state any) string { return writeName(state.(int64)) },
}

func writeName(v int64) string {
	if v == 0 {
		return "initial"
	}
	return fmt.Sprintf("w%d", v)
}

// history turns the recorded operations into porcupine's form. Failed
// reads are left out (they returned nothing). A failed write may still
// have reached replicas, so it stays, with no end: it may take effect at
// any time after it started.
func history(ops []Op) []porcupine.Operation {
	var h []porcupine.Operation
	for _, o := range ops {
		if !o.OK && !o.Write {
			continue
		}
		ret := int64(o.End)
		if !o.OK {
			ret = math.MaxInt64
		}
		var out any = int64(0)
		if !o.Write {
			out = o.Value
		}
		h = append(h, porcupine.Operation{ClientId: o.Client, Input: kvInput{key: o.Key, write: o.Write, value: o.Value}, Call: int64(o.Start), Output: out, Return: ret})
	}
	return h
}

// check runs porcupine on the history, unless skip. It keeps the
// visualisation data only when the history is not linearizable. Porcupine
// takes a timeout but no context: the model's step, which the search calls
// for every operation it tries, is what stops it when ctx is cancelled or
// the memory bound is reached. A refused step makes the search back out at
// once (and its answer is then thrown away).
func check(ctx context.Context, ops []Op, timeout time.Duration, skip bool) (CheckResult, *porcupine.LinearizationInfo, error) {
	if skip {
		return CheckSkipped, nil, nil
	}
	h := history(ops)
	perKey := map[int]int64{}
	for _, o := range h {
		perKey[o.Input.(kvInput).key]++
	}
	var stop, full atomic.Bool
	defer context.AfterFunc(ctx, func() { stop.Store(true) })()
	var kept atomic.Int64
	m := kvModel
	m.Step = func(state, input, output any) (bool, any) {
		if stop.Load() {
			return false, state
		}
		ok, next := kvModel.Step(state, input, output)
		// A step taken may be cached: a bitset over its key's operations,
		// and the cache's and the call stack's entries.
		if ok && kept.Add(perKey[input.(kvInput).key]/8+128) > checkMemory {
			full.Store(true)
			stop.Store(true)
			return false, state
		}
		return ok, next
	}
	res, info := porcupine.CheckOperationsVerbose(m, h, timeout)
	switch {
	case ctx.Err() != nil:
		return "", nil, fmt.Errorf("quorum: %w during the check: %w", sim.ErrInterrupted, ctx.Err())
	case full.Load():
		return CheckTooLarge, nil, nil
	case res == porcupine.Ok:
		return IsLinearizable, nil, nil
	case res == porcupine.Illegal:
		return NotLinearizable, &info, nil
	}
	return CheckUnknown, nil, nil
}

// Visualization writes porcupine's HTML view of a history that is not
// linearizable: each client's operations on a time line, the longest
// linearizations the checker found, and where they break. It returns an
// error when there is no violation to show.
func (r *Result) Visualization() (HTML, error) {
	if r.info == nil {
		return "", fmt.Errorf("quorum: no violation to visualise (check: %s)", r.Check)
	}
	var b bytes.Buffer
	if err := porcupine.Visualize(kvModel, *r.info, &b); err != nil {
		return "", fmt.Errorf("quorum: visualisation: %v", err)
	}
	return HTML(b.String()), nil
}

// HTML is a self-contained HTML page. display.Show shows it inline in a
// notebook and writes it to a file elsewhere.
type HTML string

// HTML returns the page.
func (h HTML) HTML() string { return string(h) }

// Name names the page's file.
func (h HTML) Name() string { return "linearizability" }
