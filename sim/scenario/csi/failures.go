package csi

import (
	"fmt"
	"sort"
	"strings"

	"dsim/sim/metrics"
)

// Breakdown counts outcomes per value of the named traits (those of
// Explain when none are named): the table that shows which orders failed
// and why.
func (r *Result) Breakdown(traitNames ...string) *metrics.Table {
	if len(traitNames) == 0 {
		traitNames = r.Explain().Traits
	}
	if len(traitNames) == 0 {
		traitNames = TraitNames()[:1]
	}
	var idx []int
	for _, n := range traitNames {
		if i := traitIndex(n); i >= 0 {
			idx = append(idx, i)
		}
	}
	cols := append([]string(nil), traitNames...)
	cols = append(cols, "orders", "ok", "loud", "silent", "failed")
	t := metrics.NewTable("Outcomes by "+strings.Join(traitNames, " and "), cols...)
	type row struct {
		key   []string
		count [3]int
	}
	var rows []*row
	find := map[string]*row{}
	for _, o := range r.Orders {
		var key []string
		for _, i := range idx {
			key = append(key, o.Traits[i])
		}
		k := strings.Join(key, "|")
		rw := find[k]
		if rw == nil {
			rw = &row{key: key}
			find[k] = rw
			rows = append(rows, rw)
		}
		rw.count[o.Outcome.index()]++
	}
	sort.SliceStable(rows, func(i, j int) bool { return natLess(strings.Join(rows[i].key, "|"), strings.Join(rows[j].key, "|")) })
	for _, rw := range rows {
		total := rw.count[0] + rw.count[1] + rw.count[2]
		cells := []any{}
		for _, k := range rw.key {
			cells = append(cells, k)
		}
		cells = append(cells, fmt.Sprint(total), fmt.Sprint(rw.count[0]), fmt.Sprint(rw.count[1]), fmt.Sprint(rw.count[2]),
			metrics.Pct(float64(rw.count[1]+rw.count[2])/float64(total)))
		t.Add(cells...)
	}
	return t
}

// Examples lists up to n failed orders, one per cause first, with the
// explanation the checker found.
func (r *Result) Examples(n int) *metrics.Table {
	t := metrics.NewTable("Failed orders, and why", "order", "customer", "amount", "items", "outcome", "cause", "why")
	seen := map[string]bool{}
	var picked []Order
	failed := r.Failed()
	for _, o := range failed {
		if !seen[o.Cause] && len(picked) < n {
			seen[o.Cause] = true
			picked = append(picked, o)
		}
	}
	for _, o := range failed {
		if len(picked) >= n {
			break
		}
		if !containsOrder(picked, o.ID) {
			picked = append(picked, o)
		}
	}
	sort.SliceStable(picked, func(i, j int) bool { return picked[i].ID < picked[j].ID })
	for _, o := range picked {
		outcome := string(o.Outcome)
		if o.Outcome == Loud {
			outcome = fmt.Sprintf("loud (%s, %s plane)", o.Side, o.Plane)
		}
		t.Add(fmt.Sprint(o.ID), o.Customer, o.Amount, fmt.Sprint(o.Items), outcome, o.Cause, o.Why)
	}
	if len(failed) == 0 {
		t.Note("no order failed")
	}
	return t
}

func containsOrder(os []Order, id int64) bool {
	for _, o := range os {
		if o.ID == id {
			return true
		}
	}
	return false
}

// Causes counts the failures by cause, most frequent first; each name
// says whether the failure was loud or silent.
func (r *Result) Causes() (names []string, counts []int) {
	idx := map[string]int{}
	for _, o := range r.Failed() {
		kind := "silent"
		if o.Outcome == Loud {
			kind = "loud"
		}
		name := o.Cause + " (" + kind + ")"
		i, ok := idx[name]
		if !ok {
			i = len(names)
			idx[name] = i
			names = append(names, name)
			counts = append(counts, 0)
		}
		counts[i]++
	}
	order := make([]int, len(names))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return counts[order[a]] > counts[order[b]] })
	sn, sc := make([]string, len(order)), make([]int, len(order))
	for i, k := range order {
		sn[i], sc[i] = names[k], counts[k]
	}
	return sn, sc
}
