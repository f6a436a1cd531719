package csi

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// The record catalogue: every field a schema may name, with the type the
// business means (its logical type). A schema may declare a field in
// another type; the systems then convert, each by its own convention
// (a timestamp in a long is epoch milliseconds, an amount in a long is
// cents, an amount in a double is in units).
var catalogue = []struct {
	name     string
	t        ftype
	nullable bool
}{
	{"id", ftype{k: kLong}, false},
	{"account", ftype{k: kString}, false},
	{"customer", ftype{k: kString}, false},
	{"amount", ftype{k: kDecimal, p: 12, s: 2}, false},
	{"items", ftype{k: kLong}, false},
	{"created_at", ftype{k: kTimestamp}, false},
	{"shipped_at", ftype{k: kTimestamp}, true},
	{"note", ftype{k: kString}, true},
	{"discount", ftype{k: kDecimal, p: 12, s: 2}, true},
}

const (
	fID = iota
	fAccount
	fCustomer
	fAmount
	fItems
	fCreatedAt
	fShippedAt
	fNote
	fDiscount
	nFields
)

// FieldNames lists the fields a schema may use, in catalogue order.
func FieldNames() []string {
	names := make([]string, len(catalogue))
	for i, c := range catalogue {
		names[i] = c.name
	}
	return names
}

func fieldIndex(name string) int {
	for i, c := range catalogue {
		if c.name == name {
			return i
		}
	}
	return -1
}

// OrdersV1 is the orders schema both systems start from: every field in
// its logical type, strings in UTF-8, no discount.
func OrdersV1() Schema {
	s := Schema{Name: "orders", Version: 1, Encoding: "utf-8"}
	for _, c := range catalogue[:fDiscount] {
		s.Fields = append(s.Fields, Field{Name: c.name, Type: c.t.String(), Nullable: c.nullable})
	}
	return s
}

// OrdersV2 adds an optional discount: the customer pays amount - discount.
func OrdersV2() Schema {
	s := OrdersV1()
	s.Version = 2
	s.Fields = append(s.Fields, Field{Name: "discount", Type: "decimal(12,2)", Nullable: true})
	return s
}

// epoch is the wall-clock instant virtual time zero stands for, in
// microseconds since 1970 (2026-03-02T09:00:00Z): records carry realistic
// timestamps, and the run never reads a clock.
var epoch = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).UnixMicro()

// Names on orders: most are ASCII, about a quarter have letters Latin-1
// holds (é, ü, ñ, ø), and some have letters beyond it (Ł, ř, ő, Chinese,
// Greek, Cyrillic). Weights are per name.
var customers = []struct {
	name   string
	weight int
}{
	{"John Smith", 6}, {"Mary Johnson", 5}, {"James Brown", 5}, {"Patricia Davis", 4}, {"Robert Miller", 4},
	{"Linda Wilson", 4}, {"Michael Moore", 4}, {"Aisha Khan", 3}, {"Wei Chen", 3}, {"Nguyen Van An", 3},
	{"Priya Patel", 3}, {"David O'Brien", 3}, {"Sarah Taylor", 3}, {"Kenji Sato", 2}, {"Olga Ivanova", 2},
	{"José García", 3}, {"Zoë Brontë", 2}, {"Søren Kierkegaard", 2}, {"François Dupont", 3}, {"Jürgen Müller", 3},
	{"Inês Conceição", 2}, {"Ólafur Arnalds", 1}, {"Björk Guðmundsdóttir", 1}, {"Ramón Núñez", 2}, {"Chloé Lefèvre", 2},
	{"Łukasz Wiśniewski", 2}, {"Antonín Dvořák", 1}, {"Erdős Pál", 1}, {"王芳", 2}, {"Αθηνά Παππά", 1},
	{"Дмитрий Орлов", 1}, {"Đorđe Petrović", 1},
}

var notes = []string{
	"Leave at the door", "Call on arrival", "Gift wrap please", "Back entrance", "Deliver after 5pm",
	"Café counter, ask for Zoé", "Größe M bitte", "Gift 🎁 for mum", "Ring twice",
}

// Classes of text, by the narrowest encoding that holds it.
const (
	textASCII  = "ASCII only"
	textLatin1 = "Latin-1 letters"
	textBeyond = "letters beyond Latin-1"
)

func textClass(s string) string {
	class := textASCII
	for _, r := range s {
		if r > 0xFF {
			return textBeyond
		}
		if r > 0x7F {
			class = textLatin1
		}
	}
	return class
}

// Record is one order as upstream means it, and what became of it.
type record struct {
	id      int64
	at      int64 // virtual time, ns
	account int
	items   int64
	writer  int // 0: the upstream's schema, 1: its next one
	truth   [nFields]value
	has     [nFields]bool // the writer's schema carries the field
}

// generator draws orders from one named stream.
type generator struct {
	r       *rand.Rand
	zipf    *rand.Zipf
	weights int
	max     int64
}

func newGenerator(r *rand.Rand, accounts int, maxItems int) *generator {
	g := &generator{r: r, max: int64(maxItems)}
	if accounts > 1 {
		g.zipf = rand.NewZipf(r, 1.1, 5, uint64(accounts-1))
	}
	for _, c := range customers {
		g.weights += c.weight
	}
	return g
}

func (g *generator) customer() string {
	n := g.r.IntN(g.weights)
	for _, c := range customers {
		if n < c.weight {
			return c.name
		}
		n -= c.weight
	}
	return customers[0].name
}

