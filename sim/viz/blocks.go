package viz

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Block is a bar on a lane of Blocks, over [From, To) of the x axis:
// one state of a process for a while (a server's role in a term), or one
// cell of a row (an entry of a log). Label is written inside when it
// fits. A Faint block is drawn pale (a state of less interest, an entry
// not yet committed).
type Block struct {
	Lane     int
	From, To float64
	Kind     string // its colour and legend entry: the index in kinds
	Label    string
	Faint    bool
}

// Blocks draws one horizontal lane per name, top to bottom, and each
// block as a bar on its lane, coloured by its Kind's place in kinds (a
// kind not in kinds is grey). The legend, in rows beneath the plot, names
// the spans, then the kinds some block has, in kinds' order: a state that
// never occurs is not listed, and each keeps its colour from run to run. Blocks
// are drawn in order, so a later block covers an earlier one. The
// option's spans are shaded behind them, read with x in seconds.
func Blocks(o Options, lanes []string, kinds []string, blocks []Block) *Figure {
	p := Default.newPlot(o.Title, o.XLabel, o.YLabel)
	addGrid(p)
	// The spans' labels go in the rows beneath, not gonum's legend.
	bare := append([]Span(nil), o.Spans...)
	for i := range bare {
		bare[i].Label = ""
	}
	spans := addSpans(p, bare, 1)
	var below []legendEntry
	seen := map[string]bool{}
	for i := range spans {
		spans[i].Label = o.Spans[i].Label
		if l := spans[i].Label; l != "" && !seen[l] {
			seen[l] = true
			below = append(below, legendEntry{l, spans[i].shade})
		}
	}
	p.Y.Tick.Marker = rowTicks(lanes)
	p.Y.Min, p.Y.Max = -0.6, float64(len(lanes))-0.4
	if o.Note != "" {
		p.Y.Min = -1 // a line below the last lane for the note
	}
	index := map[string]int{}
	for i, k := range kinds {
		index[k] = i
	}
	bp := &blocksPlotter{blocks: blocks, lanes: len(lanes), index: index}
	p.Add(bp)
	used := map[string]bool{}
	for _, b := range blocks {
		used[b.Kind] = true
	}
	for i, k := range kinds {
		if used[k] {
			below = append(below, legendEntry{k, legendBox{Default.Color(i)}})
		}
	}
	if len(blocks) > 0 {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, b := range blocks {
			lo, hi = math.Min(lo, b.From), math.Max(hi, b.To)
		}
		p.X.Min, p.X.Max = math.Min(p.X.Min, lo), math.Max(p.X.Max, hi)
	}
	p.Legend.Top, p.Legend.Left = true, true // Left: thumbnails before the text, as drawBelow draws them
	text := o.Note
	if text == "" && len(blocks) == 0 {
		text = "no data"
	}
	if text != "" {
		p.Add(&note{text: text, at: corner{top: false, left: true}})
	}
	f := newFigure(o.name("blocks"), p)
	f.spans, f.below = spans, below
	f.Height = vg.Length(math.Max(float64(Default.Height)*0.6, float64(len(lanes))*0.45*float64(vg.Inch)+1.6*float64(vg.Inch)))
	f.Height += f.belowHeight(f.Width)
	return f
}

// rowTicks names the lanes, the first at the top.
type rowTicks []string

func (r rowTicks) Ticks(min, max float64) []plot.Tick {
	t := make([]plot.Tick, len(r))
	for i, name := range r {
		t[i] = plot.Tick{Value: float64(len(r) - 1 - i), Label: name}
	}
	return t
}

type blocksPlotter struct {
	blocks []Block
	lanes  int
	index  map[string]int
}

func (bp *blocksPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	text := p.Legend.TextStyle
	text.Font.Size = Default.TickSize - 1
	text.Color = color.Black // its own ink, not the legend's (LegendBox tells them apart)
	text.XAlign, text.YAlign = draw.XCenter, draw.YCenter
	for _, b := range bp.blocks {
		y := float64(bp.lanes - 1 - b.Lane)
		x0, x1 := clamp(trX(b.From), c.Min.X, c.Max.X), clamp(trX(b.To), c.Min.X, c.Max.X)
		if x1 <= x0 {
			continue
		}
		y0, y1 := trY(y-0.32), trY(y+0.32)
		col := color.Color(color.Gray{Y: 0x99})
		if i, ok := bp.index[b.Kind]; ok {
			col = Default.Color(i)
		}
		if b.Faint {
			r, g, bb, _ := col.RGBA()
			col = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(bb >> 8), A: 0x40}
		}
		c.FillPolygon(col, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
		if b.Label != "" && text.Width(b.Label)+2 < x1-x0 {
			t := text
			if !b.Faint {
				t.Color = color.White
			}
			c.FillText(t, vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}, b.Label)
		}
	}
}

// legendBox is a legend thumbnail: a filled square of a block's colour.
type legendBox struct{ c color.Color }

func (l legendBox) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(l.c, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
}
