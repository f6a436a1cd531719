package lab

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"dsim/sim"
)

// EchoChecker checks that every echo_ok carries its request's echo.
func EchoChecker() Checker { return CheckFunc(checkEcho) }

func checkEcho(r *Result) Verdict {
	v := newVerdict("echo")
	n := 0
	for _, op := range r.History.Ops() {
		if op.F != "echo" || op.Type != OK {
			continue
		}
		n++
		if op.Resp.Echo != op.Req.Echo {
			v.addf([]int{op.Invoke, op.Complete}, op.Node, op.Return, "%s answered echo %q with %q", op.Node, op.Req.Echo, op.Resp.Echo)
		}
	}
	v.metric("echoes answered", float64(n), "")
	return v.done(fmt.Sprintf("all %d echoes came back as sent", n), fmt.Sprintf("%d of %d echoes came back changed", v.Count, n))
}

// UniqueIDsChecker checks that no two generate_ok carry the same ID, and
// none is empty.
func UniqueIDsChecker() Checker { return CheckFunc(checkIDs) }

func checkIDs(r *Result) Verdict {
	v := newVerdict("unique-ids")
	first := map[string]Operation{}
	n := 0
	for _, op := range r.History.Ops() {
		if op.F != "generate" || op.Type != OK {
			continue
		}
		n++
		id := op.Resp.ID
		if id == "" {
			v.addf([]int{op.Complete}, op.Node, op.Return, "%s answered generate with an empty id", op.Node)
			continue
		}
		if o, dup := first[id]; dup {
			v.addf([]int{o.Complete, op.Complete}, op.Node, op.Return, "id %q given twice: by %s at %v and by %s at %v", id, o.Node, o.Return, op.Node, op.Return)
			continue
		}
		first[id] = op
	}
	v.metric("ids generated", float64(n), "")
	return v.done(fmt.Sprintf("all %d ids are distinct", n), fmt.Sprintf("%d of %d ids are duplicates or empty", v.Count, n))
}

// finalReads returns each node's last successful final read, in the
// order of r.Nodes. A node that answered none of its final reads is a
// problem, added to v, and has no entry.
func finalReads(r *Result, v *verdict) []*Operation {
	last := map[string]*Operation{}
	ops := r.History.Ops()
	for i := range ops {
		if op := &ops[i]; op.Final && op.Type == OK && op.F == "read" {
			last[op.Node] = op
		}
	}
	out := make([]*Operation, 0, len(r.Nodes))
	for _, node := range r.Nodes {
		rd, ok := last[node]
		if !ok {
			v.addf(nil, node, r.FinalAt, "%s answered none of its final reads", node)
			continue
		}
		out = append(out, rd)
	}
	return out
}

// BroadcastChecker checks that every acknowledged broadcast reached every
// node: each node's final read (made after the faults healed and the
// cluster had Test.Recovery to converge) holds every message whose
// broadcast got broadcast_ok, and no read holds a message never
// broadcast. Its metrics are the delivery latencies: for each
// acknowledged message, the time from its broadcast to the end of the
// last read begun after it that still missed it (0 when none did),
// measured on at most 256 reads evenly spaced.
func BroadcastChecker() Checker { return CheckFunc(checkBroadcast) }

