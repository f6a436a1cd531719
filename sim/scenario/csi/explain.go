package csi

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"dsim/sim/metrics"
)

// Explanation is the data property (or two, or three) that best accounts
// for which orders failed and how.
type Explanation struct {
	Traits []string // names from TraitNames
	// Explained is the share of the uncertainty about an order's outcome
	// (ok, loud, silent; its entropy) that knowing the traits removes: 1
	// means the traits decide the outcome.
	Explained float64
	// Group is the values of the traits whose orders fail most often
	// ("shipped_at = set"), with its failure rate, its size, and the
	// failure rate of all other orders.
	Group               string
	GroupRate, RestRate float64
	GroupSize           int
}

func (e Explanation) String() string {
	if e.Group == "" {
		return "no order failed"
	}
	return fmt.Sprintf("%d orders with %s failed at %s, the rest at %s (%s explains %s of the outcomes)",
		e.GroupSize, e.Group, metrics.Pct(e.GroupRate), metrics.Pct(e.RestRate), strings.Join(e.Traits, " and "), metrics.Pct(e.Explained))
}

func entropy(c [3]int) float64 {
	n := float64(c[0] + c[1] + c[2])
	h := 0.0
	for _, k := range c {
		if k > 0 {
			p := float64(k) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}

// traitCodes numbers the orders' trait values, trait by trait, in order
// of first appearance, so that grouping compares small numbers, not text:
// Explain groups every order some ninety times. Each trait has a handful
// of values (they are classes: "1-5", "6-10", ...).
type traitCodes struct {
	codes  [][]int    // per trait, per order
	values [][]string // per trait, per code
}

func (r *Result) traitCodes() traitCodes {
	k := len(TraitNames())
	t := traitCodes{codes: make([][]int, k), values: make([][]string, k)}
	for i := 0; i < k; i++ {
		code := map[string]int{}
		t.codes[i] = make([]int, len(r.Orders))
		for n, o := range r.Orders {
			c, ok := code[o.Traits[i]]
			if !ok {
				c = len(t.values[i])
				code[o.Traits[i]] = c
				t.values[i] = append(t.values[i], o.Traits[i])
			}
			t.codes[i][n] = c
		}
	}
	return t
}

// groups counts outcomes per combination of the traits at idx, in order
// of first appearance, each named "trait = value, ...".
func (r *Result) groups(t traitCodes, idx []int) (keys []string, counts [][3]int) {
	size := 1
	for _, i := range idx {
		size *= len(t.values[i])
	}
	at := make([]int, size) // group index + 1; 0 when not seen yet
	for n, o := range r.Orders {
		key := 0
		for _, i := range idx {
			key = key*len(t.values[i]) + t.codes[i][n]
		}
		if at[key] == 0 {
			var parts []string
			for _, i := range idx {
				parts = append(parts, TraitNames()[i]+" = "+t.values[i][t.codes[i][n]])
			}
			keys = append(keys, strings.Join(parts, ", "))
			counts = append(counts, [3]int{})
			at[key] = len(counts)
		}
		counts[at[key]-1][o.Outcome.index()]++
	}
	return keys, counts
}

// Explain finds the fewest traits that account for the outcomes: every
// combination of up to three traits is scored by how much of the outcome's
// entropy it removes, and the smallest combination within 0.1 of the
// best wins. It is computed once per result.
func (r *Result) Explain() Explanation {
	if r.explained == nil {
		e := r.explain()
		r.explained = &e
	}
	return *r.explained
}

func (r *Result) explain() Explanation {
	var all [3]int
	for _, o := range r.Orders {
		all[o.Outcome.index()]++
	}
	h := entropy(all)
	if h == 0 || len(r.Orders) == 0 {
		return Explanation{Explained: 1}
	}
	n := float64(len(r.Orders))
	codes := r.traitCodes()
	var best [4]Explanation
	var bestIdx [4][]int
	try := func(idx []int) {
		_, counts := r.groups(codes, idx)
		cond := 0.0
		for _, c := range counts {
			cond += float64(c[0]+c[1]+c[2]) / n * entropy(c)
		}
		if gain := 1 - cond/h; gain > best[len(idx)].Explained+1e-12 {
			best[len(idx)] = Explanation{Explained: gain}
			bestIdx[len(idx)] = append([]int(nil), idx...)
		}
	}
	k := len(TraitNames())
	for i := 0; i < k; i++ {
		try([]int{i})
		for j := i + 1; j < k; j++ {
			try([]int{i, j})
			for l := j + 1; l < k; l++ {
				try([]int{i, j, l})
			}
		}
	}
	top := math.Max(best[1].Explained, math.Max(best[2].Explained, best[3].Explained))
	pick := 1
	for pick < 3 && best[pick].Explained < top-0.1 {
		pick++
	}
	e, idx := best[pick], bestIdx[pick]
	for _, i := range idx {
		e.Traits = append(e.Traits, TraitNames()[i])
	}
	// The group: every combination of values where most orders failed, or
	// else the one that fails most often.
	keys, counts := r.groups(codes, idx)
	failed := len(r.Orders) - all[0]
	var names []string
	var inFailed, inSize int
	worst, worstRate := -1, 0.0
	for g, c := range counts {
		size := c[0] + c[1] + c[2]
		rate := float64(c[1]+c[2]) / float64(size)
		if rate > 0.5 {
			names = append(names, keys[g])
			inFailed += c[1] + c[2]
			inSize += size
		}
		if size*100 >= len(r.Orders) && rate > worstRate {
			worst, worstRate = g, rate
		}
	}
	if len(names) == 0 && worst >= 0 {
		c := counts[worst]
		names, inFailed, inSize = []string{keys[worst]}, c[1]+c[2], c[0]+c[1]+c[2]
	}
	if inSize > 0 {
		sort.SliceStable(names, func(i, j int) bool { return natLess(names[i], names[j]) })
		e.Group, e.GroupSize = strings.Join(names, " or "), inSize
		e.GroupRate = float64(inFailed) / float64(inSize)
		if rest := len(r.Orders) - inSize; rest > 0 {
			e.RestRate = float64(failed-inFailed) / float64(rest)
		}
	}
	return e
}

// natLess orders text with numbers in it by their value: "6-10" before
// "11-20".
func natLess(a, b string) bool {
	for a != "" && b != "" {
		da, db := digits(a), digits(b)
		if da > 0 && db > 0 {
			na, _ := strconv.Atoi(a[:da])
			nb, _ := strconv.Atoi(b[:db])
			if na != nb {
				return na < nb
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

func digits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}
