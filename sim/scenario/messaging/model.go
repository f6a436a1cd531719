package messaging

import (
	"context"
	"fmt"
	"time"

	"dsim/sim"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/service"
)

// model is one run's composition of service components: a Poisson load
// of producers, a client that holds each publication (and gives it up
// after ProducerTimeout), the broker and its competing consumers, with
// c1's crashes scheduled as faults.
type model struct {
	sys       *service.System
	load      *service.Source
	producers *service.Client
	broker    *service.Broker
	consumers []*service.Consumer
	writer    *service.Writer // with a WriteMode
}

// Run validates cfg and runs the experiment.
func Run(cfg Config) (*Result, error) { return RunContext(context.Background(), cfg) }

// RunContext is Run with a context that can interrupt a long run.
func RunContext(ctx context.Context, cfg Config) (*Result, error) {
	return describe.Run(ctx, cfg, Config.Validate, Config.withDefaults, func(ctx context.Context, cfg Config) (*Result, error) {
		m := compose(cfg)
		if err := describe.RunSystem(ctx, knobs, m.sys, advice); err != nil {
			return nil, err
		}
		return m.result(cfg), nil
	})
}

// compose builds the system of cfg: load -> producers -> queue ->
// c1..cN; a lossy publish path puts a hop between producers and queue,
// a WriteMode a writer.
func compose(cfg Config) *model {
	m := &model{sys: service.New(service.Config{Seed: cfg.Seed, Duration: cfg.Duration, Window: cfg.Window, MaxCalls: maxHeld})}
	next := "queue"
	if cfg.writes() {
		m.writer = &service.Writer{Name: "orders", Broker: "queue", Mode: cfg.WriteMode, Slots: writerSlots,
			Commit: writerStep, Publish: writerStep, RelayBatch: cfg.RelayBatch}
		m.sys.Add(m.writer)
		next = "orders"
	}
	if cfg.PublishLoss > 0 {
		m.sys.Add(&service.Hop{Name: "wire", Target: next, Latency: publishLatency, Loss: cfg.PublishLoss})
		next = "wire"
	}
	m.load = &service.Source{Name: "load", Target: "producers", Rate: cfg.Rate, Keys: service.Keys{N: cfg.Keys},
		Pattern: service.Stepped, Schedule: []service.Step{{At: cfg.publishing()}}}
	m.producers = &service.Client{Name: "producers", Target: next, Timeout: cfg.ProducerTimeout, MaxRetries: cfg.ProducerRetries}
	m.broker = &service.Broker{Name: "queue", MaxDepth: cfg.MaxDepth, Overflow: cfg.Overflow, Visibility: cfg.Visibility,
		MaxDeliveries: cfg.MaxDeliveries, Poison: cfg.Poison, MaxMessages: maxMessages,
		Partitions: cfg.Partitions, CommitEvery: cfg.CommitEvery}
	m.sys.Add(m.load, m.producers, m.broker)
	for i := 1; i <= cfg.Consumers; i++ {
		c := &service.Consumer{Name: fmt.Sprintf("c%d", i), Broker: "queue", Workers: cfg.Workers, Service: cfg.Service,
			Ack: cfg.Ack, AckLoss: cfg.AckLoss}
		if cfg.Idempotent {
			// One store for all: competing consumers catch each other's
			// duplicates, as one table they all write would.
			c.Idempotent, c.DedupTTL, c.DedupGroup = true, cfg.DedupTTL, "effects"
		}
		m.consumers = append(m.consumers, c)
		m.sys.Add(c)
	}
	for _, w := range cfg.crashes() {
		m.sys.Schedule(service.Fault{Target: crashed, Kind: service.Crash, Window: w})
	}
	for _, w := range schedule(cfg.WriterCrashEvery, cfg.WriterCrashFor, cfg.publishing()) {
		m.sys.Schedule(service.Fault{Target: "orders", Kind: service.Crash, Window: w})
	}
	return m
}

// crashes is c1's crash schedule: every CrashEvery while the producers
// publish, each lasting CrashFor.
func (c Config) crashes() []sim.Window { return schedule(c.CrashEvery, c.CrashFor, c.publishing()) }

// schedule is a crash every `every` before until, each lasting `lasting`.
func schedule(every, lasting, until time.Duration) []sim.Window {
	if every == 0 {
		return nil
	}
	var ws []sim.Window
	for at := every; at < until; at += every {
		ws = append(ws, sim.Window{Start: at, Duration: lasting})
	}
	return ws
}

// advice says what the broker's bound on publications, or the bound on
// calls held, means here.
func advice(lim *service.LimitError) string {
	if lim.Limit == "Broker.MaxMessages" {
		return fmt.Sprintf("more than %d messages published, the limit: producers' retries copied too many publications; lower Rate, PublishLoss or ProducerRetries", lim.Value)
	}
	return fmt.Sprintf("more than %d publications held at once, the limit: the consumers fell so far behind that the producers waiting for room outgrew the run; let producers give up (ProducerTimeout), or lower Rate", lim.Value)
}
