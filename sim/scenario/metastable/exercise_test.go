package metastable

import (
	"strings"
	"testing"
	"time"
)

// Each checker passes the right answer and fails plausible wrong ones,
// over its ten seeds, and says why from the runs.

func TestCheckStormTimeout(t *testing.T) {
	for _, c := range []struct {
		answer time.Duration
		ok     bool
		says   string
	}{
		{1700 * time.Millisecond, true, "passed under all 10 seeds"},
		{time.Second, false, "passed under 0 of 10"},      // the storm's own timeout
		{1600 * time.Millisecond, false, "9 of 10"},       // right under most seeds, not all
		{2 * time.Second, false, "a shorter one will do"}, // passes, but not the shortest
		{1250 * time.Millisecond, false, "steps of 100 ms"},
		{0, false, "set answer"},
	} {
		got := CheckStormTimeout(c.answer)
		t.Logf("%v: %v", c.answer, got)
		if got.OK != c.ok || !strings.Contains(got.Why, c.says) {
			t.Errorf("%v: %v, want OK=%v saying %q", c.answer, got, c.ok, c.says)
		}
	}
}

func TestCheckWhyCancellationFails(t *testing.T) {
	for _, c := range []struct {
		answer string
		ok     bool
		says   string
	}{
		{"c", true, "the whole 1s timeout"},
		{" C", true, "cancellation pays"},
		{"a", false, "attempts per request with cancellation"},
		{"b", false, "it drops plenty"},
		{"d", false, "the server can help"},
		{"", false, "set answer"},
		{"e", false, "pick one of a, b, c, d"},
	} {
		got := CheckWhyCancellationFails(c.answer)
		t.Logf("%q: %v", c.answer, got)
		if got.OK != c.ok || !strings.Contains(got.Why, c.says) {
			t.Errorf("%q: %v, want OK=%v saying %q", c.answer, got, c.ok, c.says)
		}
	}
}

func TestCheckRetriesForRecovery(t *testing.T) {
	for _, c := range []struct {
		answer int
		ok     bool
		says   string
	}{
		{2, true, "45 attempts/s"},
		{3, false, "Metastable 10"},
		{1, false, "more retries will do"},
		{0, false, "more retries will do"},
		{-1, false, "from 0 to 3"},
	} {
		got := CheckRetriesForRecovery(c.answer)
		t.Logf("%d: %v", c.answer, got)
		if got.OK != c.ok || !strings.Contains(got.Why, c.says) {
			t.Errorf("%d: %v, want OK=%v saying %q", c.answer, got, c.ok, c.says)
		}
	}
}

func TestCheckWhyBelowCapacityTips(t *testing.T) {
	for _, c := range []struct {
		answer string
		ok     bool
		says   string
	}{
		{"b", true, "not the load against capacity"},
		{"a", false, "averaged"},
		{"c", false, "without trouble"},
		{"d", false, "The retries are the loop"},
		{"x", false, "pick one of"},
	} {
		got := CheckWhyBelowCapacityTips(c.answer)
		t.Logf("%q: %v", c.answer, got)
		if got.OK != c.ok || !strings.Contains(got.Why, c.says) {
			t.Errorf("%q: %v, want OK=%v saying %q", c.answer, got, c.ok, c.says)
		}
	}
}
