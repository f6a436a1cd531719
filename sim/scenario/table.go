package scenario

import (
	"encoding"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"time"

	"dsim/sim/dist"
	"dsim/sim/metrics"
)

// Table is a scenario's knob table: every knob of its Config, in the order
// the documentation lists them. It reads and writes a Config by reflection,
// so a knob is declared once and never written again by hand.
//
// Methods that change a configuration take a pointer to it (*Config);
// those that read it take the value or the pointer.
type Table struct {
	scenario string
	typ      reflect.Type
	knobs    []Knob
	paths    [][]int        // field index path of each knob
	byName   map[string]int // normal(name, flag or alias) -> knob
	others   []string       // Config fields that are not knobs, with why
}

var (
	distType        = reflect.TypeOf((*dist.Dist)(nil)).Elem()
	textMarshaler   = reflect.TypeOf((*encoding.TextMarshaler)(nil)).Elem()
	textUnmarshaler = reflect.TypeOf((*encoding.TextUnmarshaler)(nil)).Elem()
)

// NewTable declares the knobs of scenario's configuration, whose type is
// that of config (a Config value). It panics when the table is wrong — a
// field that does not exist or has another type, a default outside the
// range, a name used twice — since that is a mistake in the scenario's
// code, caught by its first test.
//
// Every exported field of config must be a knob, the Seed, or named in
// others ("Schedule: a list of steps"), so that no field escapes the table.
func NewTable(scenario string, config any, others []string, knobs ...Knob) *Table {
	t := &Table{scenario: scenario, typ: reflect.TypeOf(config), knobs: knobs, byName: map[string]int{}, others: others}
	if t.typ.Kind() != reflect.Struct {
		panic(fmt.Sprintf("scenario: %s: NewTable needs a Config struct value, got %v", scenario, t.typ))
	}
	if f, ok := t.typ.FieldByName("Seed"); !ok || f.Type.Kind() != reflect.Uint64 {
		panic(fmt.Sprintf("scenario: %s: Config needs a Seed uint64 field", scenario))
	}
	for i, k := range knobs {
		path, err := t.resolve(k)
		if err == nil {
			err = k.checkDefault()
		}
		if err != nil {
			panic(fmt.Sprintf("scenario: %s: knob %s: %v", scenario, k.Name, err))
		}
		t.paths = append(t.paths, path)
		for _, n := range append([]string{k.Name, k.Flag()}, k.Aliases...) {
			if j, dup := t.byName[normal(n)]; dup && j != i {
				panic(fmt.Sprintf("scenario: %s: knob name %q is used by %s and %s", scenario, n, knobs[j].Name, k.Name))
			}
			t.byName[normal(n)] = i
		}
	}
	for _, k := range knobs {
		if err := t.checkOnly(k); err != nil {
			panic(fmt.Sprintf("scenario: %s: knob %s: %v", scenario, k.Name, err))
		}
	}
	if missing := t.uncovered(); len(missing) > 0 {
		panic(fmt.Sprintf("scenario: %s: Config fields %v are neither knobs nor listed as others", scenario, missing))
	}
	return t
}

// resolve finds the knob's field and checks that its type fits the kind.
func (t *Table) resolve(k Knob) ([]int, error) {
	typ := t.typ
	var path []int
	for _, part := range strings.Split(k.Name, ".") {
		if typ.Kind() != reflect.Struct {
			return nil, fmt.Errorf("%v is not a struct", typ)
		}
		f, ok := typ.FieldByName(part)
		if !ok || !f.IsExported() {
			return nil, fmt.Errorf("no exported field %s in %v", part, typ)
		}
		path = append(path, f.Index...)
		typ = f.Type
	}
	want := map[Kind]func(reflect.Type) bool{
		Number:   func(t reflect.Type) bool { return t.Kind() == reflect.Float64 },
		Count:    func(t reflect.Type) bool { return t.Kind() == reflect.Int },
		Duration: func(t reflect.Type) bool { return t == reflect.TypeOf(time.Duration(0)) },
		Switch:   func(t reflect.Type) bool { return t.Kind() == reflect.Bool },
		Choice:   func(t reflect.Type) bool { return t.Kind() == reflect.String },
		Dist:     func(t reflect.Type) bool { return t == distType },
		Text: func(t reflect.Type) bool {
			return t.Implements(textMarshaler) && reflect.PointerTo(t).Implements(textUnmarshaler)
		},
	}[k.Kind]
	if want == nil {
		return nil, fmt.Errorf("unknown kind %q", k.Kind)
	}
	if !want(typ) {
		return nil, fmt.Errorf("a %s knob cannot set a field of type %v", k.Kind, typ)
	}
	return path, nil
}

