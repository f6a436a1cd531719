package dist

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Parse reads the text form of a distribution:
//
//	const(5ms)  or just 5ms       always the same value
//	uniform(1ms, 3ms)             evenly spread between two values
//	exp(10ms)                     exponential with that mean
//	normal(100ms, 10ms)           mean and standard deviation
//	tnormal(100ms, 50ms)          the same normal cut at 0 (no draw below 0)
//	lognormal(100ms, 0.5)         mean and coefficient of variation
//	pareto(0.235ms, 10)           scale xm and shape alpha
//	gamma(500ms, 0.5)             mean and coefficient of variation
//	mix(0.9: exp(1ms), 0.1: exp(50ms))   weighted parts
//	shift(75ms, exp(1ms))         a constant plus a distribution
//	emp(1ms, 2ms, 2ms, 9ms)       resample observed values
//
// Values written with a duration unit (ns, us, µs, ms, s, m, h) make a
// distribution of durations, whose samples are seconds; plain numbers make a
// distribution of plain numbers (sizes, counts). The two cannot be mixed in
// one distribution. Shape parameters (alpha, cv, weights) are plain numbers.
// The text is at most 1 MiB. Errors name the position and what was
// expected; parameters are then checked as by Validate (ValidateDuration is
// the further check for a distribution used as durations).
func Parse(text string) (Dist, error) {
	if len(text) > maxText {
		return nil, fmt.Errorf("dist: text of %d bytes is longer than the limit of %d", len(text), maxText)
	}
	p := &parser{src: text}
	d, err := p.dist()
	if err == nil {
		p.space()
		if p.pos < len(p.src) {
			err = p.errorf("unexpected %s after the distribution", excerpt(p.src[p.pos:], 40))
		}
	}
	if err != nil {
		return nil, err
	}
	if err := Validate(d); err != nil {
		return nil, err
	}
	return d, nil
}

// MustParse is Parse for constants in code: it panics on a bad text.
// Prefer Parse for anything a user typed.
func MustParse(text string) Dist {
	d, err := Parse(text)
	if err != nil {
		panic(err)
	}
	return d
}

type parser struct {
	src     string
	pos     int
	depth   int // mix and shift levels open
	numbers int
}

// value is a parsed number and whether it carried a duration unit.
type value struct {
	v   float64
	dur bool
	at  int
}

// errorf quotes the text (its first 60 bytes when longer) and the position.
func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("dist: %s at position %d: %s", excerpt(p.src, 60), p.pos+1, fmt.Sprintf(format, args...))
}

// excerpt quotes s, cut to n bytes.
func excerpt(s string, n int) string {
	if len(s) <= n {
		return strconv.Quote(s)
	}
	return strconv.Quote(strings.ToValidUTF8(s[:n], "")) + "..."
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func (p *parser) space() {
	for p.pos < len(p.src) && isSpace(p.src[p.pos]) {
		p.pos++
	}
}

func (p *parser) peek() byte {
	p.space()
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *parser) expect(c byte) error {
	if p.peek() != c {
		if p.pos >= len(p.src) {
			return p.errorf("expected %q, found the end", c)
		}
		return p.errorf("expected %q, found %q", c, p.src[p.pos])
	}
	p.pos++
	return nil
}

// word reads a name or a number token.
func (p *parser) word() string {
	p.space()
	start := p.pos
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == '(' || c == ')' || c == ',' || c == ':' || isSpace(c) {
			break
		}
		p.pos++
	}
	return p.src[start:p.pos]
}

func (p *parser) number() (value, error) {
	p.space()
	at := p.pos
	w := p.word()
	if w == "" {
		return value{}, p.errorf("expected a number")
	}
	if p.numbers++; p.numbers > maxNumbers {
		p.pos = at
		return value{}, p.errorf("more than %d numbers (parameters, weights and points together)", maxNumbers)
	}
	v, err := strconv.ParseFloat(w, 64)
	if err == nil {
		return value{v: v, at: at}, nil
	}
	if d, derr := time.ParseDuration(w); derr == nil {
		return value{v: d.Seconds(), dur: true, at: at}, nil
	}
	p.pos = at
	if errors.Is(err, strconv.ErrRange) {
		return value{}, p.errorf("%s is beyond the range of float64", excerpt(w, 40))
	}
	if c, c0 := w[len(w)-1], w[0]; (c == 's' || c == 'm' || c == 'h') && (c0 >= '0' && c0 <= '9' || c0 == '-' || c0 == '+' || c0 == '.') {
		return value{}, p.errorf("%s is not a duration between -2562047h and 2562047h (like 10ms, 1.5s, 2h45m)", excerpt(w, 40))
	}
	return value{}, p.errorf("%s is neither a number nor a duration like 10ms", excerpt(w, 40))
}

// dist parses one distribution.
func (p *parser) dist() (Dist, error) {
	start := p.pos
	p.space()
	if c := p.peek(); c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9') {
		v, err := p.number()
		if err != nil {
			return nil, err
		}
		return withUnit(Const(v.v), v.dur), nil
	}
	name := strings.ToLower(p.word())
	if name == "" {
		return nil, p.errorf("expected a distribution such as exp(10ms)")
	}
	if err := p.expect('('); err != nil {
		return nil, err
	}
	var d Dist
	var err error
	switch name {
	case "mix", "mixture", "shift", "shifted":
		// Checked before descending: the parser's recursion is what the
		// limit bounds.
		if p.depth >= maxDepth {
			p.pos = start
			p.space()
			return nil, p.errorf("mix and shift nest more than %d deep", maxDepth)
		}
		p.depth++
		if name[0] == 'm' {
			d, err = p.mixture()
		} else {
			d, err = p.shifted()
		}
		p.depth--
	default:
		d, err = p.simple(name, start)
	}
	if err != nil {
		return nil, err
	}
	return d, p.expect(')')
}

