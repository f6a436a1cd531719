package viz

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// niceTicks puts 4 to 12 labelled ticks at steps of 1, 2 or 5 × 10^k, with
// as few digits as the step needs ("0.5", "25", "5000", never "25.00"),
// and an unlabelled minor tick between each pair.
type niceTicks struct{}

func (niceTicks) Ticks(min, max float64) []plot.Tick {
	if !(max > min) || math.IsInf(min, 0) || math.IsInf(max, 0) {
		return plot.DefaultTicks{}.Ticks(min, max)
	}
	step := niceStep((max - min) / 6)
	digits := max0(-int(math.Floor(math.Log10(step))))
	var ticks []plot.Tick
	for i := math.Ceil(min/step - 1e-9); i*step <= max+step*1e-9; i++ {
		v := i * step
		if v == 0 {
			v = 0 // no "-0"
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', digits, 64)})
		if minor := v + step/2; minor < max {
			ticks = append(ticks, plot.Tick{Value: minor})
		}
	}
	if first := math.Ceil(min/step-1e-9)*step - step/2; first > min {
		ticks = append(ticks, plot.Tick{Value: first})
	}
	return ticks
}

// niceStep rounds x up to 1, 2 or 5 times a power of ten.
func niceStep(x float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(x)))
	switch f := x / p; {
	case f <= 1:
		return p
	case f <= 2:
		return 2 * p
	case f <= 5:
		return 5 * p
	}
	return 10 * p
}

func max0(x int) int {
	if x < 0 {
		return 0
	}
	return x
}
