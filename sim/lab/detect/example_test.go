package detect_test

import (
	"context"
	"fmt"
	"time"

	"dsim/sim/lab/detect"
)

// The same heartbeats, two detectors: on a calm network neither is ever
// wrong, and phi 8 (which learned that heartbeats come like clockwork)
// suspects the crashed node four times sooner. With a fifth of the
// heartbeats lost both are wrong at times, phi 8 four times as often as a
// timeout of five intervals and hardly faster: lost heartbeats make gaps
// of whole intervals, not the normal spread phi assumes.
func ExampleSweep() {
	cfg := detect.Config{Detectors: []detect.Detector{{Kind: detect.Fixed, Timeout: 500 * time.Millisecond}, {Kind: detect.Phi, Threshold: 8}}}
	conds := []detect.Conditions{{Name: "calm"}, {Name: "loss 20%", Loss: 0.2}}
	tab, err := detect.Sweep(context.Background(), cfg, conds, 3)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(tab)
	// Output:
	// conditions   detector        mean detect   max detect  missed   false/node-h
	// calm         fixed 500ms           459ms        493ms       0           0.00
	// calm         phi 8                 115ms        149ms       0           0.00
	// loss 20%     fixed 500ms           434ms        494ms       0          30.76
	// loss 20%     phi 8                 385ms        540ms       0         122.48
}