// argShape is how a kind of numbers only takes its arguments.
type argShape struct {
	n     int    // argument count, -1 for any
	scale []bool // which arguments carry the unit
	make  func(a []float64) Dist
}

// shapes and aliases are read-only tables of the text form.
var (
	shapes = map[string]argShape{
		"const":     {1, []bool{true}, func(a []float64) Dist { return Const(a[0]) }},
		"uniform":   {2, []bool{true, true}, func(a []float64) Dist { return Unif(a[0], a[1]) }},
		"exp":       {1, []bool{true}, func(a []float64) Dist { return Exp(a[0]) }},
		"normal":    {2, []bool{true, true}, func(a []float64) Dist { return Norm(a[0], a[1]) }},
		"tnormal":   {2, []bool{true, true}, func(a []float64) Dist { return TNorm(a[0], a[1]) }},
		"lognormal": {2, []bool{true, false}, func(a []float64) Dist { return LogNorm(a[0], a[1]) }},
		"pareto":    {2, []bool{true, false}, func(a []float64) Dist { return Par(a[0], a[1]) }},
		"gamma":     {2, []bool{true, false}, func(a []float64) Dist { return Gam(a[0], a[1]) }},
		"emp":       {-1, nil, func(a []float64) Dist { return Emp(a) }},
	}
	aliases = map[string]string{"exponential": "exp", "unif": "uniform", "norm": "normal", "tnorm": "tnormal",
		"lognorm": "lognormal", "empirical": "emp"}
)

// simple parses the arguments of a distribution of numbers only.
func (p *parser) simple(name string, start int) (Dist, error) {
	if a, ok := aliases[name]; ok {
		name = a
	}
	sh, ok := shapes[name]
	if !ok {
		p.pos = start
		p.space()
		return nil, p.errorf("unknown distribution %s (want const, uniform, exp, normal, tnormal, lognormal, pareto, gamma, mix, shift or emp)", excerpt(name, 40))
	}
	var args []value
	for {
		v, err := p.number()
		if err != nil {
			return nil, err
		}
		args = append(args, v)
		if p.peek() != ',' {
			break
		}
		p.pos++
	}
	if sh.n >= 0 && len(args) != sh.n {
		return nil, p.errorf("%s takes %d argument(s), got %d", name, sh.n, len(args))
	}
	dur, plain := false, false
	nums := make([]float64, len(args))
	for i, a := range args {
		nums[i] = a.v
		carries := sh.scale == nil || sh.scale[i]
		switch {
		case carries && a.dur:
			dur = true
		case carries:
			plain = true
		case a.dur:
			p.pos = a.at
			return nil, p.errorf("argument %d of %s is a shape and takes a plain number, not a duration", i+1, name)
		}
	}
	if dur && plain {
		return nil, p.errorf("%s mixes durations and plain numbers; give every value a unit or none", name)
	}
	return withUnit(sh.make(nums), dur), nil
}

func (p *parser) mixture() (Dist, error) {
	var weights []float64
	var parts []Dist
	for {
		w, err := p.number()
		if err != nil {
			return nil, err
		}
		if w.dur {
			p.pos = w.at
			return nil, p.errorf("a mix weight is a plain number, not a duration")
		}
		if err := p.expect(':'); err != nil {
			return nil, err
		}
		d, err := p.dist()
		if err != nil {
			return nil, err
		}
		weights = append(weights, w.v)
		parts = append(parts, d)
		if p.peek() != ',' {
			break
		}
		p.pos++
	}
	dur := IsDuration(parts[0])
	for _, d := range parts[1:] {
		if IsDuration(d) != dur {
			return nil, p.errorf("mix combines durations and plain numbers")
		}
	}
	return withUnit(Mix(weights, parts...), dur), nil
}

func (p *parser) shifted() (Dist, error) {
	by, err := p.number()
	if err != nil {
		return nil, err
	}
	if err := p.expect(','); err != nil {
		return nil, err
	}
	base, err := p.dist()
	if err != nil {
		return nil, err
	}
	if by.dur != IsDuration(base) && by.v != 0 {
		return nil, p.errorf("shift adds %s to a distribution of %s", kindOf(by.dur), kindOf(IsDuration(base)))
	}
	return withUnit(Shift(by.v, base), by.dur || IsDuration(base)), nil
}

func withUnit(d Dist, dur bool) Dist {
	if dur {
		return AsDuration(d)
	}
	return d
}

// Value adapts a distribution to flag.Value, so commands take
// -latency 'exp(10ms)'.
type Value struct{ Dist Dist }

func (v *Value) String() string {
	if v == nil || v.Dist == nil {
		return ""
	}
	return v.Dist.String()
}

func (v *Value) Set(text string) error {
	d, err := Parse(text)
	if err != nil {
		return err
	}
	v.Dist = d
	return nil
}
