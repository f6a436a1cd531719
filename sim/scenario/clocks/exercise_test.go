package clocks_test

import (
	"strings"
	"testing"

	"dsim/sim/scenario/clocks"
)

// Exactly one skew is the answer to the first exercise, and the checker
// says why; an empty prediction asks for one.
func TestCheckSkew(t *testing.T) {
	right := 0
	for _, s := range clocks.SkewCandidates() {
		if a := clocks.CheckSkew(s); a.OK {
			right++
			t.Logf("%v: %v", s, a)
			lost, err := clocks.LostAtSkew(s)
			if err != nil {
				t.Fatal(err)
			}
			if total(lost) == 0 {
				t.Fatalf("%v lost nothing: %v", s, lost)
			}
		} else if lost, _ := clocks.LostAtSkew(s); total(lost) > 0 && s < clocks.SkewCandidates()[len(clocks.SkewCandidates())-1] && right == 0 {
			t.Fatalf("%v loses writes %v but is not the answer", s, lost)
		}
	}
	if right != 1 {
		t.Fatalf("%d right answers", right)
	}
	if a := clocks.CheckSkew(0); a.OK || !strings.Contains(a.Why, "set prediction") {
		t.Fatalf("empty: %v", a)
	}
}

func total(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// The comparison of vectors passes; a Lamport-like comparison of sums and
// one that asks for any smaller entry fail, naming a pair. (Less or
// equal everywhere would pass: two distinct events never share a vector.)
func TestCheckBefore(t *testing.T) {
	if a := clocks.CheckBefore(clocks.VectorBefore); !a.OK {
		t.Fatalf("VectorBefore: %v", a)
	}
	sum := func(v []int) int {
		n := 0
		for _, x := range v {
			n += x
		}
		return n
	}
	for name, f := range map[string]func(a, b []int) bool{
		"sums": func(a, b []int) bool { return sum(a) < sum(b) },
		"any entry smaller": func(a, b []int) bool {
			for i := range a {
				if a[i] < b[i] {
					return true
				}
			}
			return false
		},
	} {
		if a := clocks.CheckBefore(f); a.OK || !strings.Contains(a.Why, "before([") {
			t.Errorf("%s: %v", name, a)
		}
	}
	if a := clocks.CheckBefore(nil); a.OK {
		t.Fatal("nil passed")
	}
}

// The why questions: the key is right and its evidence holds on every
// seed; the other letters are wrong; other text is refused.
func TestExplanations(t *testing.T) {
	for name, f := range map[string]func(string) clocks.Answer{"lost writes": clocks.ExplainLostWrites, "token wait": clocks.ExplainTokenWait} {
		if a := f("b"); !a.OK {
			t.Errorf("%s: b: %v", name, a)
		} else {
			t.Logf("%s: %v", name, a)
		}
		for _, wrong := range []string{"a", "c", "", "bb", "z"} {
			if a := f(wrong); a.OK {
				t.Errorf("%s: %q accepted", name, wrong)
			}
		}
		if a := f(" B "); !a.OK {
			t.Errorf("%s: B with spaces refused: %v", name, a)
		}
	}
}
