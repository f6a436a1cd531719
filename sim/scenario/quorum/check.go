package quorum

import (
	"bytes"
	"fmt"
	"math"
	"time"

	"github.com/anishathalye/porcupine"

	"dsim/sim/internal/partition"
)

// CheckResult is the linearizability checker's answer.
type CheckResult string

// The checker's answers. Unknown means the checker ran out of time
// (Config.CheckTimeout) before deciding; Skipped that it was not run
// (Config.SkipCheck).
const (
	IsLinearizable  CheckResult = "linearizable"
	NotLinearizable CheckResult = "not linearizable"
	CheckUnknown    CheckResult = "unknown (checker timed out)"
	CheckSkipped    CheckResult = "not checked"
)

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
// visualisation data only when the history is not linearizable.
func check(ops []Op, timeout time.Duration, skip bool) (CheckResult, *porcupine.LinearizationInfo) {
	if skip {
		return CheckSkipped, nil
	}
	res, info := porcupine.CheckOperationsVerbose(kvModel, history(ops), timeout)
	switch res {
	case porcupine.Ok:
		return IsLinearizable, nil
	case porcupine.Illegal:
		return NotLinearizable, &info
	}
	return CheckUnknown, nil
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