// checkDefault checks the knob's own declaration: default type and range.
func (k Knob) checkDefault() error {
	if k.ranged() && !(k.Min <= k.Max) {
		return fmt.Errorf("range [%v, %v] is empty", k.Min, k.Max)
	}
	if k.Kind == Choice && len(k.Choices) == 0 {
		return fmt.Errorf("a choice needs choices")
	}
	if k.Derived != "" && k.Default == nil {
		return nil
	}
	v, err := k.fromDefault()
	if err != nil {
		return err
	}
	if k.Derived != "" && isZero(v) {
		return nil
	}
	if err := k.inRange(v); err != nil && !(k.Zero != "" && isZero(v)) {
		return fmt.Errorf("default %s %v", k.format(v), err)
	}
	return nil
}

// uncovered lists the exported top-level fields no knob reaches.
func (t *Table) uncovered() []string {
	covered := map[string]bool{"Seed": true}
	for _, k := range t.knobs {
		covered[strings.Split(k.Name, ".")[0]] = true
	}
	for _, o := range t.others {
		covered[strings.TrimSpace(strings.SplitN(o, ":", 2)[0])] = true
	}
	var missing []string
	for i := 0; i < t.typ.NumField(); i++ {
		if f := t.typ.Field(i); f.IsExported() && !covered[f.Name] {
			missing = append(missing, f.Name)
		}
	}
	return missing
}

// Scenario is the name of the table's scenario: the prefix of its errors.
func (t *Table) Scenario() string { return t.scenario }

// Knobs returns the knobs, in the table's order.
func (t *Table) Knobs() []Knob { return slices.Clone(t.knobs) }

// Others lists the Config fields that are not knobs (lists and structures
// set in Go, such as a schedule), each with a word on what it holds.
func (t *Table) Others() []string { return slices.Clone(t.others) }

// Lookup finds a knob by its name, its flag or an alias; case, dots and
// dashes do not matter.
func (t *Table) Lookup(name string) (Knob, bool) {
	i, ok := t.byName[normal(name)]
	if !ok {
		return Knob{}, false
	}
	return t.knobs[i], true
}

// Names lists the knob names, in order.
func (t *Table) Names() []string {
	ns := make([]string, len(t.knobs))
	for i, k := range t.knobs {
		ns[i] = k.Name
	}
	return ns
}

// target returns the Config cfg points to (or is), checking its type.
func (t *Table) target(cfg any, write bool) (reflect.Value, error) {
	v := reflect.ValueOf(cfg)
	if v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Type() == t.typ {
		return v.Elem(), nil
	}
	if !write && v.IsValid() && v.Type() == t.typ {
		return v, nil
	}
	want := "*" + t.typ.String()
	if !write {
		want = t.typ.String() + " or " + want
	}
	return reflect.Value{}, fmt.Errorf("%s: needs a %s, got %T", t.scenario, want, cfg)
}

func (t *Table) field(cfg reflect.Value, i int) reflect.Value { return cfg.FieldByIndex(t.paths[i]) }

// each calls fn with every knob and its field in the Config cfg points to
// (or is, when it is only read), stopping at the first error.
func (t *Table) each(cfg any, write bool, fn func(k Knob, f reflect.Value) error) error {
	v, err := t.target(cfg, write)
	if err != nil {
		return err
	}
	for i, k := range t.knobs {
		if err := fn(k, t.field(v, i)); err != nil {
			return err
		}
	}
	return nil
}

// setDefault stores the knob's default in f; the default was checked by
// NewTable, so it converts.
func (k Knob) setDefault(f reflect.Value) {
	d, _ := k.fromDefault()
	k.store(f, d)
}

// Defaults sets every knob of *cfg to its default. Knobs whose default is
// computed from other fields are set to zero, for the scenario to fill.
func (t *Table) Defaults(cfg any) error {
	return t.each(cfg, true, func(k Knob, f reflect.Value) error {
		if k.Default == nil {
			f.Set(reflect.Zero(f.Type()))
		} else {
			k.setDefault(f)
		}
		return nil
	})
}

// Fill sets the zero knobs of *cfg whose zero means the default.
func (t *Table) Fill(cfg any) error {
	return t.each(cfg, true, func(k Knob, f reflect.Value) error {
		if k.zeroFills() && f.IsZero() {
			k.setDefault(f)
		}
		return nil
	})
}

// Check reports the first knob of cfg outside its range, as
// "scenario: Field=value: why". Call it after Fill: a zero that means the
// default is out of range until then.
func (t *Table) Check(cfg any) error {
	return t.each(cfg, false, func(k Knob, f reflect.Value) error {
		val := k.load(f)
		if k.Zero != "" && isZero(val) {
			return nil
		}
		if err := k.inRange(val); err != nil {
			return t.bad(k, val, err)
		}
		return nil
	})
}

