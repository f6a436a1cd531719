package viz

import (
	"bytes"
	"strings"
	"testing"
)

// A heatmap's colour bar is a raster image one pixel wide: in the SVG it
// must stretch to its box, as in the PNG, or browsers draw a thin line.
func TestSVGImagesFillTheirBox(t *testing.T) {
	f := Heatmap(Options{Title: "Bar"}, Grid{X: []float64{1, 2}, Y: []float64{1, 2}, Z: [][]float64{{1, 2}, {3, 4}}}, "z")
	svg, err := f.SVG()
	if err != nil {
		t.Fatal(err)
	}
	n := bytes.Count(svg, []byte("<image "))
	if n == 0 {
		t.Fatal("the heatmap's SVG has no colour bar image")
	}
	if m := bytes.Count(svg, []byte(`<image preserveAspectRatio="none" `)); m != n {
		t.Errorf("%d of %d images keep their aspect ratio", n-m, n)
	}
	if strings.Contains(string(svg), "data:image/jpg") {
		t.Error("an image's PNG data is labelled image/jpg")
	}
}
