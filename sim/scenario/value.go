package scenario

import (
	"encoding"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"dsim/sim/dist"
	"dsim/sim/internal/brief"
)

// Values travel between the table and a Config as float64 (Number), int
// (Count), time.Duration, bool, string (Choice) and dist.Dist.

// maxText bounds a knob's text: a distribution's nesting is the longest
// legitimate value, and no knob needs a page.
const maxText = 4096

// parse reads a knob's value from text.
func (k Knob) parse(text string) (any, error) {
	if len(text) > maxText {
		return nil, fmt.Errorf("the text is %d bytes long; a knob takes at most %d", len(text), maxText)
	}
	s := strings.TrimSpace(text)
	switch k.Kind {
	case Number:
		return k.parseNumber(s)
	case Count:
		return k.parseCount(s)
	case Duration:
		d, err := parseDuration(s)
		if errors.Is(err, errBeyond) {
			// The knob's own range says more than a Duration's.
			return nil, fmt.Errorf("%w; %s", err, k.rangeText())
		}
		return d, err
	case Switch:
		switch strings.ToLower(s) {
		case "1", "t", "true", "on", "yes":
			return true, nil
		case "0", "f", "false", "off", "no":
			return false, nil
		}
		return nil, fmt.Errorf("want on or off (true/false, 1/0)")
	case Choice:
		if s == "" && k.Derived != "" {
			return "", nil // worked out from other fields
		}
		return k.parseChoice(s)
	case Dist:
		// A plain duration is a constant: "500ms" is const(500ms), and so
		// is a plain number in the knob's unit, seconds for durations
		// ("0.5"), as a duration knob reads it.
		if k.DurationValues {
			if d, err := parseDuration(s); err == nil {
				return dist.AsDuration(dist.Const(d.Seconds())), nil
			}
		}
		if x, err := strconv.ParseFloat(s, 64); err == nil && (math.IsNaN(x) || math.IsInf(x, 0)) {
			return nil, fmt.Errorf("%s is not a number; want a distribution such as %s", s, k.distExample())
		}
		d, err := dist.Parse(s)
		if err != nil {
			return nil, err
		}
		return d, nil
	}
	return nil, fmt.Errorf("unknown kind %q", k.Kind)
}

// distExample shows the forms a distribution knob reads.
func (k Knob) distExample() string {
	if k.DurationValues {
		return "exp(500ms), or a constant such as 200ms or 0.2 (seconds)"
	}
	return fmt.Sprintf("%v, or a constant such as 1.5", k.Default)
}

// parseChoice reads one of the knob's choices, whatever its case (FIFO is
// fifo), as the choice is written; a near miss gets the nearest choice.
func (k Knob) parseChoice(s string) (string, error) {
	for _, c := range k.Choices {
		if strings.EqualFold(c, s) {
			return c, nil
		}
	}
	return "", fmt.Errorf("want one of %s%s", strings.Join(k.Choices, ", "), DidYouMean(s, k.Choices))
}

// parseNumber reads a float, a rate with its period ("60/min" for a
// per-second unit), a percentage ("10%") for a share or a chance, or a
// size with its unit ("2GB" for a knob in MB).
func (k Knob) parseNumber(s string) (float64, error) {
	scale := 1.0
	switch {
	case strings.HasSuffix(s, "%") && k.isShare():
		s, scale = strings.TrimSpace(strings.TrimSuffix(s, "%")), 0.01
	case strings.Contains(s, "/") && k.ratePeriod() > 0:
		i := strings.LastIndex(s, "/")
		per, err := periodSeconds(strings.TrimSpace(s[i+1:]))
		if err != nil {
			return 0, err
		}
		s, scale = strings.TrimSpace(s[:i]), k.ratePeriod()/per
	case k.sizeUnit() > 0:
		if n, unit := splitSize(s); unit > 0 {
			s, scale = n, unit/k.sizeUnit()
		}
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("want %s", k.numberForms("a finite number"))
	}
	return x * scale, nil
}

// parseCount reads a whole number, or any form parseNumber reads that
// comes to one ("1e6", "10/s" for a count per minute is 600, "1GB" in MB
// 1024).
func (k Knob) parseCount(s string) (int, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		// 1e6 and 2.5e3 are whole numbers too; 1.5 is not.
		if x, ferr := k.parseNumber(s); ferr == nil && x == math.Trunc(x) && math.Abs(x) <= math.MaxInt32 {
			n, err = int64(x), nil
		}
	}
	if err != nil || n > math.MaxInt32 || n < math.MinInt32 {
		return 0, fmt.Errorf("want %s", k.numberForms("a whole number"))
	}
	return int(n), nil
}

