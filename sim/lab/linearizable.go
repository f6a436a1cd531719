package lab

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/anishathalye/porcupine"

	"dsim/sim/internal/partition"
)

// LinearizableChecker checks a lin-kv history with porcupine: there must
// be one order of the operations, each placed between its invoke and its
// completion, in which every read sees the last write before it and every
// cas succeeds exactly when the key held its From. Reads failing with
// key-does-not-exist (20) and cas failing with 20 or precondition-failed
// (22) are observations too; other failures did not happen; writes and
// cas in doubt (info) may take effect at any time after their invoke.
// Each key is checked on its own (linearizability is local). The check
// has Limits.CheckTimeout in all; past it the verdict is Unknown.
func LinearizableChecker() Checker { return CheckFunc(checkLinearizable) }

// absent is the state of a key never written.
const absent = math.MinInt64

type kvIn struct {
	f               string // read, write, cas
	key             string
	value, from, to int64
}

type kvOut struct {
	value int64 // read: the value, or absent
	code  int   // cas: 0 (done), 20, 22; -1 when in doubt
}

var kvModel = porcupine.Model{
	Partition: func(h []porcupine.Operation) [][]porcupine.Operation {
		return partition.ByKey(h, func(o porcupine.Operation) string { return o.Input.(kvIn).key })
	},
	Init: func() any { return int64(absent) },
	Step: func(state, input, output any) (bool, any) {
		s, in, out := state.(int64), input.(kvIn), output.(kvOut)
		switch in.f {
		case "read":
			return out.value == s, s
		case "write":
			return true, in.value
		}
		switch out.code {
		case -1: // in doubt: it happened if it could
			if s == in.from {
				return true, in.to
			}
			return true, s
		case 0:
			return s == in.from, in.to
		case ErrKeyDoesNotExist:
			return s == absent, s
		case ErrPreconditionFailed:
			return s != absent && s != in.from, s
		}
		return false, s
	},
	DescribeOperation: func(input, output any) string {
		in, out := input.(kvIn), output.(kvOut)
		switch in.f {
		case "read":
			return fmt.Sprintf("read(%s) -> %s", in.key, kvValue(out.value))
		case "write":
			return fmt.Sprintf("write(%s, %d)", in.key, in.value)
		}
		res := "ok"
		switch out.code {
		case -1:
			res = "?"
		case ErrKeyDoesNotExist:
			res = "no key"
		case ErrPreconditionFailed:
			res = "failed"
		}
		return fmt.Sprintf("cas(%s, %d->%d) %s", in.key, in.from, in.to, res)
	},
	DescribeState: func(state any) string { return kvValue(state.(int64)) },
}

func kvValue(v int64) string {
	if v == absent {
		return "none"
	}
	return fmt.Sprint(v)
}

// kvHistory turns the history into porcupine's operations, the event
// index of each invoke as its metadata.
func kvHistory(h *History) []porcupine.Operation {
	var out []porcupine.Operation
	clients := map[string]int{}
	for _, op := range h.Ops() {
		in := kvIn{f: op.F, key: op.Req.Key, value: op.Req.Value, from: op.Req.From, to: op.Req.To}
		out1 := kvOut{}
		switch {
		case op.F == "read" && op.Type == OK:
			out1.value = op.Resp.Value
		case op.F == "read" && op.Type == Fail && op.Resp.Code == ErrKeyDoesNotExist:
			out1.value = absent
		case op.F == "write" && op.Type != Fail:
		case op.F == "cas" && op.Type == OK:
		case op.F == "cas" && op.Type == Fail && (op.Resp.Code == ErrKeyDoesNotExist || op.Resp.Code == ErrPreconditionFailed):
			out1.code = op.Resp.Code
		case op.F == "cas" && op.Type == Info:
			out1.code = -1
		default:
			continue
		}
		id, ok := clients[op.Client]
		if !ok {
			id = len(clients)
			clients[op.Client] = id
		}
		ret := int64(op.Return)
		if op.Type == Info {
			ret = math.MaxInt64
		}
		out = append(out, porcupine.Operation{ClientId: id, Input: in, Call: int64(op.Call), Output: out1, Return: ret, Metadata: op.Invoke})
	}
	return out
}

func checkLinearizable(r *Result) Verdict {
	v := newVerdict("linearizable")
	ops := kvHistory(r.History)
	parts := kvModel.Partition(ops)
	budget := r.Test.Limits.CheckTimeout
	unknown := 0
	for _, part := range parts {
		key := part[0].Input.(kvIn).key
		// Wall time on purpose: the checker's budget (Limits.CheckTimeout)
		// bounds how long porcupine searches, never what the run does.
		start := time.Now()
		res, info := porcupine.CheckOperationsVerbose(kvModel, part, budget)
		budget -= time.Since(start)
		if budget <= 0 {
			budget = time.Millisecond
		}
		switch res {
		case porcupine.Unknown:
			unknown++
		case porcupine.Illegal:
			left := unlinearized(part, info)
			events := make([]int, 0, 6)
			for _, o := range left {
				if len(events) < 6 {
					events = append(events, o.Metadata.(int))
				}
			}
			first := left[0]
			e := r.History.Events[first.Metadata.(int)]
			v.addf(events, e.Node, e.Time, "key %s: no legal order of its %d operations; %d cannot be placed, the first %s by %s at %v",
				key, len(part), len(left), kvModel.DescribeOperation(first.Input, first.Output), e.Client, e.Time)
		}
	}
	if v.Count == 0 && unknown > 0 {
		v.Outcome = Unknown
		v.Summary = fmt.Sprintf("the checker ran out of time (Limits.CheckTimeout=%v) on %d of %d keys", r.Test.Limits.CheckTimeout, unknown, len(parts))
		return v.Verdict
	}
	v.metric("operations checked", float64(len(ops)), "")
	if v.Count > 0 {
		r.lin = ops
	}
	return v.done(fmt.Sprintf("the %d operations on %d keys are linearizable", len(ops), len(parts)),
		fmt.Sprintf("%d of %d keys have no legal order of their operations", v.Count, len(parts)))
}

// unlinearized returns the operations of a partition left out of the
// longest partial linearization porcupine found, earliest first.
func unlinearized(part []porcupine.Operation, info porcupine.LinearizationInfo) []porcupine.Operation {
	in := map[int]bool{}
	best := 0
	for _, parts := range info.PartialLinearizations() {
		for _, lin := range parts {
			if len(lin) > best {
				best = len(lin)
				in = map[int]bool{}
				for _, id := range lin {
					in[id] = true
				}
			}
		}
	}
	var left []porcupine.Operation
	for i, o := range part {
		if !in[i] {
			left = append(left, o)
		}
	}
	sort.SliceStable(left, func(i, j int) bool { return left[i].Call < left[j].Call })
	if len(left) == 0 {
		left = part
	}
	return left
}

// Linearizability writes porcupine's HTML view of a lin-kv run that is
// not linearizable: each client's operations on a time line, the longest
// orders the checker found and where they break. It returns an error when
// there is no violation to show.
func (r *Result) Linearizability() (HTML, error) {
	if r.lin == nil {
		return "", fmt.Errorf("lab: no linearizability violation to show")
	}
	_, info := porcupine.CheckOperationsVerbose(kvModel, r.lin, r.Test.Limits.CheckTimeout)
	var b bytes.Buffer
	if err := porcupine.Visualize(kvModel, info, &b); err != nil {
		return "", fmt.Errorf("lab: visualisation: %v", err)
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
