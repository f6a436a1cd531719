package quorum

import (
	"testing"

	"dsim/sim"
)

// A read that returns an older value than a read that ended before it
// began is inverted only when no order explains both: the older value's
// write had completed before the earlier read began.
func TestInversions(t *testing.T) {
	ms := func(x int64) sim.Time { return sim.Time(x) * sim.Millisecond }
	w := func(id int, start, end int64, ok bool) Op {
		return Op{ID: id, Write: true, Value: int64(id + 1), Start: ms(start), End: ms(end), OK: ok}
	}
	r := func(id int, value int64, start, end int64) Op {
		return Op{ID: id, Value: value, Start: ms(start), End: ms(end), OK: true}
	}
	w1, w2 := w(0, 0, 10, true), w(1, 20, 1020, false) // w2 timed out: it may take effect at any time
	cases := []struct {
		name string
		ops  []Op
		want int64
	}{
		{"new then old", []Op{w1, w2, r(2, 2, 25, 30), r(3, 1, 40, 50)}, 1},
		{"the older write ended after the first read began", []Op{w(0, 0, 27, true), w2, r(2, 2, 25, 30), r(3, 1, 40, 50)}, 0},
		{"the reads overlap", []Op{w1, w2, r(2, 2, 25, 45), r(3, 1, 40, 50)}, 0},
		{"the same value twice", []Op{w1, w2, r(2, 1, 25, 30), r(3, 1, 40, 50)}, 0},
		{"old then new", []Op{w1, w2, r(2, 1, 25, 30), r(3, 2, 40, 50)}, 0},
		{"back to the initial value", []Op{w1, r(2, 1, 25, 30), r(3, 0, 40, 50)}, 1},
		{"the later read's write never completed", []Op{w1, w2, w(4, 21, 1021, false), r(2, 2, 25, 30), r(3, 5, 40, 50)}, 0},
		{"an earlier read with another value than the latest one", []Op{w1, w2, r(2, 2, 25, 30), r(4, 1, 26, 31), r(3, 1, 40, 50)}, 1},
	}
	for _, c := range cases {
		got, first := inversions(c.ops)
		if got != c.want {
			t.Errorf("%s: %d inverted reads, want %d", c.name, got, c.want)
		}
		if (first != nil) != (c.want > 0) {
			t.Errorf("%s: first inversion %v", c.name, first)
		}
	}
	if _, first := inversions([]Op{w1, w2, r(2, 2, 25, 30), r(3, 1, 40, 50)}); first.Write.ID != 1 || first.Before.ID != 2 || first.After.ID != 3 {
		t.Errorf("first inversion: %+v", first)
	}
}

// An inverted read is a certain violation: every run that counts one, the
// checker finds not linearizable.
func TestInvertedReadsAreNotLinearizable(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the model")
	}
	seen := 0
	for _, p := range []string{"slow-replicas", "wan-weak", "partition-eventual", "sloppy-quorum"} {
		for seed := uint64(1); seed <= 4; seed++ {
			cfg, err := PresetConfig(p)
			if err != nil {
				t.Fatal(err)
			}
			cfg.Seed = seed
			res, err := Run(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if res.InvertedReads > 0 {
				seen++
				if res.Check != NotLinearizable {
					t.Errorf("%s seed %d: %d inverted reads, yet the check says %s", p, seed, res.InvertedReads, res.Check)
				}
			}
		}
	}
	if seen < 8 {
		t.Errorf("only %d runs with inverted reads: the test shows little", seen)
	}
}