func checkBroadcast(r *Result) Verdict {
	v := newVerdict("broadcast")
	ops := r.History.Ops()
	var sent []int64
	var acked, reads []*Operation
	for i := range ops {
		op := &ops[i]
		switch {
		case op.F == "broadcast":
			sent = append(sent, op.Req.Message)
			if op.Type == OK {
				acked = append(acked, op)
			}
		case op.F == "read" && op.Type == OK:
			reads = append(reads, op)
		}
	}
	slices.Sort(sent)
	// Acknowledged messages in order of value, so that a read (sorted too)
	// is compared with them in one merge.
	byValue := append([]*Operation(nil), acked...)
	sort.SliceStable(byValue, func(i, j int) bool { return byValue[i].Req.Message < byValue[j].Req.Message })
	values, calls := make([]int64, len(byValue)), make([]sim.Time, len(byValue))
	for i := range byValue {
		values[i], calls[i] = byValue[i].Req.Message, byValue[i].Call
	}
	latency := make([]sim.Time, len(byValue))
	for i, rd := range reads {
		vals := sortedValues(rd.Resp.Messages)
		if x, ok := firstMissing(vals, sent); ok {
			v.addf([]int{rd.Complete}, rd.Node, rd.Return, "%s's read at %v holds %d, which no client broadcast", rd.Node, rd.Return, x)
		}
		if !sampled(i, len(reads)) {
			continue
		}
		// Each acknowledged message broadcast before the read began and
		// missing from it was not yet everywhere when the read ended.
		k := 0
		for i, m := range values {
			for k < len(vals) && vals[k] < m {
				k++
			}
			if calls[i] <= rd.Call && (k == len(vals) || vals[k] != m) {
				latency[i] = max(latency[i], rd.Return-calls[i])
			}
		}
	}
	for _, rd := range finalReads(r, v) {
		node := rd.Node
		vals := sortedValues(rd.Resp.Messages)
		var missing []int64
		events := []int{rd.Complete}
		for i, m := range values {
			if _, found := slices.BinarySearch(vals, m); !found {
				missing = append(missing, m)
				if len(events) < 6 {
					events = append(events, byValue[i].Invoke)
				}
			}
		}
		if len(missing) > 0 {
			v.addf(events, node, rd.Return, "%s's final read lacks %d acknowledged message(s): %s", node, len(missing), head(missing, 8))
		}
	}
	lat := make([]float64, len(latency))
	for i, l := range latency {
		lat[i] = l.Seconds()
	}
	slices.Sort(lat)
	v.metric("acknowledged broadcasts", float64(len(acked)), "")
	if len(lat) > 0 {
		v.metric("latency median", quantile(lat, 0.5), "s")
		v.metric("latency p95", quantile(lat, 0.95), "s")
		v.metric("latency max", lat[len(lat)-1], "s")
	}
	return v.done(fmt.Sprintf("all %d acknowledged messages reached all %d nodes", len(acked), len(r.Nodes)),
		fmt.Sprintf("%d problem(s) with %d acknowledged messages on %d nodes", v.Count, len(acked), len(r.Nodes)))
}

// latencyReads is how many reads, evenly spaced, the broadcast latency
// is measured on: each costs a pass over every acknowledged message.
const latencyReads = 256

// sampled reports whether read i of n is one of the latencyReads.
func sampled(i, n int) bool {
	if n <= latencyReads {
		return true
	}
	return i*latencyReads/n != (i+1)*latencyReads/n
}

// sortedValues returns v sorted, v itself when it already is.
func sortedValues(v []int64) []int64 {
	if slices.IsSorted(v) {
		return v
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s
}

// firstMissing returns the first value of vals (sorted) that is not in
// all (sorted).
func firstMissing(vals, all []int64) (int64, bool) {
	k := 0
	for _, x := range vals {
		for k < len(all) && all[k] < x {
			k++
		}
		if k == len(all) || all[k] != x {
			return x, true
		}
	}
	return 0, false
}

func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q * float64(len(sorted)-1))
	return sorted[i]
}

func head(v []int64, n int) string {
	if len(v) <= n {
		return ints(v)
	}
	return strings.TrimSuffix(ints(v[:n]), "]") + fmt.Sprintf(" ... %d more]", len(v)-n)
}

// CounterChecker checks a g-counter or pn-counter: every node's final
// read lies between the sum of the acknowledged adds plus the in-doubt
// adds that could have taken away (negative deltas), and the same plus
// the in-doubt adds that could have added; and the final reads agree.
func CounterChecker() Checker { return CheckFunc(checkCounter) }

