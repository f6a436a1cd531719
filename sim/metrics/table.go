package metrics

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"dsim/sim"
)

// Table is a small table of results: the summary of a run, theory beside
// simulation, a sweep. It renders as aligned text, Markdown, HTML, CSV and
// JSON. Cells are kept as values and formatted when rendered: durations
// (sim.Time, time.Duration) with 4 significant digits, floats with 4,
// integers in full, Pct as a percentage, strings as they are.
type Table struct {
	Title   string
	Columns []string
	Rows    [][]any
	Notes   []string // printed under the table
}

// Pct is a fraction shown as a percentage: Pct(0.123) prints 12.3%.
// A share of nothing (NaN, as Ratio gives for 0 of 0) prints "n/a".
type Pct float64

func (p Pct) String() string { return Cell(p) }

// Ratio is a/b, or NaN when b is 0: a share of nothing is not 0%, and
// tables print it as "n/a" (float64 and Pct alike). Summaries compute every
// share and ratio of counts with it.
func Ratio(a, b int64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// NewTable returns an empty table with the given column headings.
func NewTable(title string, columns ...string) *Table {
	return &Table{Title: title, Columns: columns}
}

// Add appends a row; missing cells are blank, extra cells are an error of
// the caller and are dropped. It returns t so rows can be chained.
func (t *Table) Add(cells ...any) *Table {
	row := make([]any, len(t.Columns))
	copy(row, cells)
	t.Rows = append(t.Rows, row)
	return t
}

// Note appends a line printed under the table.
func (t *Table) Note(format string, args ...any) *Table {
	t.Notes = append(t.Notes, fmt.Sprintf(format, args...))
	return t
}

// Cell formats one value as the renderers do.
func Cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case sim.Time:
		return fmtDur(time.Duration(x))
	case time.Duration:
		return fmtDur(x)
	case Pct:
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return fmtFloat(float64(x))
		}
		return trimFloat(round(float64(x)*100, 4)) + "%"
	case float64:
		return fmtFloat(x)
	case float32:
		return fmtFloat(float64(x))
	case int:
		return itoa(int64(x))
	case int64:
		return itoa(x)
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

func fmtFloat(x float64) string {
	switch {
	case math.IsNaN(x):
		return "n/a"
	case math.IsInf(x, 1):
		return "∞"
	case math.IsInf(x, -1):
		return "-∞"
	case math.Abs(x) >= 1e4 && math.Abs(x) < 1e15:
		return strconv.FormatFloat(x, 'f', 0, 64)
	case math.Abs(x) >= 1e15 || x != 0 && math.Abs(x) < 1e-4:
		// Written out, 1e308 takes 309 characters and 1e-300 as many.
		return strconv.FormatFloat(x, 'g', 4, 64)
	}
	return trimFloat(round(x, 4))
}

// round keeps sig significant digits.
func round(x float64, sig int) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	p := math.Pow(10, float64(sig)-math.Ceil(math.Log10(math.Abs(x))))
	return math.Round(x*p) / p
}

func fmtDur(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	units := []struct {
		s string
		u time.Duration
	}{{"h", time.Hour}, {"min", time.Minute}, {"s", time.Second}, {"ms", time.Millisecond}, {"µs", time.Microsecond}}
	a := d
	if a < 0 {
		a = -a
	}
	for _, u := range units {
		if a >= u.u {
			return trimFloat(round(float64(d)/float64(u.u), 4)) + u.s
		}
	}
	return itoa(int64(d)) + "ns"
}

