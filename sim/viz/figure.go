package viz

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Figure is a finished plot with its size, ready to write as SVG or PNG.
// Plot is exposed so users can add their own plotters before writing.
type Figure struct {
	Name          string // a file name stem: "queueing-waits"
	Plot          *plot.Plot
	Width, Height vg.Length
	DPI           int
	key           *plot.Plot  // a colour bar drawn to the right of Plot
	lines         []Line      // what Lines reports
	spans         []spanShade // the windows shaded, for Frame
	// legendOut puts the legend in a strip right of the data area, for
	// figures whose data fill every corner (lanes, rows of operations).
	legendOut bool
	// below is a legend drawn in rows beneath the plot instead (Blocks:
	// lanes fill every corner, and a strip beside takes a third of the
	// width when an entry is long).
	below []legendEntry
	// legendFree moves the legend, as the figure is drawn, to a corner
	// where it covers no point of lines or marks, or else beside the
	// data (placeLegendFree). prefer is the corner asked for first.
	legendFree bool
	prefer     *corner
	marks      []Line // the markers drawn (XY's Points), for placing the legend
	note       *note  // the note written on the data area, if any
}

// keyShare is the part of the width a colour bar takes.
const keyShare = 0.14

// draw lays out the plot, and the colour bar beside it when there is one.
func (f *Figure) draw(c vg.CanvasSizer) {
	dc := draw.New(c)
	f.Plot.Draw(f.plotCanvas(dc))
	if len(f.below) > 0 {
		f.drawBelow(dc)
	}
	if f.key != nil {
		w := dc.Max.X - dc.Min.X
		f.key.Draw(draw.Crop(dc, w*(1-keyShare), 0, 0, 0))
	}
}

// plotCanvas is the part of the figure's canvas the plot takes: all of it
// but the colour bar's share or the legend's strip. It places the legend
// first, so that drawing and Frame agree on where it is. A legend set outside
// is moved into its strip by its offset (gonum draws the legend against
// the data area's right edge and does not clip it).
func (f *Figure) plotCanvas(dc draw.Canvas) draw.Canvas {
	switch {
	case f.key != nil:
		return draw.Crop(dc, 0, -(dc.Max.X-dc.Min.X)*keyShare, 0, 0)
	case len(f.below) > 0:
		return draw.Crop(dc, 0, 0, f.belowHeight(dc.Max.X-dc.Min.X), 0)
	case f.legendOut || f.legendFree && !f.placeLegendFree(dc):
		r := f.Plot.Legend.Rectangle(dc)
		strip := r.Max.X - r.Min.X + 16
		f.Plot.Legend.Left = false
		f.Plot.Legend.XOffs = strip - 6
		return draw.Crop(dc, 0, -strip, 0, 0)
	}
	return dc
}

func newFigure(name string, p *plot.Plot) *Figure {
	return &Figure{Name: name, Plot: p, Width: Default.Width, Height: Default.Height, DPI: Default.DPI}
}

// WriteSVG writes the figure as an SVG document. The output is the same
// bytes for the same figure on every machine (fonts are referenced, not
// embedded), which the golden tests rely on.
func (f *Figure) WriteSVG(w io.Writer) error {
	c := vgsvg.New(f.Width, f.Height)
	f.draw(c)
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return err
	}
	_, err := w.Write(mendImages(b.Bytes()))
	return err
}

// mendImages corrects the raster images gonum's SVG canvas embeds (a
// colour bar is one, a pixel wide and as tall as the bar). SVG keeps an
// image's aspect ratio inside its box unless told otherwise, so browsers
// drew the colour bar as a one-pixel line; the PNG canvas stretches an
// image to its box, and now the SVG does too. The data is PNG, which the
// canvas labels image/jpg; it is labelled image/png.
func mendImages(svg []byte) []byte {
	svg = bytes.ReplaceAll(svg, []byte("<image "), []byte(`<image preserveAspectRatio="none" `))
	return bytes.ReplaceAll(svg, []byte(`xlink:href="data:image/jpg;base64,`), []byte(`xlink:href="data:image/png;base64,`))
}

// WritePNG writes the figure as a PNG image at the figure's DPI.
func (f *Figure) WritePNG(w io.Writer) error {
	c := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(f.Width, f.Height), vgimg.UseDPI(f.DPI))}
	f.draw(c)
	_, err := c.WriteTo(w)
	return err
}

// SVG returns the figure as SVG bytes.
func (f *Figure) SVG() ([]byte, error) {
	var b bytes.Buffer
	err := f.WriteSVG(&b)
	return b.Bytes(), err
}

// PNG returns the figure as PNG bytes.
func (f *Figure) PNG() ([]byte, error) {
	var b bytes.Buffer
	err := f.WritePNG(&b)
	return b.Bytes(), err
}

// Save writes the figure to path, as SVG or PNG by its extension, creating
// the directory if needed.
func (f *Figure) Save(path string) error {
	var write func(io.Writer) error
	switch strings.ToLower(filepath.Ext(path)) {
	case ".svg":
		write = f.WriteSVG
	case ".png":
		write = f.WritePNG
	default:
		return fmt.Errorf("viz: cannot save %q: the extension must be .svg or .png", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(out); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Slug turns a title into a file name stem: "Mean wait (s)" -> "mean-wait-s".
func Slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if unicode.IsLetter(r) && r < 128 || unicode.IsDigit(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if s == "" {
		return "figure"
	}
	return s
}
