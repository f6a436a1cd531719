package explore

import (
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"dsim/sim/scenario"
)

// Limits on what a request may carry. A knob's text is bounded by the knob
// table (4096 bytes); the whole query by maxQuery, which leaves room for
// every knob of a scenario and a pinned run's query besides.
const (
	maxQuery    = 16 << 10
	maxValue    = 4096
	maxErrorLen = 400
)

// The query's names that are not knobs. No knob may take them (a test
// checks the registry).
const (
	paramPreset = "preset"
	paramSeed   = "seed"
	paramPin    = "pin" // the query of a pinned run, for the page's script
)

// request is a scenario's run as a query string asks for it: a preset, a
// seed and knob settings, each read by the knob table. A request with
// errors is not run: each error is shown beside its control, or above the
// controls when it names none.
type request struct {
	sc     scenario.Scenario
	preset string
	seed   uint64
	base   any // the preset's Config value
	cfg    any // a pointer to the Config to run
	// set holds the knobs that differ from the preset, in the table's
	// order, with the text given for each.
	set []setting
	// errs maps a control (a knob's flag, "seed", "preset") to its error;
	// general holds the errors that name no control.
	errs    map[string]string
	general []string
	pin     string
	// given holds the text the query gave each knob, by flag, so that a
	// control shows what was refused.
	given map[string]string
}

type setting struct {
	knob scenario.Knob
	text string
}

// ok reports whether the request can run.
func (r *request) ok() bool { return len(r.errs) == 0 && len(r.general) == 0 && r.cfg != nil }

// query is the canonical query of the run: the preset, the seed and the
// knobs that differ from the preset, in the table's order. The same run
// always has the same query, and the query reproduces it exactly.
func (r *request) query() string {
	var b strings.Builder
	add := func(k, v string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(v))
	}
	if r.preset != "" {
		add(paramPreset, r.preset)
	}
	add(paramSeed, strconv.FormatUint(r.seed, 10))
	for _, s := range r.set {
		add(s.knob.Flag(), s.text)
	}
	return b.String()
}

// key names the run in the cache.
func (r *request) key() string { return r.sc.Name + "?" + r.query() }

func (r *request) fail(control, msg string) {
	msg = clip(msg)
	if control == "" {
		r.general = append(r.general, msg)
		return
	}
	if _, dup := r.errs[control]; !dup {
		r.errs[control] = msg
	}
}

// parseRequest reads a scenario's query string. It never panics and never
// runs anything: the result says what to run, or why not.
func parseRequest(sc scenario.Scenario, raw string) *request {
	r := &request{sc: sc, errs: map[string]string{}, given: map[string]string{}}
	if len(raw) > maxQuery {
		r.fail("", fmt.Sprintf("the address's query is %d bytes long; the explorer takes at most %d", len(raw), maxQuery))
		r.base, _ = sc.Preset("")
		return r
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		r.fail("", "the address's query cannot be read: "+err.Error())
	}
	if n := len(q); n > len(sc.Knobs.Knobs())+3 {
		r.fail("", fmt.Sprintf("the query has %d names; %s has %d knobs", n, sc.Name, len(sc.Knobs.Knobs())))
		r.base, _ = sc.Preset("")
		return r
	}
	r.preset = first(q, paramPreset, r)
	base, err := sc.Preset(r.preset)
	if err != nil {
		r.fail(paramPreset, err.Error())
		r.preset = ""
		base, _ = sc.Preset("")
	}
	r.base = base
	r.pin = first(q, paramPin, r)
	cfg, err := sc.Copy(base)
	if err != nil {
		r.fail("", err.Error())
		return r
	}
	r.cfg = cfg
	r.seed = reflect.ValueOf(base).FieldByName("Seed").Uint()
	if text, given := q[paramSeed]; given {
		r.given[paramSeed] = first(q, paramSeed, r)
		seed, err := strconv.ParseUint(strings.TrimSpace(r.given[paramSeed]), 10, 64)
		if err != nil {
			r.fail(paramSeed, fmt.Sprintf("%s: seed=%s: want a whole number from 0 to %d", sc.Name, quote(text[0]), uint64(1<<64-1)))
		}
		r.seed = seed
	}
	_ = sc.Seed(cfg, r.seed)
	r.setKnobs(q)
	if r.ok() {
		if err := sc.Validate(cfg); err != nil {
			r.fail(r.controlOf(err.Error()), err.Error())
		}
	}
	return r
}