func (t *Table) bad(k Knob, val any, err error) error {
	return fmt.Errorf("%s: %s=%s: %v", t.scenario, k.Name, k.format(val), err)
}

// Get returns the text of a knob's value in cfg, as Set reads it back.
func (t *Table) Get(cfg any, name string) (string, error) {
	k, f, err := t.find(cfg, false, name)
	if err != nil {
		return "", err
	}
	return k.format(k.load(f)), nil
}

// Shown returns a knob's value in cfg as a person reads it: Get's text,
// or, for a knob left to the scenario to work out, "auto" and how it is
// worked out ("auto: Duration/120").
func (t *Table) Shown(cfg any, name string) (string, error) {
	k, f, err := t.find(cfg, false, name)
	if err != nil {
		return "", err
	}
	v := k.load(f)
	if k.Derived != "" && isZero(v) {
		return "auto: " + k.Derived, nil
	}
	return k.format(v), nil
}

// find returns the knob called name and its field in the Config cfg points
// to (or is, when it is only read).
func (t *Table) find(cfg any, write bool, name string) (Knob, reflect.Value, error) {
	v, err := t.target(cfg, write)
	if err != nil {
		return Knob{}, reflect.Value{}, err
	}
	i, ok := t.byName[normal(name)]
	if !ok {
		return Knob{}, reflect.Value{}, t.unknown(name)
	}
	return t.knobs[i], t.field(v, i), nil
}

// Set parses text as the knob's value and sets it in *cfg, checking it
// against the knob's range. Numbers take a rate's period ("60/min" is 1 for
// a per-second knob, "5/s" 300 for a per-minute one), a percentage for a
// share or a chance ("10%") and a size's unit for a size ("2GB" is 2048 for
// a knob in MB, counting as cloud platforms do, in 1024s); counts take the
// same forms when they come to a whole number; durations take Go's form
// ("1.5s") or plain seconds; a distribution takes its text form, and a
// plain duration or number as a constant ("0.5" is const(500ms) for a
// distribution of durations); switches take true/false, on/off, yes/no, 1/0. An explicit zero is refused where zero would silently mean
// the default: the error says so.
func (t *Table) Set(cfg any, name, text string) error {
	k, f, err := t.find(cfg, true, name)
	if err != nil {
		return err
	}
	var val any
	if k.Kind == Text {
		val, err = parseText(f.Type(), text)
	} else {
		val, err = k.parse(text)
	}
	return t.put(k, f, val, text, err)
}

// put stores a value a user set on purpose in f, once it is checked; err is
// the error of reading it from shown.
func (t *Table) put(k Knob, f reflect.Value, val any, shown string, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %s=%s: %v", t.scenario, k.Name, quoteIfNeeded(shown), err)
	}
	if err := k.explicit(val); err != nil {
		return t.bad(k, val, err)
	}
	k.store(f, val)
	return nil
}

// SetValue sets a knob from a sweep's number (seconds for a duration, 0 or
// 1 for a switch, a whole number for a count) or, for a choice or a
// distribution, from label. The value is checked as Set checks text.
func (t *Table) SetValue(cfg any, name string, x float64, label string) error {
	k, f, err := t.find(cfg, true, name)
	if err != nil {
		return err
	}
	var val any
	switch k.Kind {
	case Choice, Dist:
		val, err = k.parse(label)
	case Text:
		val, err = parseText(f.Type(), label)
	case Switch:
		if x != 0 && x != 1 {
			err = fmt.Errorf("a switch takes 0 (off) or 1 (on)")
		}
		val = x == 1
	case Count:
		if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
			err = fmt.Errorf("must be a whole number")
		}
		val = int(x)
	case Duration:
		val, err = secondsToDuration(x)
	default:
		val = x
	}
	shown := label
	if !k.Labelled() {
		shown = fmt.Sprint(x)
	}
	return t.put(k, f, val, shown, err)
}

func (t *Table) unknown(name string) error {
	return fmt.Errorf("%s: unknown knob %q (want one of %s)%s", t.scenario, name, strings.Join(t.Names(), ", "), t.suggestKnob(name))
}

// explicit checks a value a user set on purpose: in range, or a zero that
// has a meaning of its own.
func (k Knob) explicit(val any) error {
	if isZero(val) && k.Zero != "" {
		return nil
	}
	if isZero(val) && k.Derived != "" {
		return nil
	}
	err := k.inRange(val)
	if err != nil && isZero(val) && k.zeroFills() {
		d, _ := k.fromDefault()
		return fmt.Errorf("%v (leave it unset for the default, %s)", err, k.format(d))
	}
	return err
}

