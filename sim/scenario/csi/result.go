package csi

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/viz"
)

// Outcomes of an order.
const (
	OK     = "ok"
	Loud   = "loud failure"
	Silent = "silent corruption"
)

// Failure is a loud failure: an error someone's log or monitoring shows.
type Failure struct {
	Side  string // upstream or downstream: where it was raised
	Plane string // data, management or control
	Error string
}

// Order is one order's fate: what it held, and what the checker found.
type Order struct {
	ID       int64
	At       sim.Time // when A wrote it
	Account  string
	Customer string
	Amount   string // as A meant it
	Items    int64
	Writer   int // A's schema version
	Reader   int // B's schema version when it read the order (0: never read)
	Attempts int

	Outcome string // OK, Loud or Silent
	Side    string // loud failures: where
	Plane   string // loud failures: which plane
	Cause   string // a short name for the failure: "shipped_at unreadable"
	Why     string // the explanation, from the data

	Stored        int  // copies B stored
	AnsweredEarly bool // B answered before applying it (an asynchronous API)

	// Traits are the order's data properties, one per TraitNames entry,
	// that explain failures: the text's character set, whether it shipped,
	// how its amount fares in binary, its size, how soon A wrote the next
	// order of the same account, the versions.
	Traits []string
}

// TraitNames are the properties of an order that Explain considers.
func TraitNames() []string {
	return []string{"text", "shipped_at", "amount x100 in binary", "items", "next order of account", "writer", "discount", "reader"}
}

// Result is what a run produced.
type Result struct {
	Config   Config // as given, with defaults filled in
	Deployed Config // what ran: Config with the enabled checks' fixes
	Checks   []Check

	Orders              []Order
	OKs, Louds, Silents int
	// Errors is what monitoring sees: the loud failures. Silent
	// corruption does not add to it; only the checker finds it.
	Errors int

	// Shares of the orders A wrote in each window, by outcome (percent).
	OKShare, LoudShare, SilentShare *metrics.Series
	// BTimes is B's time per attempt, from receipt to the work done (s).
	BTimes []float64

	Events int64
	End    sim.Time
	Spans  []viz.Span

	explained *Explanation // Explain's answer, computed once
}

func newResult(cfg Config) *Result {
	return &Result{Config: cfg, Deployed: cfg,
		OKShare: metrics.NewSeries("ok", "%"), LoudShare: metrics.NewSeries("loud failures", "%"),
		SilentShare: metrics.NewSeries("silent corruption", "%")}
}

// check is the checker: after the run it compares, order by order, what A
// meant to write with what B holds, then fills in the result.
func (r *run) check() {
	res := r.res
	res.Events, res.End = r.s.Events(), r.s.Now()
	final := make([]map[int64]bool, len(r.accounts))
	for i, a := range r.accounts {
		final[i] = map[int64]bool{}
		for p := a.prov; p != nil; p = p.next {
			final[i][p.id] = true
		}
	}
	perAccount := make([][]*order, len(r.accounts))
	for _, o := range r.orders {
		perAccount[o.rec.account] = append(perAccount[o.rec.account], o)
	}
	for _, o := range r.orders {
		out := r.classify(o, final, perAccount)
		res.Orders = append(res.Orders, out)
		for _, t := range o.bTimes {
			if t >= 0 {
				res.BTimes = append(res.BTimes, t.Seconds())
			}
		}
	}
	res.tally(r.cfg)
}