// setKnobs sets every knob the query names, in the table's order so that
// the canonical query does not depend on the order given.
func (r *request) setKnobs(q url.Values) {
	given := map[string]string{}
	for name, texts := range q {
		if name == paramPreset || name == paramSeed || name == paramPin {
			continue
		}
		k, ok := r.sc.Knobs.Lookup(name)
		switch {
		case !ok:
			r.fail("", fmt.Sprintf("%s: unknown knob %s (the page lists them)", r.sc.Name, quote(name)))
		case len(texts) > 1:
			r.fail(k.Flag(), fmt.Sprintf("%s: %s is given %d times", r.sc.Name, k.Name, len(texts)))
		case len(texts[0]) > maxValue:
			r.fail(k.Flag(), fmt.Sprintf("%s: %s: the text is %d bytes long; a knob takes at most %d", r.sc.Name, k.Name, len(texts[0]), maxValue))
		default:
			if _, dup := given[k.Name]; dup {
				r.fail(k.Flag(), fmt.Sprintf("%s: %s is given twice (by two names)", r.sc.Name, k.Name))
			}
			given[k.Name] = strings.TrimSpace(texts[0])
			r.given[k.Flag()] = given[k.Name]
		}
	}
	for _, k := range r.sc.Knobs.Knobs() {
		text, ok := given[k.Name]
		if !ok || text == "" {
			continue // an empty box leaves the preset's value
		}
		if err := r.sc.Knobs.Set(r.cfg, k.Name, text); err != nil {
			r.fail(k.Flag(), err.Error())
			continue
		}
		if r.differs(k, text) {
			r.set = append(r.set, setting{k, text})
		}
	}
}

// differs reports whether setting k to text changes the preset: only
// those settings go into the canonical query.
func (r *request) differs(k scenario.Knob, text string) bool {
	one, err := r.sc.Copy(r.base)
	if err != nil || r.sc.Knobs.Set(one, k.Name, text) != nil {
		return true
	}
	return !reflect.DeepEqual(reflect.ValueOf(one).Elem().Interface(), r.base)
}

// controlOf finds the control an error names: "metastable: Timeout=1s:
// ..." names the knob Timeout.
func (r *request) controlOf(msg string) string {
	rest, ok := strings.CutPrefix(msg, r.sc.Name+": ")
	if !ok {
		return ""
	}
	name, _, ok := strings.Cut(rest, "=")
	if !ok || strings.ContainsAny(name, " :") {
		return ""
	}
	if k, ok := r.sc.Knobs.Lookup(name); ok {
		return k.Flag()
	}
	return ""
}

// first is the one value of name in q ("" when absent); a name given twice
// is an error.
func first(q url.Values, name string, r *request) string {
	v := q[name]
	if len(v) > 1 {
		r.fail(name, fmt.Sprintf("%s is given %d times", name, len(v)))
	}
	if len(v) == 0 {
		return ""
	}
	if len(v[0]) > maxValue {
		r.fail(name, fmt.Sprintf("%s: the text is %d bytes long; at most %d", name, len(v[0]), maxValue))
		return ""
	}
	return v[0]
}

// clip bounds a message shown on the page: an error may quote what it was
// given.
func clip(s string) string {
	if len(s) <= maxErrorLen {
		return s
	}
	cut := maxErrorLen
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// quote shows a text from the query in an error, briefly.
func quote(s string) string {
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return strconv.Quote(s)
}
