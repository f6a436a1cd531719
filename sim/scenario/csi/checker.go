package csi

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"dsim/sim"
)

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
	var span sim.Time
	for _, o := range r.orders {
		perAccount[o.rec.account] = append(perAccount[o.rec.account], o)
		if o.applied > 0 {
			span = max(span, o.wroteAt-sim.Time(o.rec.at))
		}
	}
	for _, o := range r.orders {
		out := r.classify(o, final, perAccount, span)
		res.Orders = append(res.Orders, out)
		for _, t := range o.bTimes {
			if t >= 0 {
				res.BTimes = append(res.BTimes, t.Duration())
			}
		}
	}
	res.tally(r.cfg)
}

// classify is one order's outcome, cause and story. span is the longest
// time from an order's arrival to B's first write of it.
func (r *run) classify(o *order, final []map[int64]bool, perAccount [][]*order, span sim.Time) Order {
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
			silent("lost update", lostStory(o, perAccount[rec.account], span))
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

// lostStory names the order that overwrote o's update: the first of the
// same account (same, in arrival order) that read the balance before o
// wrote it and wrote after. Such an order arrived within span before o's
// write, and before it: only those are looked at, so a run of one busy
// account costs the orders of a span per lost update, not all of them.
func lostStory(o *order, same []*order, span sim.Time) string {
	from := sort.Search(len(same), func(i int) bool { return sim.Time(same[i].rec.at) > o.wroteAt-span })
	for _, p := range same[from:] {
		if sim.Time(p.rec.at) >= o.wroteAt {
			break
		}
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

// differs compares what A meant to write with what B read: the first field
// that differs, with both as text, or -1. A field A wrote that B's schema
// does not have differs when it held a value.
func differs(rec *record, vals [nFields]value, types [nFields]ftype, has [nFields]bool) (int, string, string) {
	for k := range catalogue {
		if !rec.has[k] {
			continue
		}
		wrote := canon(k, catalogue[k].t, rec.truth[k])
		got := "(not read)"
		if has[k] {
			got = canon(k, types[k], vals[k])
		} else if rec.truth[k].null {
			continue
		}
		if wrote != got {
			return k, wrote, got
		}
	}
	return -1, "", ""
}
