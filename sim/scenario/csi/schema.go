package csi

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Field is one column of a schema: a name from the record catalogue
// (FieldNames), a type, and whether it may be null.
//
// Types are "long" (int64), "double" (float64), "decimal(P,S)" (exact,
// P digits of which S after the point), "timestamp" (an instant, to the
// microsecond) and "string".
type Field struct {
	Name     string
	Type     string
	Nullable bool
}

// Schema is what one system believes a record looks like.
type Schema struct {
	Name     string // the dataset or topic, e.g. "orders"
	Version  int
	Encoding string // how strings become bytes: "utf-8", "latin-1" or "ascii"
	Fields   []Field
}

// Field returns the field called name and whether the schema has it.
func (s Schema) Field(name string) (Field, bool) {
	for _, f := range s.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// String is the schema in one line: orders v1 utf-8 {id long, ...}.
func (s Schema) String() string {
	var fs []string
	for _, f := range s.Fields {
		t := f.Type
		if f.Nullable {
			t += "?"
		}
		fs = append(fs, f.Name+" "+t)
	}
	return fmt.Sprintf("%s v%d %s {%s}", s.Name, s.Version, s.Encoding, strings.Join(fs, ", "))
}

// With returns a copy of s whose field name has type typ.
func (s Schema) With(name, typ string) Schema {
	s.Fields = append([]Field(nil), s.Fields...)
	for i := range s.Fields {
		if s.Fields[i].Name == name {
			s.Fields[i].Type = typ
		}
	}
	return s
}

// validateSchema names the first bad part of a schema: its version,
// encoding, or a field that is unknown, repeated or of a type that
// cannot hold it.
func validateSchema(field string, s Schema) error {
	bad := func(f string, v any, why string) error { return fmt.Errorf("csi: %s.%s=%v: %s", field, f, v, why) }
	switch {
	case s.Version < 1:
		return bad("Version", s.Version, "must be at least 1")
	case !slices.Contains(encodings, s.Encoding):
		return bad("Encoding", fmt.Sprintf("%q", s.Encoding), fmt.Sprintf("unknown encoding (want one of %v)", encodings))
	case len(s.Fields) == 0:
		return bad("Fields", "[]", "a schema needs fields")
	}
	seen := map[string]bool{}
	for i, f := range s.Fields {
		at := fmt.Sprintf("Fields[%d]", i)
		k := fieldIndex(f.Name)
		if k < 0 {
			return bad(at+".Name", fmt.Sprintf("%q", f.Name), fmt.Sprintf("not in the record catalogue (want one of %v)", FieldNames()))
		}
		if seen[f.Name] {
			return bad(at+".Name", fmt.Sprintf("%q", f.Name), "appears twice")
		}
		seen[f.Name] = true
		t, err := parseType(f.Type)
		if err != nil {
			return bad(at+".Type", fmt.Sprintf("%q", f.Type), err.Error())
		}
		if !allowed(k, t) {
			return bad(at+".Type", fmt.Sprintf("%q", f.Type), fmt.Sprintf("cannot hold %s, which is a %v", f.Name, catalogue[k].t))
		}
	}
	if !seen["id"] || !seen["account"] || !seen["amount"] {
		return bad("Fields", s, "a schema must carry id, account and amount")
	}
	return nil
}

// kind is a type's family.
type kind int

const (
	kLong kind = iota
	kDouble
	kDecimal
	kTimestamp
	kString
)

// ftype is a parsed field type.
type ftype struct {
	k    kind
	p, s int // decimal precision and scale
}

func (t ftype) String() string {
	switch t.k {
	case kLong:
		return "long"
	case kDouble:
		return "double"
	case kDecimal:
		return fmt.Sprintf("decimal(%d,%d)", t.p, t.s)
	case kTimestamp:
		return "timestamp"
	}
	return "string"
}

func parseType(s string) (ftype, error) {
	switch s {
	case "long":
		return ftype{k: kLong}, nil
	case "double":
		return ftype{k: kDouble}, nil
	case "timestamp":
		return ftype{k: kTimestamp}, nil
	case "string":
		return ftype{k: kString}, nil
	}
	var p, sc int
	if n, err := fmt.Sscanf(s, "decimal(%d,%d)", &p, &sc); err == nil && n == 2 && s == fmt.Sprintf("decimal(%d,%d)", p, sc) {
		if p < 1 || p > 18 || sc < 0 || sc > p {
			return ftype{}, fmt.Errorf("decimal precision must be 1..18 and scale 0..precision, got %s", s)
		}
		return ftype{k: kDecimal, p: p, s: sc}, nil
	}
	return ftype{}, fmt.Errorf("unknown type %q (want long, double, decimal(P,S), timestamp or string)", s)
}

func mustType(s string) ftype {
	t, err := parseType(s)
	if err != nil {
		panic(err)
	}
	return t
}

// value is one field's value in some type: a long, a decimal's unscaled
// digits or a timestamp's microseconds in i; a double in f; a string in s,
// or, on the wire, its bytes in b.
type value struct {
	null bool
	i    int64
	f    float64
	s    string
	b    []byte
}

var pow10 = func() [19]int64 {
	var p [19]int64
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// decimalText prints unscaled digits at a scale: 1999, 2 -> "19.99".
func decimalText(u int64, scale int) string {
	if scale == 0 {
		return strconv.FormatInt(u, 10)
	}
	sign := ""
	if u < 0 {
		sign, u = "-", -u
	}
	q, r := u/pow10[scale], u%pow10[scale]
	return fmt.Sprintf("%s%d.%0*d", sign, q, scale, r)
}

// parseDecimal reads "19.99" at a scale, truncating extra digits.
func parseDecimal(s string, scale int) (int64, error) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if len(frac) > scale {
		frac = frac[:scale]
	}
	frac += strings.Repeat("0", scale-len(frac))
	u, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil || strings.ContainsAny(whole+frac, "+-") {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if neg {
		u = -u
	}
	return u, nil
}

// rescale moves unscaled digits from one scale to another, truncating
// toward zero when the new scale is smaller (Java's RoundingMode.DOWN).
func rescale(u int64, from, to int) int64 {
	if to >= from {
		return u * pow10[to-from]
	}
	return u / pow10[from-to]
}

func fits(u int64, p int) bool { return u > -pow10[p] && u < pow10[p] }

// Timestamps are microseconds since the Unix epoch. The years a timestamp
// type holds are 0001 to 9999 (Hive, Spark, SQL).
var (
	minTimestamp = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	maxTimestamp = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC).Unix()
)

func timestampText(micros int64) string {
	return time.Unix(0, 0).UTC().Add(time.Duration(micros) * time.Microsecond).Format("2006-01-02T15:04:05.000000Z")
}

// secondsToTimestamp is the connectors' reading of a number as an instant:
// Hive and Spark cast integral and floating values to timestamp as seconds
// since the epoch.
func secondsToTimestamp(sec float64, shown string) (int64, error) {
	if math.IsNaN(sec) || sec < float64(minTimestamp) || sec > float64(maxTimestamp) {
		return 0, fmt.Errorf("%s read as seconds since 1970 is outside the timestamp range (years 1 to 9999)", shown)
	}
	whole := math.Floor(sec)
	return int64(whole)*1_000_000 + int64(math.Round((sec-whole)*1e6)), nil
}

// coerce is the downstream connector: it turns a value of the writer's
// type into the reader's type, the way Hive, Spark and common JDBC and
// Kafka connectors do. A string arrives as bytes and is decoded with the
// reader's encoding first. Errors are loud failures; a wrong value that
// converts is silent.
func coerce(v value, from, to ftype, enc string, strict bool) (value, error) {
	if v.null {
		return v, nil
	}
	if from.k == kString {
		s, err := decode(v.b, enc, strict)
		if err != nil {
			return value{}, err
		}
		return parseAs(s, to)
	}
	switch to.k {
	case kString:
		return value{s: textOf(v, from)}, nil
	case kLong:
		switch from.k {
		case kLong:
			return v, nil
		case kDouble:
			if math.IsNaN(v.f) || math.Abs(v.f) >= 9.2e18 {
				return value{}, fmt.Errorf("%g does not fit a long", v.f)
			}
			return value{i: int64(v.f)}, nil
		case kDecimal:
			return value{i: v.i / pow10[from.s]}, nil
		case kTimestamp: // the physical value: microseconds (Parquet TIMESTAMP_MICROS)
			return value{i: v.i}, nil
		}
	case kDouble:
		switch from.k {
		case kLong:
			return value{f: float64(v.i)}, nil
		case kDouble:
			return v, nil
		case kDecimal:
			return value{f: float64(v.i) / float64(pow10[from.s])}, nil
		case kTimestamp:
			return value{f: float64(v.i) / 1e6}, nil
		}
	case kDecimal:
		var u int64
		switch from.k {
		case kLong:
			if !fits(v.i, to.p-to.s) {
				return value{}, fmt.Errorf("%d overflows %v", v.i, to)
			}
			u = v.i * pow10[to.s]
		case kDouble:
			// The naive conversion many connectors make: scale, then
			// truncate. 19.99 is 19.989999999999998... in binary, so
			// 19.99*100 is 1998.9999999999998 and becomes 1998.
			x := v.f * float64(pow10[to.s])
			if math.IsNaN(x) || math.Abs(x) >= float64(pow10[to.p]) {
				return value{}, fmt.Errorf("%g overflows %v", v.f, to)
			}
			u = int64(x)
		case kDecimal:
			u = rescale(v.i, from.s, to.s)
		case kTimestamp:
			return value{}, fmt.Errorf("cannot cast timestamp to %v", to)
		}
		if !fits(u, to.p) {
			return value{}, fmt.Errorf("%s overflows %v", decimalText(u, to.s), to)
		}
		return value{i: u}, nil
	case kTimestamp:
		switch from.k {
		case kLong:
			t, err := secondsToTimestamp(float64(v.i), strconv.FormatInt(v.i, 10))
			return value{i: t}, err
		case kDouble:
			t, err := secondsToTimestamp(v.f, strconv.FormatFloat(v.f, 'g', -1, 64))
			return value{i: t}, err
		case kDecimal:
			return value{}, fmt.Errorf("cannot cast %v to timestamp", from)
		case kTimestamp:
			return v, nil
		}
	}
	return value{}, fmt.Errorf("cannot cast %v to %v", from, to)
}

// textOf prints a non-string value as connectors do when a string is
// wanted.
func textOf(v value, t ftype) string {
	switch t.k {
	case kLong:
		return strconv.FormatInt(v.i, 10)
	case kDouble:
		return strconv.FormatFloat(v.f, 'g', -1, 64)
	case kDecimal:
		return decimalText(v.i, t.s)
	case kTimestamp:
		return timestampText(v.i)
	}
	return v.s
}

// parseAs reads a decoded string into a type; a bad string is loud.
func parseAs(s string, to ftype) (value, error) {
	switch to.k {
	case kString:
		return value{s: s}, nil
	case kLong:
		i, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return value{}, fmt.Errorf("%q is not a long", s)
		}
		return value{i: i}, nil
	case kDouble:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return value{}, fmt.Errorf("%q is not a double", s)
		}
		return value{f: f}, nil
	case kDecimal:
		u, err := parseDecimal(s, to.s)
		if err != nil {
			return value{}, err
		}
		if !fits(u, to.p) {
			return value{}, fmt.Errorf("%s overflows %v", s, to)
		}
		return value{i: u}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return value{}, fmt.Errorf("%q is not a timestamp", s)
	}
	return value{i: t.UnixMicro()}, nil
}