func (r *run) classify(o *order, final []map[int64]bool, perAccount [][]*order) Order {
	rec := o.rec
	out := Order{ID: rec.id, At: sim.Time(rec.at), Account: accountName(rec.account), Customer: rec.truth[fCustomer].s,
		Amount: canon(fAmount, catalogue[fAmount].t, rec.truth[fAmount]), Items: rec.items,
		Writer: r.cfg.Upstream.Schema.Version, Attempts: o.attempts, Stored: o.stored,
		AnsweredEarly: r.cfg.Downstream.Async && o.stored > 0}
	if rec.writer == 1 {
		out.Writer = r.cfg.Upstream.Next.Version
	}
	if o.stored > 0 {
		out.Reader = o.readerSchema.Version
	}
	out.Traits = traits(rec, out, nextGap(o, perAccount[rec.account]))
	silent := func(cause, why string) {
		out.Outcome, out.Cause, out.Why = Silent, cause, why
	}
	switch {
	case o.loud != nil:
		out.Outcome, out.Side, out.Plane, out.Why = Loud, o.loud.Side, o.loud.Plane, o.loud.Error
		out.Cause = loudCause(o.loud)
		if o.stored > 0 {
			out.Why += fmt.Sprintf("; B stored it %d time(s) anyway", o.stored)
		}
	case o.stored == 0:
		silent("never stored", "B never stored the order, and nobody reported an error")
	default:
		if k, wrote, got := differs(rec, o.read, o.readTypes, o.readHas); k >= 0 {
			silent(catalogue[k].name+" changed", silentStory(k, o, wrote, got))
			break
		}
		if o.stored > 1 {
			silent("stored twice", fmt.Sprintf("B stored the order %d times: A retried after timeouts (B took %s) and B is not idempotent",
				o.stored, tookList(o.bTimes)))
			break
		}
		if !final[rec.account][rec.id] {
			silent("lost update", lostStory(o, perAccount[rec.account]))
			break
		}
		if p := o.after; p != nil && p.applied > o.applied {
			silent("out of order", fmt.Sprintf("B applied it before order %d, which A sent first and believed applied (B had only acknowledged it)", p.rec.id))
			break
		}
		out.Outcome = OK
	}
	return out
}

func tookList(ts []sim.Time) string {
	var s []string
	for _, t := range ts {
		if t >= 0 {
			s = append(s, fmt.Sprint(t.Duration().Round(100_000_000)))
		}
	}
	return strings.Join(s, ", ")
}

// lostStory names the order that overwrote o's update: one of the same
// account that read the balance before o wrote it and wrote after.
func lostStory(o *order, same []*order) string {
	for _, p := range same {
		if p != o && p.applied > 0 && p.readAt < o.wroteAt && p.wroteAt > o.wroteAt {
			ms := func(t sim.Time) time.Duration { return t.Duration().Round(time.Millisecond) }
			return fmt.Sprintf("its amount is missing from %s's balance: order %d read the balance at %v, before this one wrote it at %v, and wrote it back at %v",
				accountName(o.rec.account), p.rec.id, ms(p.readAt), ms(o.wroteAt), ms(p.wroteAt))
		}
	}
	return fmt.Sprintf("its amount is missing from %s's balance: a concurrent update overwrote it", accountName(o.rec.account))
}

// silentStory explains a changed field from the two schemas.
func silentStory(k int, o *order, wrote, got string) string {
	name := catalogue[k].name
	ws, rs := o.w.schema, o.readerSchema
	if !o.readHas[k] {
		return fmt.Sprintf("%s %s was dropped: A's schema v%d sends it, B's v%d has no such field and ignores it", name, wrote, ws.Version, rs.Version)
	}
	wt, rt := o.w.types[k], o.readTypes[k]
	story := fmt.Sprintf("%s: A wrote %q, B read %q", name, wrote, got)
	switch {
	case wt.k == kString && rt.k == kString:
		if _, lost := encode(o.rec.truth[k].s, ws.Encoding); lost != 0 {
			return story + fmt.Sprintf(" (A encodes %s, which has no %q: it wrote '?')", ws.Encoding, lost)
		}
		return story + fmt.Sprintf(" (A encodes %s, B decodes %s)", ws.Encoding, rs.Encoding)
	case wt.k == kDouble && rt.k == kDecimal:
		f := o.w.vals[k].f
		scaled := f * float64(pow10[rt.s])
		return story + fmt.Sprintf(" (A sends a double, %s in binary; B's %v scales it to %s and truncates)",
			strconv.FormatFloat(f, 'g', 20, 64), rt, strconv.FormatFloat(scaled, 'g', 17, 64))
	}
	return story + fmt.Sprintf(" (A writes %v, B reads %v)", wt, rt)
}

