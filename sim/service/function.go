package service

import (
	"fmt"
	"math/rand/v2"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/metrics"
)

// MaxInstances bounds a platform's concurrency and a function's reserve.
const MaxInstances = 10_000_000

// Function is a serverless function: every call runs on an instance of its
// own, one call per instance at a time, as on AWS Lambda (Gorton,
// "Foundations of Scalable Systems", ch. 8).
//
// The rules:
//   - A call takes the idle instance that served last, if any (a warm
//     start). Otherwise a new instance starts: a draw from ColdStart
//     before the call's own work (a cold start).
//   - An instance is idle from the end of its call; one idle for
//     KeepAlive is reclaimed.
//   - Concurrency is the calls in progress. With Reserved > 0 the
//     function runs at most Reserved at once, set aside for it alone on
//     its Platform; otherwise it shares, with the platform's other
//     unreserved functions, the platform's concurrency less every
//     reserve. A call beyond its limit is throttled: rejected at once
//     (HTTP 429) and not billed.
//   - Billed is each call's time on its instance, cold start included,
//     rounded up to the millisecond, times Memory: GB-seconds.
//
// Random streams: NAME/service, NAME/coldstart.
type Function struct {
	Name      string
	Service   dist.Dist // a call's own work
	ColdStart dist.Dist // a new instance's start-up; nil is none
	// KeepAlive is how long an idle instance is kept, up to a day; zero
	// means 10 minutes.
	KeepAlive time.Duration
	// Memory is the instance's memory in MB, 128 to 10240; zero means
	// 1024. It prices the GB-seconds.
	Memory int
	// Platform names the Platform whose concurrency limits this function;
	// "" is none (no limit but Reserved).
	Platform string
	// Reserved, when positive, is the function's reserved concurrency.
	Reserved int

	FunctionStats
	part
	plat             *Platform
	service, coldR   *rand.Rand
	keep             sim.Time
	busy             int
	idle             ring[sim.Time] // idle since, oldest at the front
	expiry           sim.Timer
	expire           func()
	billedMs, called int64
}

// FunctionStats is what a Function measured.
type FunctionStats struct {
	Calls     *metrics.Rate // calls that came
	Throttles *metrics.Rate // calls rejected over the concurrency limit
	Busy      *metrics.Gauge
	Instances *metrics.Gauge // busy and idle
	// Response is from a call's arrival to its answer, cold start included.
	Response   *metrics.Latency
	ColdStarts int64
	WarmStarts int64
}

func (*Function) Kind() string        { return "Function" }
func (f *Function) ID() string        { return f.Name }
func (f *Function) targets() []string { return nil }
func (f *Function) up() bool          { return true }

func (f *Function) memory() int {
	if f.Memory == 0 {
		return 1024
	}
	return f.Memory
}

func (f *Function) validate() error {
	switch {
	case f.KeepAlive < 0 || f.KeepAlive > 24*time.Hour:
		return bad(f, "KeepAlive", f.KeepAlive, "must be between 0 and 24h (0: 10m)")
	case f.Memory != 0 && (f.Memory < 128 || f.Memory > 10240):
		return bad(f, "Memory", f.Memory, "must be between 128 and 10240 MB (0: 1024)")
	case f.Reserved < 0 || f.Reserved > MaxInstances:
		return bad(f, "Reserved", f.Reserved, fmt.Sprintf("must be between 0 (none) and %d", MaxInstances))
	}
	if err := checkDuration(f, "ColdStart", f.ColdStart, false); err != nil {
		return err
	}
	return checkDuration(f, "Service", f.Service, true)
}

// checkGroup checks the platform, once every name is known.
func (f *Function) checkGroup() error {
	if f.Platform == "" {
		return nil
	}
	c, ok := f.sys.byName[f.Platform]
	if !ok {
		return bad(f, "Platform", f.Platform, fmt.Sprintf("no component has that name (have %s)", f.sys.names()))
	}
	p, ok := c.(*Platform)
	if !ok {
		return bad(f, "Platform", f.Platform, fmt.Sprintf("is a %s, not a Platform", c.Kind()))
	}
	reserved := 0
	for _, o := range f.sys.comps {
		if g, ok := o.(*Function); ok && g.Platform == f.Platform {
			reserved += g.Reserved
		}
	}
	if limit := p.limit(); reserved >= limit {
		return bad(f, "Reserved", f.Reserved, fmt.Sprintf("the functions of %q reserve %d in all, not below its limit %d: the others would have none", p.Name, reserved, limit))
	}
	return nil
}

