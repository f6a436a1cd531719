package exercise

import "testing"

func TestAnswerReads(t *testing.T) {
	for _, c := range []struct {
		a              Answer
		text, markdown string
	}{
		{Answer{OK: true, Why: "3 of 3 seeds"}, "Right: 3 of 3 seeds", "**Right.** 3 of 3 seeds"},
		{Answer{Why: "1 of 3 seeds"}, "Not yet: 1 of 3 seeds", "**Not yet.** 1 of 3 seeds"},
	} {
		if got := c.a.String(); got != c.text {
			t.Errorf("String() = %q, want %q", got, c.text)
		}
		if got := c.a.Markdown(); got != c.markdown {
			t.Errorf("Markdown() = %q, want %q", got, c.markdown)
		}
	}
}