// loudCause is a loud failure's short name.
func loudCause(f *Failure) string {
	e := f.Error
	switch {
	case strings.HasPrefix(e, "A gave up"):
		return "timed out"
	case strings.HasPrefix(e, "B refused"):
		return "refused: too many items"
	case strings.HasPrefix(e, "B's queue"):
		return "queue full"
	case strings.HasPrefix(e, "B cannot read "), strings.HasPrefix(e, "A cannot write "):
		rest := strings.TrimPrefix(strings.TrimPrefix(e, "B cannot read "), "A cannot write ")
		field, _, _ := strings.Cut(rest, " ")
		field = strings.TrimSuffix(field, ":")
		if strings.HasPrefix(e, "A") {
			return field + " unwritable"
		}
		return field + " unreadable"
	}
	return "error"
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

// tally counts outcomes and fills the series and spans.
func (res *Result) tally(cfg Config) {
	res.OKs, res.Louds, res.Silents = 0, 0, 0
	w := sim.FromDuration(cfg.Window)
	n := int(sim.FromDuration(cfg.Duration)/w) + 1
	counts := make([][3]float64, n)
	for _, o := range res.Orders {
		i := min(int(o.At/w), n-1)
		switch o.Outcome {
		case OK:
			res.OKs++
			counts[i][0]++
		case Loud:
			res.Louds++
			counts[i][1]++
		default:
			res.Silents++
			counts[i][2]++
		}
	}
	res.Errors = res.Louds
	for i, c := range counts {
		total := c[0] + c[1] + c[2]
		if total == 0 {
			continue
		}
		t := sim.Time(i)*w + w/2
		res.OKShare.Add(t, 100*c[0]/total)
		res.LoudShare.Add(t, 100*c[1]/total)
		res.SilentShare.Add(t, 100*c[2]/total)
	}
	a, b := cfg.Upstream, cfg.Downstream
	if a.Next.Version != 0 {
		from := sim.FromDuration(a.RolloutStart)
		to := sim.FromDuration(cfg.Duration)
		if b.Next.Version != 0 {
			to = min(to, sim.FromDuration(b.UpgradeAt))
		}
		if to > from {
			res.Spans = append(res.Spans, viz.Span{From: from, To: to, Label: fmt.Sprintf("A's v%d meets B's v%d", a.Next.Version, b.Schema.Version)})
		}
	}
}

// Rate is the share of orders with this outcome.
func (r *Result) Rate(outcome string) float64 {
	if len(r.Orders) == 0 {
		return 0
	}
	n := 0
	switch outcome {
	case OK:
		n = r.OKs
	case Loud:
		n = r.Louds
	case Silent:
		n = r.Silents
	}
	return float64(n) / float64(len(r.Orders))
}

// Failed lists the orders that failed loudly or were corrupted.
func (r *Result) Failed() []Order {
	var out []Order
	for _, o := range r.Orders {
		if o.Outcome != OK {
			out = append(out, o)
		}
	}
	return out
}

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

func outcomeIndex(o Order) int {
	switch o.Outcome {
	case OK:
		return 0
	case Loud:
		return 1
	}
	return 2
}

// groups counts outcomes per combination of the traits at idx, in order
// of first appearance.
func (r *Result) groups(idx []int) (keys []string, counts [][3]int) {
	at := map[string]int{}
	for _, o := range r.Orders {
		var parts []string
		for _, i := range idx {
			parts = append(parts, TraitNames()[i]+" = "+o.Traits[i])
		}
		k := strings.Join(parts, ", ")
		g, ok := at[k]
		if !ok {
			g = len(keys)
			at[k] = g
			keys = append(keys, k)
			counts = append(counts, [3]int{})
		}
		counts[g][outcomeIndex(o)]++
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
		all[outcomeIndex(o)]++
	}
	h := entropy(all)
	if h == 0 || len(r.Orders) == 0 {
		return Explanation{Explained: 1}
	}
	n := float64(len(r.Orders))
	var best [4]Explanation
	var bestIdx [4][]int
	try := func(idx []int) {
		_, counts := r.groups(idx)
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
	keys, counts := r.groups(idx)
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

func traitIndex(name string) int {
	for i, n := range TraitNames() {
		if n == name {
			return i
		}
	}
	return -1
}

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
		switch o.Outcome {
		case OK:
			rw.count[0]++
		case Loud:
			rw.count[1]++
		default:
			rw.count[2]++
		}
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
		outcome := o.Outcome
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
