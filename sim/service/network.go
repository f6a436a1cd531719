package service

import (
	"cmp"
	"fmt"
	"strings"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/net"
)

// Network is a sim/net network that hops with Across cross: its settings,
// the latency between groups, and its faults (partitions between groups,
// crashes of a group or of a hop's nodes, NAME/near and NAME/far). Each
// hop adds its two nodes to the groups it names.
type Network struct {
	Config  net.Config
	Latency []GroupLatency
	Faults  []net.Fault
}

// GroupLatency is the one-way latency between every node of group A and
// every node of group B, both ways (A may equal B: within a group).
type GroupLatency struct {
	A, B    string
	Latency dist.Dist
}

// UseNetwork gives the system a network for its hops to cross.
func (s *System) UseNetwork(n Network) { s.network = &n }

// buildNetwork makes the network on sm, with every hop's nodes, and
// schedules its faults.
func (s *System) buildNetwork(sm *sim.Sim) (*net.Network, error) {
	n := s.network
	cfg := n.Config
	cfg.Streams = cmp.Or(cfg.Streams, "network")
	nw, err := net.New(sm, cfg)
	if err != nil {
		return nil, fmt.Errorf("service: Network.Config: %v", strings.TrimPrefix(err.Error(), "net: "))
	}
	for i, l := range n.Latency {
		if err := nw.SetGroupLatency(l.A, l.B, l.Latency); err != nil {
			return nil, fmt.Errorf("service: Network.Latency[%d]: %v", i, strings.TrimPrefix(err.Error(), "net: "))
		}
	}
	for _, c := range s.comps {
		if h, ok := c.(*Hop); ok && h.crosses() {
			for _, side := range []struct{ name, group string }{{"/near", h.Across[0]}, {"/far", h.Across[1]}} {
				if _, err := nw.Add(h.Name+side.name, side.group, nil); err != nil {
					return nil, fmt.Errorf("service: Hop %q: %v", h.Name, strings.TrimPrefix(err.Error(), "net: "))
				}
			}
		}
	}
	for i, f := range n.Faults {
		if err := nw.Schedule(f); err != nil {
			return nil, fmt.Errorf("service: Network.Faults[%d]: %v", i, strings.TrimPrefix(err.Error(), "net: "))
		}
	}
	return nw, nil
}
