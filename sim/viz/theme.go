package viz

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Theme is the look shared by every figure: sizes chosen so a figure 720
// pixels wide (about a notebook column) stays readable, and a palette that
// colour-blind readers can tell apart.
type Theme struct {
	Width, Height        vg.Length
	TitleSize, LabelSize font.Length
	TickSize, LegendSize font.Length
	LineWidth            vg.Length
	Palette              []color.Color
	Shade                color.Color // fault windows: triggers, partitions
	Grid                 color.Color
	DPI                  int // for PNG output
}

// Default is the theme every figure starts with. Changing it changes the
// figures made afterwards.
var Default = Theme{
	Width:      7.5 * vg.Inch,
	Height:     4.2 * vg.Inch,
	TitleSize:  14,
	LabelSize:  12,
	TickSize:   10,
	LegendSize: 10,
	LineWidth:  1.6,
	// Okabe and Ito's colour-blind-safe palette, darkest first.
	Palette: []color.Color{
		rgb(0x00, 0x72, 0xB2), // blue
		rgb(0xD5, 0x5E, 0x00), // vermillion
		rgb(0x00, 0x9E, 0x73), // bluish green
		rgb(0xCC, 0x79, 0xA7), // reddish purple
		rgb(0xE6, 0x9F, 0x00), // orange
		rgb(0x56, 0xB4, 0xE9), // sky blue
		rgb(0x00, 0x00, 0x00), // black
	},
	Shade: color.NRGBA{R: 0xD5, G: 0x5E, B: 0x00, A: 0x30},
	Grid:  color.Gray{Y: 0xDD},
	DPI:   96,
}

func rgb(r, g, b uint8) color.Color { return color.NRGBA{R: r, G: g, B: b, A: 0xFF} }

// Color returns the i-th colour of the palette, cycling.
func (t Theme) Color(i int) color.Color { return t.Palette[i%len(t.Palette)] }

// newPlot returns an empty plot styled by the theme.
func (t Theme) newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = t.TitleSize
	p.Title.Padding = 6
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Size = t.LabelSize
		a.Tick.Label.Font.Size = t.TickSize
		a.Padding = 2
		a.Tick.Marker = niceTicks{}
	}
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.Legend.TextStyle.Font.Size = t.LegendSize
	p.Legend.Top = true
	p.Legend.Padding = 2
	p.Legend.ThumbnailWidth = 18
	return p
}

func (t Theme) lineStyle(i int) draw.LineStyle {
	return draw.LineStyle{Color: t.Color(i), Width: t.LineWidth}
}