func (f *Function) start() {
	sys := f.sys
	w := sys.window
	f.Calls = metrics.NewRate(f.Name+" calls", w)
	f.Throttles = metrics.NewRate(f.Name+" throttles", w)
	f.Busy = metrics.NewGauge(f.Name+" concurrency", "calls", w)
	f.Instances = metrics.NewGauge(f.Name+" instances", "instances", w)
	f.Response = metrics.NewLatency(f.Name+" response", w)
	f.service = sys.rand(f.Name + "/service")
	if f.ColdStart != nil {
		f.coldR = sys.rand(f.Name + "/coldstart")
	}
	f.keep = sim.FromDuration(f.KeepAlive)
	if f.keep == 0 {
		f.keep = sim.FromDuration(10 * time.Minute)
	}
	f.expire = f.onExpire
	if f.Platform != "" {
		f.plat = sys.byName[f.Platform].(*Platform)
		f.plat.reserved += f.Reserved
	}
}

// admit reports whether one more call may run now, and counts it.
func (f *Function) admit(now sim.Time) bool {
	switch {
	case f.Reserved > 0:
		return f.busy < f.Reserved
	case f.plat != nil:
		return f.plat.admit(now)
	}
	return true
}

func (f *Function) accept(c *call) {
	now := f.sys.sim.Now()
	f.Calls.Add(now, 1)
	if !f.admit(now) {
		f.Throttles.Add(now, 1)
		c.answer(rejected)
		return
	}
	f.called++
	f.busy++
	f.Busy.Set(now, float64(f.busy))
	d := drawTime(f, "Service", f.Service, f.service)
	if f.idle.size > 0 {
		f.idle.take(true) // the newest idle instance
		f.WarmStarts++
	} else {
		f.ColdStarts++
		f.Instances.Add(now, 1)
		if f.ColdStart != nil {
			d += drawTime(f, "ColdStart", f.ColdStart, f.coldR)
		}
	}
	c.after(f, d)
}

// drawTime is a draw of a checked duration distribution.
func drawTime(c Component, field string, d dist.Dist, r *rand.Rand) sim.Time {
	x := d.Sample(r)
	if !(x >= 0) {
		panic(fmt.Sprintf("service: %s %q: %s %v drew %v, which is not a duration", c.Kind(), c.ID(), field, d, x))
	}
	return sim.Seconds(x)
}

// fired is the end of a call: its instance goes idle.
func (f *Function) fired(c *call) {
	now := f.sys.sim.Now()
	f.busy--
	f.Busy.Set(now, float64(f.busy))
	if f.plat != nil && f.Reserved == 0 {
		f.plat.shared--
	}
	f.billedMs += int64((now - c.start + sim.Millisecond - 1) / sim.Millisecond)
	f.Response.Record(now, now-c.start)
	f.idle.push(now)
	if !f.expiry.Pending() {
		f.expiry = f.sys.sim.At(now+f.keep, f.expire)
	}
	c.answer(ok)
}

// onExpire reclaims the instances idle for KeepAlive, oldest first, and
// waits for the next.
func (f *Function) onExpire() {
	now := f.sys.sim.Now()
	for f.idle.size > 0 && f.idle.front()+f.keep <= now {
		f.idle.pop()
		f.Instances.Add(now, -1)
	}
	if f.idle.size > 0 {
		f.expiry = f.sys.sim.At(f.idle.front()+f.keep, f.expire)
	}
}

func (f *Function) close(end sim.Time) {
	f.Calls.Close(end)
	f.Throttles.Close(end)
	f.Busy.Close(end)
	f.Instances.Close(end)
	f.Response.Close(end)
}

// Requests is the calls that ran (throttled ones are not billed).
func (f *Function) Requests() int64 { return f.called }

