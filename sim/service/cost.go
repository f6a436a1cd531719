package service

import (
	"errors"
	"fmt"
	"math"

	"dsim/sim/metrics"
)

// Prices are what a run's resources cost, in dollars.
type Prices struct {
	InstanceHour float64 // a server instance for an hour
	Request      float64 // a function call that ran (throttled ones are free)
	GBSecond     float64 // a GB of function memory for a second
}

// ListPrices are one public cloud's on-demand list prices when this was
// written (AWS, us-east-1, 2024), free tiers and discounts left out.
//
// Gorton, "Foundations of Scalable Systems", ch. 8, gives no dollar
// amounts: his case study reports costs normalised to a default
// configuration (Table 8-4), and for Lambda he states the shape of the
// price, which these follow: a function is charged per request and for
// each millisecond it runs, at a price per millisecond proportional to
// its memory ("a 2GB instance [costs] double a 1GB instance"), hence a
// price per GB-second; he points to the AWS pricing page (his note 11)
// for the amounts. The numbers come from AWS's published prices:
//   - InstanceHour: $0.096, an m5.large (2 vCPU, 8 GB) Linux instance on
//     demand in us-east-1 (Amazon EC2 pricing page); EC2 prices a family
//     in proportion to size, and pricing guides of 2026 list the m5.xlarge
//     there at $0.192 an hour, twice this;
//   - Request: $0.20 per million requests (AWS Lambda pricing page);
//   - GBSecond: $0.0000166667, x86 functions, the first pricing tier
//     (AWS Lambda pricing page).
//
// Only ratios matter to the lessons (a cost study normalises to a
// baseline, as Gorton's does); a caller with other prices passes its own.
func ListPrices() Prices {
	return Prices{InstanceHour: 0.096, Request: 0.20 / 1e6, GBSecond: 0.0000166667}
}

// Validate names the first price that is not a finite amount from 0 to a
// million dollars.
func (p Prices) Validate() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"InstanceHour", p.InstanceHour}, {"Request", p.Request}, {"GBSecond", p.GBSecond}} {
		if !(f.v >= 0 && f.v <= 1e6) {
			return fmt.Errorf("service: Prices.%s=%v: must be between 0 and 1000000 dollars", f.name, f.v)
		}
	}
	return nil
}

// Charge is one line of a Bill.
type Charge struct {
	Component, Kind string
	Quantity        float64
	Unit            string // "instance-hours", "requests", "GB-seconds"
	Dollars         float64
}

// Bill is what a run cost.
type Bill struct {
	Charges []Charge
	Total   float64
}

// Cost prices the run: every Server outside an autoscaled group is one
// instance for the whole run; an Autoscaler's group costs its
// instance-hours; a Function its requests and GB-seconds. Other
// components are free. Lines come in the order components were added.
func (s *System) Cost(p Prices) (Bill, error) {
	if err := p.Validate(); err != nil {
		return Bill{}, err
	}
	if !s.ran {
		return Bill{}, errors.New("service: Cost: the system has not run")
	}
	scaled := map[string]bool{}
	for _, c := range s.comps {
		if a, ok := c.(*Autoscaler); ok {
			for _, name := range a.lb.Backends {
				scaled[name] = true
			}
		}
	}
	hours := s.sim.Now().Seconds() / 3600
	var b Bill
	add := func(c Component, q float64, unit string, price float64) {
		b.Charges = append(b.Charges, Charge{c.ID(), c.Kind(), q, unit, q * price})
		b.Total += q * price
	}
	for _, c := range s.comps {
		switch c := c.(type) {
		case *Server:
			if !scaled[c.Name] {
				add(c, hours, "instance-hours", p.InstanceHour)
			}
		case *Autoscaler:
			add(c, c.InstanceHours(), "instance-hours", p.InstanceHour)
		case *Function:
			add(c, float64(c.Requests()), "requests", p.Request)
			add(c, c.GBSeconds(), "GB-seconds", p.GBSecond)
		}
	}
	return b, nil
}

// Table is the bill as a table, its total in a note.
func (b Bill) Table() *metrics.Table {
	t := metrics.NewTable("Cost", "component", "kind", "quantity", "unit", "dollars")
	for _, c := range b.Charges {
		t.Add(c.Component, c.Kind, roundTo(c.Quantity, 4), c.Unit, roundTo(c.Dollars, 6))
	}
	t.Note("Total: $%.4f", b.Total)
	return t
}

func roundTo(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}
