package service_test

import (
	"context"
	"fmt"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/service"
)

// The same crashes under the three delivery designs: acknowledge before
// processing (at-most-once), after (at-least-once, with 10% of the
// acknowledgements lost), and after with an idempotent consumer.
func ExampleBroker() {
	for _, c := range []service.Consumer{
		{Ack: service.AckBefore},
		{Ack: service.AckAfter, AckLoss: 0.1},
		{Ack: service.AckAfter, AckLoss: 0.1, Idempotent: true, DedupTTL: time.Minute},
	} {
		sys := service.New(service.Config{Seed: 1, Duration: time.Minute})
		queue := &service.Broker{Name: "queue", Visibility: time.Second}
		c.Name, c.Broker, c.Workers, c.Service = "worker", "queue", 4, dist.MustParse("exp(20ms)")
		sys.Add(&service.Source{Name: "orders", Target: "queue", Rate: 100,
			Pattern: service.Stepped, Schedule: []service.Step{{At: 50 * time.Second}}}, queue, &c)
		for at := 5 * time.Second; at < 50*time.Second; at += 10 * time.Second {
			sys.Schedule(service.Fault{Target: "worker", Kind: service.Crash, Window: sim.Window{Start: at, Duration: time.Second}})
		}
		if err := sys.Run(context.Background()); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("ack %-6s idempotent %-5v: %d published, %d processed, %d lost, %d duplicated\n",
			c.Ack, c.Idempotent, queue.Published.Total(), queue.Processed, queue.Lost, queue.Duplicates)
	}
	// Output:
	// ack before idempotent false: 4908 published, 4903 processed, 5 lost, 0 duplicated
	// ack after  idempotent false: 4908 published, 4908 processed, 0 lost, 555 duplicated
	// ack after  idempotent true : 4908 published, 4908 processed, 0 lost, 0 duplicated
}
