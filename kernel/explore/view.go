package explore

import (
	"bytes"
	"encoding/json"
	"html/template"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"dsim/sim/scenario"
	"dsim/sim/viz"
)

// view is what a page shows of a run: rendered once, when the run ends,
// and kept in the cache with it.
type view struct {
	Outcome string        `json:"outcome"`
	Verdict string        `json:"verdict"`
	Summary template.HTML `json:"summary"`
	Figures []figure      `json:"figures"`
	Wall    string        `json:"wall"` // wall time of the run and its figures
}

// figure is a figure's SVG, made to fit its box, and its frame as JSON:
// the page's script draws the hover and the windows' labels from it.
type figure struct {
	Name  string        `json:"name"`
	SVG   template.HTML `json:"svg"`
	Frame string        `json:"frame"`
}

func (v *view) size() int64 {
	n := len(v.Verdict) + len(v.Summary)
	for _, f := range v.Figures {
		n += len(f.SVG) + len(f.Frame) + len(f.Name)
	}
	return int64(n)
}

// render draws a report's figures and tables for the page.
func render(rep *scenario.Report, ran time.Duration) *view {
	start := time.Now()
	full := rep.Verdict.String()
	// The page shows the outcome in bold before the sentence.
	v := &view{Outcome: rep.Outcome, Verdict: strings.TrimPrefix(full, rep.Outcome+": ")}
	if rep.Summary != nil {
		// The verdict is shown above the table: a note that repeats it goes.
		t := *rep.Summary
		t.Notes = nil
		for _, n := range rep.Summary.Notes {
			if n != full {
				t.Notes = append(t.Notes, n)
			}
		}
		v.Summary = template.HTML(t.HTML()) // cells escaped by metrics.Table
	}
	if rep.Figures != nil {
		v.Figures = figures(rep.Figures())
	}
	v.Wall = "ran in " + roundDur(ran) + ", drawn in " + roundDur(time.Since(start))
	return v
}

func figures(figs []*viz.Figure) []figure {
	var out []figure
	for _, f := range figs {
		if f == nil {
			continue
		}
		out = append(out, drawFigure(f))
	}
	return out
}

func roundDur(d time.Duration) string {
	if d < 10*time.Millisecond {
		return d.Round(100 * time.Microsecond).String()
	}
	return d.Round(time.Millisecond).String()
}

// The SVG's header: its XML declaration, the generator's comment and the
// fixed size of the svg element, which the page replaces by a viewBox that
// fits the figure's box.
var (
	svgProlog = regexp.MustCompile(`^(?s)<\?xml[^>]*\?>\s*(<!--.*?-->\s*)?`)
	svgSize   = regexp.MustCompile(`^<svg width="[^"]*" height="[^"]*"`)
)

// drawFigure renders a figure as an inline SVG that scales to its box, and
// its frame. A figure that fails to draw says so in its place.
func drawFigure(f *viz.Figure) figure {
	out := figure{Name: f.Name}
	svg, err := f.SVG()
	if err != nil {
		out.SVG = template.HTML(`<p class="error">` + template.HTMLEscapeString("figure "+f.Name+": "+err.Error()) + `</p>`)
		return out
	}
	svg = svgProlog.ReplaceAll(svg, nil)
	svg = svgSize.ReplaceAll(svg, []byte(`<svg class="fig" preserveAspectRatio="xMidYMid meet"`))
	out.SVG = template.HTML(svg) // gonum's SVG escapes its texts
	out.Frame = frameJSON(f.Frame())
	return out
}

// frameJSON writes a frame compactly: image coordinates to 0.01 point,
// values to 6 significant digits.
func frameJSON(fr viz.Frame) string {
	type line struct {
		Name   string       `json:"name"`
		Color  string       `json:"color"`
		Points [][4]float64 `json:"points"` // x, y on the image; x, y values
	}
	type span struct {
		Label string  `json:"label"`
		From  string  `json:"from"`
		To    string  `json:"to"`
		Left  float64 `json:"left"`
		Right float64 `json:"right"`
	}
	out := struct {
		W, H, L, T, R, B float64
		XLabel, YLabel   string
		Lines            []line
		Spans            []span
	}{W: r2(fr.Width), H: r2(fr.Height), L: r2(fr.Left), T: r2(fr.Top), R: r2(fr.Right), B: r2(fr.Bottom),
		XLabel: fr.XLabel, YLabel: fr.YLabel}
	for _, l := range fr.Lines {
		ln := line{Name: l.Name, Color: l.Color, Points: make([][4]float64, 0, len(l.Points))}
		for _, p := range l.Points {
			ln.Points = append(ln.Points, [4]float64{r2(p.X), r2(p.Y), sig6(p.VX), sig6(p.VY)})
		}
		out.Lines = append(out.Lines, ln)
	}
	for _, s := range fr.Spans {
		out.Spans = append(out.Spans, span{Label: s.Label, From: durationText(s.From.Duration()), To: durationText(s.To.Duration()), Left: r2(s.Left), Right: r2(s.Right)})
	}
	var b bytes.Buffer
	if err := json.NewEncoder(&b).Encode(out); err != nil {
		return "{}"
	}
	return b.String()
}

func r2(x float64) float64 { return math.Round(x*100) / 100 }

func sig6(x float64) float64 {
	y, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 6, 64), 64)
	return y
}

// comparison is what the page shows of two runs side by side.
type comparison struct {
	Table   template.HTML `json:"table"`
	Figures []figure      `json:"figures"`
}

func compare(sc scenario.Scenario, names []string, reps ...*scenario.Report) (*comparison, error) {
	tab, figs, err := sc.Compare(names, reps...)
	if err != nil {
		return nil, err
	}
	c := &comparison{Figures: figures(figs)}
	if tab != nil {
		c.Table = template.HTML(tab.HTML())
	}
	return c, nil
}
