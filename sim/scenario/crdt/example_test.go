package crdt_test

import (
	"fmt"

	"dsim/sim/scenario/crdt"
)

// The shopping cart on an OR-Set, with a naive set fed the same operations
// beside it: the removed milk and bread come back in the naive set only.
func Example() {
	cfg, _ := crdt.PresetConfig("shopping-cart")
	cfg.Seed = 1
	res, err := crdt.Run(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Verdict())
	// Output:
	// Converged: all 3 replicas hold the same state 804ms after the last operation (value {eggs}); the naive set brought back 2 removed element(s): bread, milk
}

// Merge is a join: the order does not matter.
func ExampleGCounter() {
	a, b := crdt.NewGCounter(), crdt.NewGCounter()
	a.Inc("a", 2)
	b.Inc("b", 3)
	a.Merge(b.Clone())
	b.Merge(a.Clone())
	fmt.Println(a.Value(), b.Value(), a.Equal(b), a)
	// Output:
	// 5 5 true G{a:2 b:3}
}
