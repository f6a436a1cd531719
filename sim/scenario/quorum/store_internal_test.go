package quorum

import (
	"context"
	"strings"
	"testing"
)

// A node that cannot hand its writes off (a long partition under heavy
// writes) stops the run at maxHeld with an error naming the limit,
// instead of holding more and resending them all every round.
func TestHeldWritesAreBounded(t *testing.T) {
	cfg := Default()
	cfg.Model = Eventual
	st, err := newStore(cfg.withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	sn, to := st.replicas[0], st.replicas[1].id
	st.s.At(0, func() {
		for i := 0; i < maxHeld; i++ {
			st.enqueue(sn, to, 0, cell{value: int64(i + 1)})
		}
		st.enqueue(sn, to, 0, cell{value: -1})
	})
	err = st.s.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "r1 holds 100000 writes not yet handed off, the limit") {
		t.Fatalf("got %v", err)
	}
	if len(sn.pending) != maxHeld {
		t.Fatalf("r1 holds %d writes, want the limit %d", len(sn.pending), maxHeld)
	}
}

// Acknowledged writes leave the list without changing the order of the
// others, so resends go out as before.
func TestAckKeepsOrder(t *testing.T) {
	sn := &storeNode{}
	for seq := int64(1); seq <= 6; seq++ {
		sn.pending = append(sn.pending, pending{seq: seq})
	}
	left := func() (out []int64) {
		for _, p := range sn.pending {
			if !p.done {
				out = append(out, p.seq)
			}
		}
		return out
	}
	sn.ack(3)
	sn.ack(3) // a duplicate ack
	sn.ack(9) // an unknown one
	if got := left(); len(got) != 5 || got[2] != 4 || len(sn.pending) != 6 {
		t.Fatalf("after one ack: %v (%d held)", got, len(sn.pending))
	}
	sn.ack(1)
	sn.ack(6) // half acknowledged: compacted
	if got := left(); len(sn.pending) != 3 || sn.acked != 0 || got[0] != 2 || got[1] != 4 || got[2] != 5 {
		t.Fatalf("after compaction: %v (%d held, %d acked)", got, len(sn.pending), sn.acked)
	}
	sn.ack(4)
	if got := left(); len(got) != 2 || got[0] != 2 || got[1] != 5 {
		t.Fatalf("after an ack past compaction: %v", got)
	}
}
