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