// GBSeconds is the billed time times the memory, in GB-seconds.
func (f *Function) GBSeconds() float64 {
	return float64(f.billedMs) / 1000 * float64(f.memory()) / 1024
}

func (f *Function) row(t *metrics.Table) {
	t.Add(f.Name, "Function", f.Calls.Total(), f.called, nil, f.Throttles.Total(), f.Response.Mean(), f.Response.Quantile(0.99), nil,
		fmt.Sprintf("%d cold, %d warm, up to %.0f at once, %.1f GB-s", f.ColdStarts, f.WarmStarts, f.Busy.Max(), f.GBSeconds()))
}

// Platform is the concurrency limit shared by the functions that name it,
// as a cloud account in one region has: at first at most Burst calls at
// once; from the first call it throttles, Growth more every minute, up to
// Limit (Gorton, ch. 8: a burst of 1000 to 3000 by region, then 500 a
// minute). Reserved concurrency is set aside from it: the unreserved
// functions share what is left.
type Platform struct {
	Name string
	// Burst is the concurrency at first, 1 to MaxInstances.
	Burst int
	// Growth is the concurrency added each whole minute after the first
	// throttle, 0 to MaxInstances.
	Growth int
	// Limit caps the concurrency, Burst to MaxInstances; zero is Burst
	// when Growth is 0 and MaxInstances otherwise.
	Limit int

	PlatformStats
	part
	reserved int // every function's reserve
	shared   int // calls in progress of the unreserved functions
	grows    bool
	since    sim.Time // the first throttle
}

// PlatformStats is what a Platform measured.
type PlatformStats struct {
	// FirstThrottle is when the burst ran out, when Throttled.
	FirstThrottle time.Duration
	Throttled     bool
}

func (*Platform) Kind() string        { return "Platform" }
func (p *Platform) ID() string        { return p.Name }
func (p *Platform) targets() []string { return nil }

func (p *Platform) limit() int {
	switch {
	case p.Limit > 0:
		return p.Limit
	case p.Growth == 0:
		return p.Burst
	}
	return MaxInstances
}

func (p *Platform) validate() error {
	switch {
	case p.Burst < 1 || p.Burst > MaxInstances:
		return bad(p, "Burst", p.Burst, fmt.Sprintf("must be between 1 and %d", MaxInstances))
	case p.Growth < 0 || p.Growth > MaxInstances:
		return bad(p, "Growth", p.Growth, fmt.Sprintf("must be between 0 and %d a minute", MaxInstances))
	case p.Limit != 0 && (p.Limit < p.Burst || p.Limit > MaxInstances):
		return bad(p, "Limit", p.Limit, fmt.Sprintf("must be between Burst=%d and %d (0: no cap)", p.Burst, MaxInstances))
	}
	return nil
}

// Ceiling is the platform's concurrency limit at now, reserves included:
// Burst, plus Growth for each whole minute since the first throttle, up
// to Limit.
func (p *Platform) Ceiling(now sim.Time) int {
	if !p.grows {
		return p.Burst
	}
	minutes := int64((now - p.since) / sim.FromDuration(time.Minute))
	return int(min(int64(p.limit()), int64(p.Burst)+minutes*int64(p.Growth)))
}

// admit takes one unreserved call if the shared concurrency allows it.
func (p *Platform) admit(now sim.Time) bool {
	if p.shared < p.Ceiling(now)-p.reserved {
		p.shared++
		return true
	}
	if !p.grows {
		p.grows, p.since = true, now
		p.Throttled, p.FirstThrottle = true, now.Duration()
	}
	return false
}

func (p *Platform) start()         {}
func (p *Platform) close(sim.Time) {}
func (p *Platform) row(t *metrics.Table) {
	note := fmt.Sprintf("burst %d, +%d a minute, limit %d, %d reserved", p.Burst, p.Growth, p.limit(), p.reserved)
	if p.Throttled {
		note += fmt.Sprintf(", first throttle at %v", p.FirstThrottle)
	}
	t.Add(p.Name, "Platform", nil, nil, nil, nil, nil, nil, nil, note)
}