func trimFloat(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
func itoa(x int64) string        { return strconv.FormatInt(x, 10) }

func numeric(v any) bool {
	switch v.(type) {
	case sim.Time, time.Duration, Pct, float64, float32, int, int64:
		return true
	}
	return false
}

func (t *Table) cells() [][]string {
	out := make([][]string, len(t.Rows))
	for i, r := range t.Rows {
		out[i] = make([]string, len(t.Columns))
		for j := range t.Columns {
			out[i][j] = Cell(r[j])
		}
	}
	return out
}

// String renders the table as aligned text: numbers right-aligned.
func (t *Table) String() string { return t.Text() }

// Text renders the table as aligned plain text. Columns are padded by the
// width a terminal gives each cell, not its bytes or runes: µ, σ and ≈
// take one column, a combining mark (the bar of x̄) none, and a wide
// character (漢字, an emoji) two. A cell's line breaks print as spaces. A
// cell longer than 60 columns wraps at its spaces onto more lines, its
// column narrowed (to 40 at least) for the row to fit 100 columns, so
// that one long note does not push a column of numbers off the screen.
func (t *Table) Text() string {
	cells := t.cells()
	width := make([]int, len(t.Columns))
	for j, c := range t.Columns {
		width[j] = textWidth(c)
	}
	for _, r := range cells {
		for j, c := range r {
			r[j] = oneLine(c)
			width[j] = max(width[j], textWidth(r[j]))
		}
	}
	fitWidths(width, t.Columns)
	var b strings.Builder
	if t.Title != "" {
		b.WriteString(t.Title + "\n")
	}
	line := func(r []string, right func(j int) bool) {
		parts := make([][]string, len(r))
		n := 1
		for j, c := range r {
			parts[j] = wrapCell(c, width[j])
			n = max(n, len(parts[j]))
		}
		for i := range n {
			var l strings.Builder
			for j := range r {
				c := ""
				if i < len(parts[j]) {
					c = parts[j][i]
				}
				pad := strings.Repeat(" ", max(width[j]-textWidth(c), 0))
				if j > 0 {
					l.WriteString("  ")
				}
				switch {
				case right(j):
					l.WriteString(pad + c)
				case j == len(r)-1:
					l.WriteString(c)
				default:
					l.WriteString(c + pad)
				}
			}
			b.WriteString(strings.TrimRight(l.String(), " ") + "\n")
		}
	}
	line(t.Columns, func(int) bool { return false })
	rule := make([]string, len(width))
	for j, w := range width {
		rule[j] = strings.Repeat("-", w)
	}
	line(rule, func(int) bool { return false })
	for i, r := range cells {
		line(r, func(j int) bool { return numeric(t.Rows[i][j]) })
	}
	for _, n := range t.Notes {
		b.WriteString(n + "\n")
	}
	return b.String()
}

// Text's limits: a cell wider than maxColumn wraps at its spaces onto
// lines of its own, and its column narrows further, down to minColumn,
// for a row to fit lineWidth, a terminal's 100 columns. Columns of short
// cells keep their width, so a table wide by its many columns stays as
// it is.
const (
	maxColumn = 60
	lineWidth = 100
	minColumn = 40
)

// fitWidths narrows the columns of width to the limits.
func fitWidths(width []int, heads []string) {
	total := 2 * (len(width) - 1)
	var long []int // the columns that wrap
	for j := range width {
		if width[j] > maxColumn {
			width[j] = max(maxColumn, textWidth(heads[j]))
			long = append(long, j)
		}
		total += width[j]
	}
	for _, j := range long {
		if total <= lineWidth {
			return
		}
		cut := min(total-lineWidth, width[j]-max(minColumn, textWidth(heads[j])))
		if cut > 0 {
			width[j] -= cut
			total -= cut
		}
	}
}

// wrapCell breaks c into lines of at most w columns at its spaces, and
// a word longer than w wherever it must.
func wrapCell(c string, w int) []string {
	if textWidth(c) <= w {
		return []string{c}
	}
	var lines []string
	cur := ""
	for _, word := range strings.Fields(c) {
		for textWidth(word) > w {
			if cur != "" {
				lines, cur = append(lines, cur), ""
			}
			head, rest := splitWidth(word, w)
			lines, word = append(lines, head), rest
		}
		switch {
		case cur == "":
			cur = word
		case textWidth(cur)+1+textWidth(word) <= w:
			cur += " " + word
		default:
			lines, cur = append(lines, cur), word
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// splitWidth cuts s after at most w columns (at least one character).
func splitWidth(s string, w int) (string, string) {
	used := 0
	for i, r := range s {
		rw := textWidth(string(r))
		if used+rw > w && i > 0 {
			return s[:i], s[i:]
		}
		used += rw
	}
	return s, ""
}

// oneLine replaces the line breaks of a cell by spaces.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

// textWidth is the columns a terminal gives s: none for combining marks
// and other zero-width characters, two for East Asian wide and fullwidth
// characters and emoji, one for the rest.
func textWidth(s string) int {
	w := 0
	for _, r := range s {
		switch {
		case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		case wide(r):
			w += 2
		default:
			w++
		}
	}
	return w
}

// wide reports whether r is East Asian wide or fullwidth (Unicode's
// EastAsianWidth W and F), by its blocks: Hangul Jamo, CJK, kana, Hangul
// syllables, fullwidth forms and the emoji pictographs.
func wide(r rune) bool {
	for _, b := range wideBlocks {
		if r >= b[0] && r <= b[1] {
			return true
		}
	}
	return false
}

var wideBlocks = [...][2]rune{
	{0x1100, 0x115F}, {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF},
	{0xA000, 0xA4CF}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE30, 0xFE4F}, {0xFF00, 0xFF60},
	{0xFFE0, 0xFFE6}, {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD},
}

// Markdown renders the table as a GitHub-flavoured Markdown table.
func (t *Table) Markdown() string {
	var b strings.Builder
	if t.Title != "" {
		b.WriteString("**" + t.Title + "**\n\n")
	}
	esc := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	b.WriteString("|")
	for _, c := range t.Columns {
		b.WriteString(" " + esc(c) + " |")
	}
	b.WriteString("\n|")
	for j := range t.Columns {
		if len(t.Rows) > 0 && numeric(t.Rows[0][j]) {
			b.WriteString(" ---: |")
		} else {
			b.WriteString(" --- |")
		}
	}
	b.WriteString("\n")
	for _, r := range t.cells() {
		b.WriteString("|")
		for _, c := range r {
			b.WriteString(" " + esc(c) + " |")
		}
		b.WriteString("\n")
	}
	for _, n := range t.Notes {
		b.WriteString("\n" + n + "\n")
	}
	return b.String()
}

// HTML renders the table as an HTML fragment (a <table> with a caption),
// styled inline so it reads well in a notebook.
func (t *Table) HTML() string {
	var b strings.Builder
	b.WriteString(`<table style="border-collapse:collapse;font-family:sans-serif;font-size:13px">`)
	if t.Title != "" {
		b.WriteString(`<caption style="font-weight:bold;text-align:left;padding:4px 0">` + html.EscapeString(t.Title) + `</caption>`)
	}
	b.WriteString("<thead><tr>")
	for _, c := range t.Columns {
		b.WriteString(`<th style="border-bottom:1px solid #888;padding:2px 8px;text-align:left">` + html.EscapeString(c) + "</th>")
	}
	b.WriteString("</tr></thead><tbody>")
	for i, r := range t.cells() {
		b.WriteString("<tr>")
		for j, c := range r {
			align := "left"
			if numeric(t.Rows[i][j]) {
				align = "right"
			}
			b.WriteString(`<td style="padding:2px 8px;text-align:` + align + `">` + html.EscapeString(c) + "</td>")
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table>")
	for _, n := range t.Notes {
		b.WriteString(`<p style="font-size:12px;margin:4px 0">` + html.EscapeString(n) + "</p>")
	}
	return b.String()
}

// CSV renders the header and rows as CSV, cells formatted as in Text.
func (t *Table) CSV() string {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(t.Columns)
	for _, r := range t.cells() {
		w.Write(r)
	}
	w.Flush()
	return buf.String()
}

// JSON renders the table as {"title", "columns", "rows", "notes"}, each row
// an object keyed by column. Numbers stay numbers: durations in seconds,
// Pct as a fraction.
func (t *Table) JSON() string {
	b, _ := json.MarshalIndent(t, "", "  ")
	return string(b)
}

// MarshalJSON implements json.Marshaler with the layout JSON describes.
func (t *Table) MarshalJSON() ([]byte, error) {
	rows := make([]map[string]any, len(t.Rows))
	for i, r := range t.Rows {
		rows[i] = make(map[string]any, len(t.Columns))
		for j, c := range t.Columns {
			rows[i][c] = jsonValue(r[j])
		}
	}
	return json.Marshal(struct {
		Title   string           `json:"title,omitempty"`
		Columns []string         `json:"columns"`
		Rows    []map[string]any `json:"rows"`
		Notes   []string         `json:"notes,omitempty"`
	}{t.Title, t.Columns, rows, t.Notes})
}

func jsonValue(v any) any {
	var f float64
	switch x := v.(type) {
	case sim.Time:
		f = x.Seconds()
	case time.Duration:
		f = x.Seconds()
	case Pct:
		f = float64(x)
	case float64:
		f = x
	case float32:
		f = float64(x)
	case int, int64, bool, string, nil:
		return x
	default:
		return Cell(v)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil // JSON has no NaN or Inf
	}
	return f
}
