package grade

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestLetter(t *testing.T) {
	for _, c := range []struct {
		choice string
		wrong  bool
		says   string
	}{
		{"", true, "set choice to one letter, a, b, c, then run the cell again"},
		{"d", true, `choice="d": pick one of a, b, c.`},
		{"ab", true, "pick one of"},
		{"a", true, "the runs do not bear a out; look again at the queue"},
		{" B ", false, ""},
	} {
		got, wrong := Letter(c.choice, "b", "abc", "the queue")
		if wrong != c.wrong || !strings.Contains(got.String(), c.says) {
			t.Errorf("%q: %v %q", c.choice, wrong, got.String())
		}
	}
}

func TestDurations(t *testing.T) {
	if got := Durations([]time.Duration{time.Second, 90 * time.Second}); got != "1s, 1m30s" {
		t.Error(got)
	}
}

func TestMemoRunsOnceAndKeepsNoError(t *testing.T) {
	var m Memo[int]
	calls := 0
	run := func() (int, error) { calls++; return 7, nil }
	for range 3 {
		if v, err := m.Get("k", run); v != 7 || err != nil {
			t.Fatal(v, err)
		}
	}
	if calls != 1 {
		t.Errorf("%d runs", calls)
	}
	boom := errors.New("boom")
	if _, err := m.Get("bad", func() (int, error) { return 0, boom }); err != boom {
		t.Fatal(err)
	}
	if v, err := m.Get("bad", run); v != 7 || err != nil {
		t.Errorf("a failed run is not remembered: %v %v", v, err)
	}
}
