package csi

import (
	"sort"
	"strconv"

	"dsim/sim"
)

// TraitNames are the properties of an order that Explain considers.
func TraitNames() []string {
	return []string{"text", "shipped_at", "amount x100 in binary", "items", "next order of account", "writer", "discount", "reader"}
}

func traitIndex(name string) int {
	for i, n := range TraitNames() {
		if n == name {
			return i
		}
	}
	return -1
}

// nextGap is the time from o to the next order A wrote for the same
// account (-1: none).
func nextGap(o *order, same []*order) sim.Time {
	i := sort.Search(len(same), func(i int) bool { return same[i].rec.id > o.rec.id })
	if i == len(same) {
		return -1
	}
	return sim.Time(same[i].rec.at - o.rec.at)
}

func traits(rec *record, o Order, gap sim.Time) []string {
	text := rec.truth[fCustomer].s
	if !rec.truth[fNote].null {
		text += " " + rec.truth[fNote].s
	}
	shipped := "set"
	if rec.truth[fShippedAt].null {
		shipped = "null"
	}
	cents := rec.truth[fAmount].i
	f := float64(cents) / 100
	binary := "exact"
	switch x := f * 100; {
	case x < float64(cents):
		binary = "falls short"
	case x > float64(cents):
		binary = "overshoots"
	}
	items := "41+"
	for _, b := range []struct {
		hi    int64
		label string
	}{{5, "1-5"}, {10, "6-10"}, {20, "11-20"}, {40, "21-40"}} {
		if rec.items <= b.hi {
			items = b.label
			break
		}
	}
	next := "over 5s or none"
	switch {
	case gap < 0:
	case gap < 250*sim.Millisecond:
		next = "within 250ms"
	case gap < sim.Second:
		next = "250ms-1s"
	case gap < 5*sim.Second:
		next = "1s-5s"
	}
	discount := "none"
	if !rec.truth[fDiscount].null {
		discount = "set"
	}
	reader := "never read"
	if o.Reader > 0 {
		reader = "v" + strconv.Itoa(o.Reader)
	}
	return []string{textClass(text), shipped, binary, items, next, "v" + strconv.Itoa(o.Writer), discount, reader}
}