// numberForms says what a number knob takes besides what.
func (k Knob) numberForms(what string) string {
	switch {
	case k.ratePeriod() > 0:
		return fmt.Sprintf("%s %s, or with its period (%s)", what, k.Unit, k.rateExample())
	case k.sizeUnit() > 0:
		return fmt.Sprintf("%s of %s, or a size such as 512MB or 2GB (1 GB = 1024 MB)", what, k.Unit)
	case k.isShare():
		return what + ", or a percentage (10%)"
	}
	return what
}

// isShare reports whether the knob is a share or a chance: 0.1 or 10%.
func (k Knob) isShare() bool { return k.Unit == "share" || k.Unit == "chance" }

// ratePeriod is the seconds a rate knob's unit counts over ("req/s": 1,
// "calls/min": 60), or 0 when the knob is not a rate.
func (k Knob) ratePeriod() float64 {
	i := strings.LastIndex(k.Unit, "/")
	if i < 0 {
		return 0
	}
	switch k.Unit[i+1:] {
	case "s":
		return 1
	case "min":
		return 60
	case "h":
		return 3600
	}
	return 0
}

// rateExample is a rate in another period than the knob's own.
func (k Knob) rateExample() string {
	if k.ratePeriod() == 1 {
		return "300/min"
	}
	return "5/s"
}

// sizeUnits are the units of size a knob's Unit or a value may name, in
// bytes. They count in 1024s, as cloud platforms count a function's memory
// ("MB" for MiB: a 1 GB function has 1024 MB), so MB and MiB are one.
var sizeUnits = []struct {
	name  string
	bytes float64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30}, {"TB", 1 << 40},
}

// sizeUnit is the bytes of the knob's unit when it is a size, or 0.
func (k Knob) sizeUnit() float64 {
	for _, u := range sizeUnits {
		if k.Unit == u.name {
			return u.bytes
		}
	}
	return 0
}

// splitSize cuts a size's unit off its number ("1.5 GB"): the number's
// text and the unit's bytes, or 0 when s ends in no size unit.
func splitSize(s string) (string, float64) {
	for _, u := range sizeUnits {
		if len(s) > len(u.name) && strings.EqualFold(s[len(s)-len(u.name):], u.name) {
			return strings.TrimSpace(s[:len(s)-len(u.name)]), u.bytes
		}
	}
	return s, 0
}

// periodSeconds reads the period of a rate: s, min, h, or a duration.
func periodSeconds(p string) (float64, error) {
	switch p {
	case "s", "sec", "second":
		return 1, nil
	case "m", "min", "minute":
		return 60, nil
	case "h", "hour":
		return 3600, nil
	}
	d, err := time.ParseDuration(p)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("unknown period %q: write a rate as 5, 5/s, 300/min or 18000/h", p)
	}
	return d.Seconds(), nil
}

// parseDuration reads Go's duration form, with a number in e-notation too
// ("1.5e3ms"), or plain seconds; one beyond a Duration's range says so.
func parseDuration(s string) (time.Duration, error) {
	if d, err := time.ParseDuration(s); err == nil {
		return d, nil
	}
	if x, err := strconv.ParseFloat(s, 64); err == nil {
		return secondsToDuration(x)
	}
	num := strings.TrimRightFunc(s, func(r rune) bool { return r >= 'a' && r <= 'z' || r == 'µ' })
	unit, ok := durationUnits[s[len(num):]]
	x, err := strconv.ParseFloat(num, 64)
	if !ok || err != nil || num == "" {
		return 0, fmt.Errorf("want a duration such as 1.5s, 250ms or 2m (or seconds)")
	}
	return secondsToDuration(x * unit.Seconds())
}

// durationUnits are the units of Go's duration form.
var durationUnits = map[string]time.Duration{
	"ns": time.Nanosecond, "us": time.Microsecond, "µs": time.Microsecond,
	"ms": time.Millisecond, "s": time.Second, "m": time.Minute, "h": time.Hour,
}

// errBeyond is a duration no time.Duration holds.
var errBeyond = errors.New("out of range: beyond any duration (about 292 years)")

// secondsToDuration converts seconds, refusing what a Duration cannot hold.
func secondsToDuration(x float64) (time.Duration, error) {
	ns := x * 1e9
	if math.IsNaN(ns) {
		return 0, fmt.Errorf("NaN is not a number; want a duration such as 1.5s, 250ms or 2m (or seconds)")
	}
	if math.Abs(ns) >= math.MaxInt64 {
		return 0, errBeyond
	}
	return time.Duration(math.Round(ns)), nil
}

