package explore

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"dsim/sim/scenario"
)

// control is what the page draws for one knob, from its table entry: a
// slider over a ladder of values for numbers, counts and durations, a
// select for a choice, a switch, a text box for a distribution or a text.
// Every number also has a text box, for a value between the ladder's.
type control struct {
	Knob   scenario.Knob
	Flag   string
	Widget string   // "slider", "select", "switch", "text"
	Ladder []string // a slider's values, as Set reads them
	Nums   []float64
	Log    bool // the ladder is spaced by factors, not by steps
}

// mantissas are the values of a decade a log ladder stops at: a tenth, a
// half, twice are all on it.
var mantissas = []float64{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9}

// The widest ratio a linear slider covers; wider ranges go by factors.
const linearRatio = 100

func newControl(k scenario.Knob) control {
	c := control{Knob: k, Flag: k.Flag()}
	switch k.Kind {
	case scenario.Number, scenario.Count, scenario.Duration:
		c.Widget = "slider"
		c.Nums, c.Log = ladder(k)
		for _, x := range c.Nums {
			c.Ladder = append(c.Ladder, format(k, x))
		}
	case scenario.Choice:
		c.Widget = "select"
	case scenario.Switch:
		c.Widget = "switch"
	default:
		c.Widget = "text"
	}
	return c
}

// ladder lists the values a knob's slider stops at, in the knob's own
// numbers (nanoseconds for a duration), with zero first when zero has a
// meaning of its own.
func ladder(k scenario.Knob) ([]float64, bool) {
	lo, hi := k.Min, k.Max
	zero := k.Zero != "" || k.Derived != "" || lo <= 0 && 0 <= hi
	if lo <= 0 {
		// A range from zero: its slider starts at a millionth of the top
		// (a microsecond of an hour), with zero below it.
		lo = hi / 1e6
		if k.Kind == scenario.Count || k.Kind == scenario.Duration {
			lo = math.Max(lo, 1)
		}
	}
	var xs []float64
	isLog := hi/lo > linearRatio
	if isLog {
		xs = logLadder(lo, hi)
	} else {
		xs = linLadder(lo, hi)
	}
	if k.Kind == scenario.Count || k.Kind == scenario.Duration {
		xs = whole(xs)
	}
	if zero {
		xs = append([]float64{0}, xs...)
	}
	return dedupe(xs), isLog
}

func logLadder(lo, hi float64) []float64 {
	xs := []float64{lo}
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		for _, m := range mantissas {
			x := roundSig(m * math.Pow(10, e))
			if x > lo*(1+1e-9) && x < hi*(1-1e-9) {
				xs = append(xs, x)
			}
		}
	}
	return append(xs, hi)
}

func linLadder(lo, hi float64) []float64 {
	step := niceStep((hi - lo) / 100)
	xs := []float64{lo}
	for x := math.Ceil(lo/step) * step; x < hi*(1-1e-9); x += step {
		if x > lo*(1+1e-9) {
			xs = append(xs, roundSig(x))
		}
	}
	return append(xs, hi)
}

// niceStep rounds a step up to 1, 2, 2.5 or 5 times a power of ten.
func niceStep(x float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= x*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

func roundSig(x float64) float64 {
	y, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 9, 64), 64)
	return y
}

func whole(xs []float64) []float64 {
	for i, x := range xs {
		xs[i] = math.Max(1, math.Round(x))
	}
	return xs
}

func dedupe(xs []float64) []float64 {
	sort.Float64s(xs)
	out := xs[:0]
	for i, x := range xs {
		if i == 0 || x != out[len(out)-1] {
			out = append(out, x)
		}
	}
	return out
}

// format writes a ladder value as the knob table reads it.
func format(k scenario.Knob, x float64) string {
	switch k.Kind {
	case scenario.Duration:
		return durationText(time.Duration(x))
	case scenario.Count:
		return strconv.FormatInt(int64(x), 10)
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// durationText is Go's form without its trailing zero units: 2m, not 2m0s.
func durationText(d time.Duration) string {
	s := d.String()
	for _, unit := range []string{"m0s", "h0m"} {
		if strings.HasSuffix(s, unit) {
			s = strings.TrimSuffix(s, unit[1:])
		}
	}
	return s
}

// position is the ladder index nearest the value text reads as (by ratio
// on a log ladder); -1 when the text is not a number of the knob's kind.
func (c control) position(text string) int {
	x, ok := number(c.Knob, text)
	if !ok || len(c.Nums) == 0 {
		return -1
	}
	best, bestD := -1, math.Inf(1)
	for i, y := range c.Nums {
		var d float64
		switch {
		case x == y:
			return i
		case !c.Log:
			d = math.Abs(x - y)
		case x > 0 && y > 0:
			d = math.Abs(math.Log(x / y))
		default:
			continue // on a log ladder zero is only near zero
		}
		if d < bestD {
			best, bestD = i, d
		}
	}
	return best
}

// number reads a knob's text as the table's Get writes it.
func number(k scenario.Knob, text string) (float64, bool) {
	text = strings.TrimSpace(text)
	switch k.Kind {
	case scenario.Duration:
		d, err := time.ParseDuration(text)
		return float64(d), err == nil
	case scenario.Number, scenario.Count:
		x, err := strconv.ParseFloat(text, 64)
		return x, err == nil && !math.IsNaN(x)
	}
	return 0, false
}