func checkCounter(r *Result) Verdict {
	v := newVerdict("counter")
	var okSum, up, down int64
	nAdds := 0
	for _, op := range r.History.Ops() {
		if op.F != "add" {
			continue
		}
		switch op.Type {
		case OK:
			okSum += op.Req.Delta
			nAdds++
		case Info:
			if op.Req.Delta > 0 {
				up += op.Req.Delta
			} else {
				down += op.Req.Delta
			}
		}
	}
	lo, hi := okSum+down, okSum+up
	var values []string
	agree, first := true, int64(0)
	for i, rd := range finalReads(r, v) {
		node, x := rd.Node, rd.Resp.Value
		values = append(values, fmt.Sprintf("%s %d", node, x))
		if i == 0 {
			first = x
		} else if x != first {
			agree = false
		}
		if x < lo || x > hi {
			v.addf([]int{rd.Complete}, node, rd.Return, "%s's final read %d is outside [%d, %d]: the acknowledged adds sum to %d, those in doubt could add %d or take %d", node, x, lo, hi, okSum, up, -down)
		}
	}
	if !agree {
		v.addf(nil, "", r.FinalAt, "the final reads disagree: %s", strings.Join(values, ", "))
	}
	v.metric("acknowledged adds", float64(nAdds), "")
	v.metric("acknowledged sum", float64(okSum), "")
	return v.done(fmt.Sprintf("every final read is within [%d, %d] and they agree", lo, hi),
		fmt.Sprintf("%d problem(s) with the final reads (allowed range [%d, %d])", v.Count, lo, hi))
}

// KafkaChecker checks a kafka-style log: no acknowledged send is missing
// from the final polls (lost), no offset of a key holds two messages,
// every poll's offsets increase and start at or after the offset asked,
// skip no acknowledged offset between them, and hold only messages sent
// to that key; a client's successive sends to a key get increasing
// offsets; and a committed offset, once acknowledged, is never listed
// lower.
func KafkaChecker() Checker { return CheckFunc(checkKafka) }

type logPos struct {
	key    string
	offset int64
}

func checkKafka(r *Result) Verdict {
	v := newVerdict("kafka")
	ops := r.History.Ops()
	acked := map[logPos]Operation{}
	sentTo := map[int64]string{}
	ackedOffsets := map[string][]int64{}
	lastSend := map[string]Operation{} // by client and key
	for _, op := range ops {
		if op.F != "send" {
			continue
		}
		sentTo[op.Req.Msg] = op.Req.Key
		if op.Type != OK {
			continue
		}
		p := logPos{op.Req.Key, op.Resp.Offset}
		if o, dup := acked[p]; dup {
			v.addf([]int{o.Complete, op.Complete}, op.Node, op.Return, "offset %s:%d acknowledged for both %d and %d", p.key, p.offset, o.Req.Msg, op.Req.Msg)
			continue
		}
		acked[p] = op
		ackedOffsets[p.key] = append(ackedOffsets[p.key], p.offset)
		ck := op.Client + "/" + p.key
		if prev, ok := lastSend[ck]; ok && prev.Return < op.Call && op.Resp.Offset <= prev.Resp.Offset {
			v.addf([]int{prev.Complete, op.Complete}, op.Node, op.Return, "%s's sends to %s went backwards: offset %d, then %d", op.Client, p.key, prev.Resp.Offset, op.Resp.Offset)
		}
		lastSend[ck] = op
	}
	for k := range ackedOffsets {
		slices.Sort(ackedOffsets[k])
	}
	final := map[logPos]int64{}
	finalKeys := map[string]bool{}
	for _, op := range ops {
		if op.F != "poll" || op.Type != OK {
			continue
		}
		for _, key := range slices.Sorted(maps.Keys(op.Resp.Msgs)) {
			checkPoll(v, op, key, acked, ackedOffsets[key], sentTo)
			if op.Final {
				finalKeys[key] = true
				for _, p := range op.Resp.Msgs[key] {
					final[logPos{key, p[0]}] = p[1]
				}
			}
		}
		if op.Final {
			for key := range op.Req.Offsets {
				finalKeys[key] = true
			}
		}
	}
	lost := 0
	for _, key := range slices.Sorted(maps.Keys(ackedOffsets)) {
		if !finalKeys[key] {
			v.addf(nil, "", r.FinalAt, "no final poll of %s was answered", key)
			continue
		}
		for _, off := range ackedOffsets[key] {
			op := acked[logPos{key, off}]
			if m, ok := final[logPos{key, off}]; !ok || m != op.Req.Msg {
				lost++
				v.addf([]int{op.Invoke, op.Complete}, op.Node, op.Return, "acknowledged send of %d to %s at offset %d is lost: the final polls do not hold it", op.Req.Msg, key, off)
			}
		}
	}
	checkCommits(v, ops)
	v.metric("acknowledged sends", float64(len(acked)), "")
	v.metric("lost sends", float64(lost), "")
	return v.done(fmt.Sprintf("all %d acknowledged sends are in the logs, in order, and commits hold", len(acked)),
		fmt.Sprintf("%d problem(s) in the logs (%d acknowledged sends lost)", v.Count, lost))
}

