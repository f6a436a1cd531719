// Package net is a simulated network: named nodes in groups, one-way
// latency per message, loss, duplication, partitions, crashes and each
// node's own clock, all driven by a sim.Sim and all deterministic.
//
// # Model
//
//   - A message's delay is drawn per message from the latency that applies
//     to its link: a link setting (SetLinkLatency), else its groups' setting
//     (SetGroupLatency: a LAN inside a region, a WAN between regions), else
//     Config.Latency. Independent draws reorder messages on one link, as
//     the variance of a real network does; there is no FIFO channel.
//   - Loss and duplication are per message, with the probabilities in
//     Config. A duplicate gets its own delay.
//   - A partition drops messages between its sides. It is checked when a
//     message is sent and again when it arrives, so a message in flight
//     when the partition starts is lost too. One-way cuts drop one
//     direction only. Faults overlap: each heals only what it cut.
//   - A crashed node sends nothing and receives nothing; messages in flight
//     to it are dropped even if it restarts before they arrive (its
//     connections were reset). Its state is the model's business:
//     OnCrash and OnRestart tell the model when.
//   - Every node has a local clock, now + offset + drift*now. The network
//     never uses it; protocols that timestamp with it inherit its skew.
//   - Reachable is an oracle (a perfect failure detector). Protocols that
//     would not have one in reality should learn from timeouts instead.
//
// # Limits
//
// The trace keeps the first TraceLimit messages (2000 by default) and
// counts the rest. Message counts in Stats are never bounded.
//
// # Use
//
//	s := sim.New(sim.Config{Seed: 1})
//	n, _ := net.New(s, net.Config{Latency: dist.MustParse("lognormal(10ms, 0.5)")})
//	a, _ := n.Add("a", "eu", nil)
//	b, _ := n.Add("b", "us", func(m net.Message) { fmt.Println("got", m.Body) })
//	n.SetGroupLatency("eu", "us", dist.MustParse("75ms"))
//	n.Schedule(net.Fault{Kind: net.FaultPartition, Window: sim.Window{Start: time.Second, Duration: time.Second},
//		Sides: [][]string{{"eu"}, {"us"}}})
//	n.Send(a, b, "hello", 42)
//	s.Run(context.Background())
package net