// inRange checks a value against the knob's range and choices.
func (k Knob) inRange(val any) error {
	switch k.Kind {
	case Switch, Text:
		return nil
	case Choice:
		if val.(string) == "" && k.Derived != "" {
			return nil
		}
		if !slices.Contains(k.Choices, val.(string)) {
			return fmt.Errorf("want one of %s", strings.Join(k.Choices, ", "))
		}
		return nil
	case Dist:
		d, _ := val.(dist.Dist)
		if d == nil {
			return fmt.Errorf("a distribution is needed, like %v", k.Default)
		}
		return k.distOK(d)
	}
	x := k.number(val)
	if !(x >= k.Min && x <= k.Max) {
		return fmt.Errorf("%s", k.rangeText())
	}
	return nil
}

// distOK checks a distribution knob: valid, of the right unit, and with a
// mean in range.
func (k Knob) distOK(d dist.Dist) error {
	if k.DurationValues && !dist.IsDuration(d) {
		return fmt.Errorf("give a distribution of durations, like %v", k.Default)
	}
	if !k.DurationValues && dist.IsDuration(d) {
		return fmt.Errorf("give a distribution of plain numbers, like %v", k.Default)
	}
	check := dist.Validate
	if k.DurationValues {
		check = dist.ValidateDuration // also: never a draw below zero
	}
	if err := check(d); err != nil {
		return err
	}
	mean := d.Mean() * 1e9
	if !k.DurationValues {
		mean = d.Mean()
	}
	if !(mean >= k.Min && mean <= k.Max) {
		return fmt.Errorf("its mean %s", k.rangeText())
	}
	return nil
}

// rangeText says what the range is, in the knob's units.
func (k Knob) rangeText() string {
	lo, hi := k.bound(k.Min), k.bound(k.Max)
	text := fmt.Sprintf("must be between %s and %s", lo, hi)
	switch {
	case k.Kind == Duration || k.Kind == Dist || k.Unit == "":
	case k.Unit == "share":
		text += " (a share)"
	case k.Unit == "×":
		text += " (a factor)"
	default:
		text += " " + k.Unit
	}
	if k.Zero != "" && !(k.Min <= 0 && 0 <= k.Max) {
		text += fmt.Sprintf(" (or 0: %s)", k.Zero)
	}
	return text
}

func (k Knob) bound(x float64) string {
	if k.Kind == Duration || k.Kind == Dist && k.DurationValues {
		return fmtDuration(time.Duration(x))
	}
	return fmtNumber(x)
}

// Doc is the table as a table of text: knob, flag, unit, default, range
// and what it does, with the modes it matters in (Knob.OnlyText); the
// same rows the documentation shows.
func (t *Table) Doc() *metrics.Table {
	tab := metrics.NewTable(t.scenario+": knobs", "knob", "flag", "unit", "default", "range", "what it sets")
	for _, k := range t.knobs {
		tab.Add(k.Name, "-"+k.Flag(), k.UnitText(), k.DefaultText(), k.RangeText(), k.docText())
	}
	tab.Note("Zero fields take the default unless the range says what 0 means. Durations are written 1.5s or in seconds; a distribution takes a constant as 200ms or 0.2 (seconds); rates take 60/min; shares and chances take 10%%; sizes in MB take 2GB (1 GB = 1024 MB).")
	return tab
}

// UnitText names the knob's unit, or its kind when it has none.
func (k Knob) UnitText() string {
	switch k.Kind {
	case Duration:
		return "duration"
	case Switch:
		return "on/off"
	case Text:
		return "text"
	case Choice:
		return "choice"
	case Dist:
		return "distribution"
	}
	return k.Unit
}

// DefaultText is the default as text, or how it is worked out.
func (k Knob) DefaultText() string {
	if k.Kind == Text {
		return "none"
	}
	if k.Derived != "" {
		return k.Derived
	}
	d, err := k.fromDefault()
	if err != nil {
		return ""
	}
	return k.format(d)
}

// RangeText is the knob's valid values as text: a range, what 0 means,
// or the choices.
func (k Knob) RangeText() string {
	switch k.Kind {
	case Switch:
		return "off, on"
	case Choice:
		return strings.Join(k.Choices, ", ")
	case Text:
		return "such as " + k.Unit
	}
	r := k.bound(k.Min) + " to " + k.bound(k.Max)
	if k.Kind == Dist {
		r = "mean " + r
	}
	switch {
	case k.Zero != "":
		r += "; 0: " + k.Zero
	case k.Derived != "":
		r += "; 0: auto (" + k.Derived + ")"
	}
	return r
}
