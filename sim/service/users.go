package service

import (
	"fmt"
	"math/rand/v2"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/metrics"
)

// MaxUsers bounds the users of a closed-loop load.
const MaxUsers = 10_000_000

// Users is a closed-loop load: N users, each sending one request to Target,
// waiting for its outcome, thinking for a draw from Think, and sending the
// next. Closed-loop load slows down when the system does, so it cannot
// overload it the way an open-loop Source can (Schroeder et al., "Open
// versus closed: a cautionary tale", NSDI 2006). Each user first waits one
// think time, so that they do not all send at time zero. A user's request
// has the user's index as its key (a session), unless Keys.N > 1 draws one.
//
// Random streams: NAME/think, NAME/keys (Keys.N > 1), NAME/writes.
type Users struct {
	Name   string
	Target string
	N      int       // how many users, 1 to MaxUsers
	Think  dist.Dist // the pause between an answer and the next request
	Keys   Keys
	Writes float64 // share of requests that are writes

	UsersStats
	part
	target             node
	think, keyR, write *rand.Rand
	keys               *sampler
	send               []func()
}

// UsersStats is what a closed-loop load measured.
type UsersStats struct {
	Offered  *metrics.Rate // requests sent, per window
	Answered int64         // requests answered with success
	Failed   int64         // requests that ended otherwise
	// Response is from a request's send to its answer, whatever the
	// answer, as the user waits for it: the R of the response-time law
	// R = N/X − Z.
	Response *metrics.Latency
}

func (*Users) Kind() string                { return "Users" }
func (u *Users) ID() string                { return u.Name }
func (u *Users) wiredTo() (string, string) { return "Target", u.Target }
func (u *Users) targets() []string         { return []string{u.Target} }

func (u *Users) validate() error {
	switch {
	case u.N < 1 || u.N > MaxUsers:
		return bad(u, "N", u.N, fmt.Sprintf("must be between 1 and %d users", MaxUsers))
	case !(u.Writes >= 0 && u.Writes <= 1):
		return bad(u, "Writes", u.Writes, "must be a share between 0 and 1")
	}
	if err := checkDuration(u, "Think", u.Think, true); err != nil {
		return err
	}
	if !(u.Think.Mean() > 0) {
		// Users who never pause, against a system that answers at once,
		// would send for ever without virtual time passing.
		return bad(u, "Think", u.Think, "its mean must be positive")
	}
	return u.Keys.validate(u, "Keys")
}

func (u *Users) start() {
	sys := u.sys
	u.Offered = metrics.NewRate(u.Name+" offered", sys.window)
	u.Response = metrics.NewLatency(u.Name+" response", sys.window)
	u.target = sys.node(u.Target)
	u.think = sys.rand(u.Name + "/think")
	if u.Keys.N > 1 {
		u.keys = newSampler(u.Keys)
		u.keyR = sys.rand(u.Name + "/keys")
	}
	if u.Writes > 0 {
		u.write = sys.rand(u.Name + "/writes")
	}
}

func (u *Users) begin() {
	u.send = make([]func(), u.N)
	for i := range u.send {
		i := i
		u.send[i] = func() { u.request(i) }
		u.sys.sim.After(dist.Time(u.Think, u.think), u.send[i])
	}
}

func (u *Users) request(i int) {
	c := u.sys.newCall(nil, u)
	c.tag = int32(i)
	c.key = uint64(i)
	if u.keys != nil {
		c.key = u.keys.draw(u.keyR)
	}
	if u.write != nil {
		c.write = u.write.Float64() < u.Writes
	}
	u.Offered.Add(c.start, 1)
	u.target.accept(c)
}

func (u *Users) answered(c *call) {
	if c.status == ok {
		u.Answered++
	} else {
		u.Failed++
	}
	i := c.tag
	now := u.sys.sim.Now()
	u.Response.Record(now, now-c.start)
	u.sys.release(c)
	u.sys.sim.After(dist.Time(u.Think, u.think), u.send[i])
}

func (u *Users) close(end sim.Time) {
	u.Offered.Close(end)
	u.Response.Close(end)
}

func (u *Users) row(t *metrics.Table) {
	sent := u.Offered.Total()
	t.Add(u.Name, "Users", sent, u.Answered, u.Failed, nil, nil, nil, nil,
		fmt.Sprintf("%d users, think %v", u.N, u.Think))
}