// fromDefault is the default as a value of the knob's kind.
func (k Knob) fromDefault() (any, error) {
	switch k.Kind {
	case Number:
		if x, ok := k.Default.(float64); ok {
			return x, nil
		}
		if x, ok := k.Default.(int); ok {
			return float64(x), nil
		}
	case Count:
		if x, ok := k.Default.(int); ok {
			return x, nil
		}
	case Duration:
		if x, ok := k.Default.(time.Duration); ok {
			return x, nil
		}
	case Switch:
		if x, ok := k.Default.(bool); ok {
			return x, nil
		}
	case Choice:
		if x, ok := k.Default.(string); ok {
			return x, nil
		}
	case Text:
		return textValue{}, nil
	case Dist:
		if x, ok := k.Default.(string); ok {
			d, err := dist.Parse(x)
			if err != nil {
				return nil, fmt.Errorf("default %q: %v", x, err)
			}
			return d, nil
		}
	}
	return nil, fmt.Errorf("default %v (%T) does not fit a %s knob", k.Default, k.Default, k.Kind)
}

// load reads the knob's field.
func (k Knob) load(f reflect.Value) any {
	switch k.Kind {
	case Number:
		return f.Float()
	case Count:
		return int(f.Int())
	case Duration:
		return time.Duration(f.Int())
	case Switch:
		return f.Bool()
	case Choice:
		return f.String()
	case Dist:
		if f.IsNil() {
			return dist.Dist(nil)
		}
		return f.Interface().(dist.Dist)
	case Text:
		return textValue{f}
	}
	return nil
}

// store writes a value of the knob's kind to its field, converting to the
// field's own type (a named string for a choice).
func (k Knob) store(f reflect.Value, v any) {
	switch k.Kind {
	case Number:
		f.SetFloat(v.(float64))
	case Count:
		f.SetInt(int64(v.(int)))
	case Duration:
		f.SetInt(int64(v.(time.Duration)))
	case Switch:
		f.SetBool(v.(bool))
	case Choice:
		f.SetString(v.(string))
	case Text:
		if tv := v.(textValue); tv.v.IsValid() {
			f.Set(tv.v)
		} else {
			f.Set(reflect.Zero(f.Type()))
		}
	case Dist:
		if v == nil {
			f.Set(reflect.Zero(f.Type()))
			return
		}
		d := v.(dist.Dist)
		if k.DurationValues {
			d = dist.AsDuration(d)
		}
		f.Set(reflect.ValueOf(d))
	}
}

// number is a value as the float its range is written in.
func (k Knob) number(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int:
		return float64(x)
	case time.Duration:
		return float64(x)
	}
	return math.NaN()
}

func isZero(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case float64:
		return x == 0
	case int:
		return x == 0
	case time.Duration:
		return x == 0
	case bool:
		return !x
	case string:
		return x == ""
	case dist.Dist:
		return x == nil
	case textValue:
		return !x.v.IsValid() || x.v.IsZero()
	}
	return false
}

// format writes a value as Set reads it back.
func (k Knob) format(v any) string {
	switch x := v.(type) {
	case float64:
		return fmtNumber(x)
	case int:
		return strconv.Itoa(x)
	case time.Duration:
		return fmtDuration(x)
	case bool:
		if x {
			return "on"
		}
		return "off"
	case string:
		return x
	case dist.Dist:
		if x == nil {
			return "none"
		}
		return x.String()
	case textValue:
		return x.String()
	}
	return fmt.Sprint(v)
}

// textValue carries a Text knob's value: a value of the field's own type.
type textValue struct{ v reflect.Value }

func (x textValue) String() string {
	if !x.v.IsValid() || x.v.IsZero() {
		return "none"
	}
	b, err := x.v.Interface().(encoding.TextMarshaler).MarshalText()
	if err != nil {
		return "(" + err.Error() + ")"
	}
	return string(b)
}

// parseText reads a Text knob's value with its type's UnmarshalText.
func parseText(typ reflect.Type, text string) (any, error) {
	if len(text) > maxText {
		return nil, fmt.Errorf("the text is %d bytes long; a knob takes at most %d", len(text), maxText)
	}
	p := reflect.New(typ)
	if err := p.Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(strings.TrimSpace(text))); err != nil {
		return nil, err
	}
	return textValue{p.Elem()}, nil
}

// fmtNumber prints a float briefly: 0.1, 50, 1e+06.
func fmtNumber(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }

// fmtDuration prints a duration without trailing zero units: 1h, 1m30s.
func fmtDuration(d time.Duration) string { return brief.Duration(d) }

func quoteIfNeeded(s string) string {
	if len(s) > 64 {
		s = s[:61] + "..."
	}
	if s == "" || strings.ContainsAny(s, " \t\n\"'") {
		return strconv.Quote(s)
	}
	return s
}

func containsString(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
