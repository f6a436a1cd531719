package metrics

import (
	"strings"
	"testing"
)

// Columns line up on a terminal whatever the characters in them: padding
// counts the columns a character takes, not its bytes or runes.
func TestTextPadsByDisplayWidth(t *testing.T) {
	tb := NewTable("", "what", "unit", "n")
	tb.Add("µ σ ≈", "x̄", 1.5)        // one column each; the bar over x takes none
	tb.Add("漢字", "🙂", 22.0)           // two columns each
	tb.Add("two\nlines", "ab", 333.0) // a line break would split the row
	tb.Add("plain", "abc", 4.0)
	want := strings.Join([]string{
		"what       unit  n",
		"---------  ----  ---",
		"µ σ ≈      x̄     1.5",
		"漢字       🙂     22",
		"two lines  ab    333",
		"plain      abc     4",
		"",
	}, "\n")
	if got := tb.Text(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	for _, c := range []struct {
		s string
		w int
	}{{"µs", 2}, {"σ²", 2}, {"≈", 1}, {"x̄", 1}, {"漢字", 4}, {"🙂", 2}, {"a\u200bb", 2}, {"ＡＢ", 4}} {
		if got := textWidth(c.s); got != c.w {
			t.Errorf("textWidth(%q) = %d, want %d", c.s, got, c.w)
		}
	}
}

// A long cell wraps at its spaces, so that a row fits a terminal's 100
// columns and the numbers of its column stay beside their labels.
func TestTextWrapsLongCells(t *testing.T) {
	long := "1.0591 (theory 1/(1-p) = 1.0526 (it assumes no crashes, poison, backlog or redeliveries cut off by the end, and this run has some))"
	tb := NewTable("", "metric", "value")
	tb.Add("processings dropped by crashes", 56)
	tb.Add("deliveries per message", long)
	tb.Add("a label of forty-one characters, exactly", 247)
	tb.Add("unbroken", strings.Repeat("x", 70))
	got := tb.Text()
	for _, l := range strings.Split(got, "\n") {
		if textWidth(l) > 100 {
			t.Errorf("line of %d columns: %q", textWidth(l), l)
		}
	}
	if !strings.Contains(got, "\nprocessings dropped by crashes"+strings.Repeat(" ", 68)+"56\n") {
		t.Errorf("56 is not right-aligned to the wrapped column:\n%s", got)
	}
	if words := strings.Join(strings.Fields(got), " "); !strings.Contains(words, long) {
		t.Errorf("the long cell lost words:\n%s", got)
	}
	if !strings.Contains(got, "  "+strings.Repeat("x", 58)+"\n") {
		t.Errorf("an unbroken word is cut at the column's width:\n%s", got)
	}
}