// checkPoll checks one key of one poll's answer.
func checkPoll(v *verdict, op Operation, key string, acked map[logPos]Operation, known []int64, sentTo map[int64]string) {
	msgs := op.Resp.Msgs[key]
	from, asked := op.Req.Offsets[key]
	for i, p := range msgs {
		off, m := p[0], p[1]
		if i == 0 && asked && off < from {
			v.addf([]int{op.Complete}, op.Node, op.Return, "poll of %s from %d answered from offset %d", key, from, off)
		}
		if i > 0 && off <= msgs[i-1][0] {
			v.addf([]int{op.Complete}, op.Node, op.Return, "poll of %s answered offsets out of order: %d after %d", key, off, msgs[i-1][0])
		}
		if a, ok := acked[logPos{key, off}]; ok && a.Req.Msg != m {
			v.addf([]int{a.Complete, op.Complete}, op.Node, op.Return, "%s:%d holds %d in a poll, but the send of %d was acknowledged there", key, off, m, a.Req.Msg)
		}
		if k, ok := sentTo[m]; !ok {
			v.addf([]int{op.Complete}, op.Node, op.Return, "poll of %s returned %d, which no client sent", key, m)
		} else if k != key {
			v.addf([]int{op.Complete}, op.Node, op.Return, "poll of %s returned %d, which was sent to %s", key, m, k)
		}
		lo := from
		if i > 0 {
			lo = msgs[i-1][0] + 1
		} else if !asked {
			continue
		}
		// An offset acknowledged before the poll began, between the last
		// one returned and this one, was skipped.
		j := sort.Search(len(known), func(j int) bool { return known[j] >= lo })
		for ; j < len(known) && known[j] < off; j++ {
			if a := acked[logPos{key, known[j]}]; a.Return < op.Call {
				v.addf([]int{a.Complete, op.Complete}, op.Node, op.Return, "poll of %s skipped offset %d (the acknowledged send of %d) between %d and %d", key, known[j], a.Req.Msg, lo, off)
				break
			}
		}
	}
}

// checkCommits checks that a listed committed offset is never below one
// whose commit was acknowledged before the list began.
func checkCommits(v *verdict, ops []Operation) {
	type commit struct {
		at     sim.Time
		offset int64
		op     Operation
	}
	commits := map[string][]commit{}
	for _, op := range ops {
		if op.F == "commit_offsets" && op.Type == OK {
			for _, k := range slices.Sorted(maps.Keys(op.Req.Offsets)) {
				commits[k] = append(commits[k], commit{op.Return, op.Req.Offsets[k], op})
			}
		}
	}
	for k := range commits {
		c := commits[k]
		sort.SliceStable(c, func(i, j int) bool { return c[i].at < c[j].at })
	}
	for _, op := range ops {
		if op.F != "list_committed_offsets" || op.Type != OK {
			continue
		}
		for _, k := range op.Req.Keys {
			best := commit{offset: -1}
			for _, c := range commits[k] {
				if c.at >= op.Call {
					break
				}
				if c.offset > best.offset {
					best = c
				}
			}
			if best.offset < 0 {
				continue
			}
			got, ok := op.Resp.Offsets[k]
			if !ok || got < best.offset {
				shown := "nothing"
				if ok {
					shown = fmt.Sprint(got)
				}
				v.addf([]int{best.op.Complete, op.Complete}, op.Node, op.Return, "committed offset of %s listed as %s after a commit of %d was acknowledged", k, shown, best.offset)
			}
		}
	}
}