// price draws an amount in cents: shop prices end in .99, .00, .50 or
// .95 more often than not.
func (g *generator) price() int64 {
	dollars := int64(math.Floor(25 * math.Exp(1.1*g.r.NormFloat64())))
	var cents int64
	switch u := g.r.Float64(); {
	case u < 0.35:
		cents = 99
	case u < 0.50:
		cents = 0
	case u < 0.60:
		cents = 50
	case u < 0.70:
		cents = 95
	default:
		cents = g.r.Int64N(100)
	}
	if dollars == 0 && cents == 0 {
		cents = 99
	}
	return dollars*100 + cents
}

// next draws the order with this id at virtual time at (ns), for a writer
// whose schema is w.
func (g *generator) next(id int64, at int64, w Schema, writer int) *record {
	rec := &record{id: id, at: at, writer: writer}
	if g.zipf != nil {
		rec.account = int(g.zipf.Uint64())
	}
	rec.items = 1 + int64(math.Floor(3*math.Exp(0.9*g.r.NormFloat64())))
	if rec.items > g.max {
		rec.items = g.max
	}
	now := epoch + at/1000
	created := now - g.r.Int64N(72*3600*1_000_000)
	amount := g.price()
	t := &rec.truth
	t[fID] = value{i: id}
	t[fAccount] = value{s: accountName(rec.account)}
	t[fCustomer] = value{s: g.customer()}
	t[fAmount] = value{i: amount}
	t[fItems] = value{i: rec.items}
	t[fCreatedAt] = value{i: created}
	t[fShippedAt] = value{null: true}
	if g.r.Float64() < 0.35 {
		t[fShippedAt] = value{i: created + 3600_000_000 + g.r.Int64N(47*3600*1_000_000)}
	}
	t[fNote] = value{null: true}
	if g.r.Float64() < 0.12 {
		t[fNote] = value{s: notes[g.r.IntN(len(notes))]}
	}
	t[fDiscount] = value{null: true}
	if g.r.Float64() < 0.25 {
		d := int64(500)
		if g.r.IntN(2) == 0 {
			d = amount / 10
		}
		if d > 0 && d < amount {
			t[fDiscount] = value{i: d}
		}
	}
	for i, c := range catalogue {
		_, rec.has[i] = w.Field(c.name)
		if !rec.has[i] {
			t[i] = value{null: true}
		}
	}
	return rec
}

func accountName(i int) string { return fmt.Sprintf("acct-%02d", i+1) }

// canon is a value as text, by the business's meaning of the field, so
// two systems' readings can be compared: a logical field declared in type
// d holds v.
func canon(field int, d ftype, v value) string {
	if v.null {
		return "null"
	}
	logical := catalogue[field].t
	switch logical.k {
	case kTimestamp:
		switch d.k {
		case kLong:
			return timestampText(v.i * 1000)
		case kDouble:
			return timestampText(int64(math.Round(v.f * 1e6)))
		case kString:
			if ts, err := time.Parse(time.RFC3339Nano, v.s); err == nil {
				return timestampText(ts.UnixMicro())
			}
			return v.s
		}
		return timestampText(v.i)
	case kDecimal:
		switch d.k {
		case kLong:
			return trimZeros(decimalText(v.i, logical.s))
		case kDouble:
			return strconv.FormatFloat(v.f, 'f', -1, 64)
		case kDecimal:
			return trimZeros(decimalText(v.i, d.s))
		}
		return trimZeros(v.s)
	case kLong:
		switch d.k {
		case kDouble:
			return strconv.FormatFloat(v.f, 'f', -1, 64)
		case kDecimal:
			return trimZeros(decimalText(v.i, d.s))
		case kString:
			return v.s
		}
		return strconv.FormatInt(v.i, 10)
	}
	if d.k == kString {
		return v.s
	}
	return textOf(v, d)
}

func trimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// toDeclared is the upstream application putting a logical value into the
// type its schema declares, by the conventions above.
func toDeclared(field int, d ftype, v value) (value, error) {
	if v.null {
		return v, nil
	}
	logical := catalogue[field].t
	switch d.k {
	case kString:
		if logical.k == kString {
			return v, nil
		}
		return value{s: canon(field, logical, v)}, nil
	case kLong:
		switch logical.k {
		case kTimestamp:
			return value{i: floorDiv(v.i, 1000)}, nil
		case kDecimal: // minor units
			return v, nil
		}
		return v, nil
	case kDouble:
		switch logical.k {
		case kTimestamp:
			return value{f: float64(v.i) / 1e6}, nil
		case kDecimal:
			return value{f: float64(v.i) / float64(pow10[logical.s])}, nil
		}
		return value{f: float64(v.i)}, nil
	case kDecimal:
		from := 0
		if logical.k == kDecimal {
			from = logical.s
		}
		u := rescale(v.i, from, d.s)
		if !fits(u, d.p) {
			return value{}, fmt.Errorf("%s overflows %v", canon(field, logical, v), d)
		}
		return value{i: u}, nil
	}
	return v, nil // timestamp in timestamp
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// allowed says whether a logical field may be declared in type d: text
// stays text, and an instant is never a decimal.
func allowed(field int, d ftype) bool {
	logical := catalogue[field].t
	switch {
	case logical.k == kString:
		return d.k == kString
	case logical.k == kTimestamp:
		return d.k != kDecimal
	case d.k == kTimestamp:
		return false
	}
	return true
}
