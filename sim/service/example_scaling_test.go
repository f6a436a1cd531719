package service_test

import (
	"context"
	"fmt"
	"time"

	"dsim/sim/dist"
	"dsim/sim/service"
)

// A group of servers grows with a ramp of load and shrinks after it; the
// bill counts its instance-hours.
func ExampleAutoscaler() {
	sys := service.New(service.Config{Seed: 1, Duration: time.Hour})
	backends := []string{"app0", "app1", "app2", "app3", "app4", "app5", "app6", "app7"}
	for _, name := range backends {
		sys.Add(&service.Server{Name: name, Slots: 4, Service: dist.MustParse("exp(100ms)")})
	}
	scaler := &service.Autoscaler{Name: "scaler", Group: "lb", Min: 2, Warmup: 3 * time.Minute, Cooldown: 5 * time.Minute}
	sys.Add(&service.Source{Name: "load", Target: "lb", Rate: 40, Pattern: service.RampUpDown, Peak: 160},
		&service.Balancer{Name: "lb", Backends: backends, Policy: service.LeastOutstanding}, scaler)
	if err := sys.Run(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	bill, _ := sys.Cost(service.ListPrices())
	fmt.Printf("up to %.0f instances, %d launched, %d terminated, %.2f instance-hours, $%.3f\n",
		scaler.Instances.Max(), scaler.Launches, scaler.Terminations, scaler.InstanceHours(), bill.Total)
	// Output:
	// up to 6 instances, 4 launched, 4 terminated, 4.38 instance-hours, $0.421
}

// A function behind a platform with a burst of 50: a load asking for 80
// at once is throttled until the growth of 20 a minute catches up.
func ExampleFunction() {
	sys := service.New(service.Config{Seed: 1, Duration: 10 * time.Minute})
	fn := &service.Function{Name: "resize", Service: dist.MustParse("const(2s)"), ColdStart: dist.MustParse("lognormal(300ms, 0.5)"), Platform: "account"}
	account := &service.Platform{Name: "account", Burst: 50, Growth: 20}
	sys.Add(&service.Source{Name: "uploads", Target: "resize", Rate: 40}, fn, account)
	if err := sys.Run(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d calls, %d throttled from %v, %d cold starts, %.0f GB-seconds\n",
		fn.Calls.Total(), fn.Throttles.Total(), account.FirstThrottle.Round(time.Millisecond), fn.ColdStarts, fn.GBSeconds())
	// Output:
	// 23962 calls, 1462 throttled from 1.097s, 118 cold starts, 44880 GB-seconds
}
