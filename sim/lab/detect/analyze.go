package detect

import (
	"fmt"
	"time"
)

// outcomes reads the suspicions of one run against the truth of its
// schedule: the crashed node and the moment it crashed. Only the
// workload's span counts; the crashed node restarts after it.
func (m *monitor) outcomes(cfg Config, c Conditions, crashed string, crashAt time.Duration) []Outcome {
	out := make([]Outcome, len(cfg.Detectors))
	// suspecting[d][observer] holds whether the observer suspects the
	// crashed node at the time of the crash; first is its first
	// suspicion since.
	type pair struct {
		d    int
		node string
	}
	suspecting := map[pair]bool{}
	first := map[pair]time.Duration{}
	for _, r := range m.reports {
		at := r.at.Duration()
		if at > c.Duration {
			break
		}
		p := pair{r.s.Detector, r.node}
		if r.s.Peer == crashed {
			if at < crashAt {
				suspecting[p] = r.s.Suspect
			} else if _, ok := first[p]; !ok && r.s.Suspect {
				first[p] = at - crashAt
			}
		}
		// Before the crash every peer is up; after it, every peer but one.
		if r.s.Suspect && (at < crashAt || r.s.Peer != crashed) {
			out[r.s.Detector].FalseSuspicions++
		}
	}
	n := float64(c.Nodes)
	// Pairs of two live nodes watch for the whole run, pairs with the
	// crashed node (either way) until the crash.
	hours := ((n-1)*(n-2)*c.Duration.Hours() + 2*(n-1)*crashAt.Hours())
	for d := range out {
		o := &out[d]
		o.Detector = cfg.Detectors[d]
		var sum time.Duration
		for i := range c.Nodes {
			node := nodeID(i)
			if node == crashed {
				continue
			}
			p := pair{d, node}
			var took time.Duration
			if !suspecting[p] {
				t, ok := first[p]
				if !ok {
					o.Missed++
					continue
				}
				took = t
			}
			o.Detections++
			sum += took
			o.MaxDetection = max(o.MaxDetection, took)
		}
		if o.Detections > 0 {
			o.MeanDetection = sum / time.Duration(o.Detections)
		}
		o.WatchHours = hours
		o.FalsePerHour = float64(o.FalseSuspicions) / hours
	}
	return out
}

func nodeID(i int) string { return fmt.Sprintf("n%d", i) }
