package messaging_test

import (
	"fmt"

	"dsim/sim/scenario/messaging"
)

// The same crashes and lost acknowledgements under the three designs.
func ExampleCompareDesigns() {
	cfg, err := messaging.PresetConfig("at-least-once")
	if err != nil {
		fmt.Println(err)
		return
	}
	cmp, err := messaging.CompareDesigns(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, r := range cmp.Results {
		fmt.Printf("%-13s %d published, %d lost, %d duplicated: %v\n", cmp.Designs[i], r.Published, r.Lost, r.Duplicates, r.Verdict().Outcome)
	}
	// Output:
	// at-most-once  5123 published, 45 lost, 0 duplicated: Lost
	// at-least-once 5123 published, 0 lost, 247 duplicated: Duplicated
	// idempotent    5123 published, 0 lost, 0 duplicated: EffectivelyOnce
}

// A poison message goes to the dead-letter queue after MaxDeliveries.
func Example_poison() {
	cfg, err := messaging.PresetConfig("poison")
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := messaging.Run(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Verdict())
	// Output:
	// DeadLettered: the other messages were processed once each; 48 poison messages failed 3 deliveries each and went to the dead-letter queue.
}
