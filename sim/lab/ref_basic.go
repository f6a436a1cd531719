package lab

import "fmt"

// Echo is the reference echo node: it answers each echo with its payload.
type Echo struct{}

func (*Echo) Start(*Env) {}

func (*Echo) Receive(e *Env, m Message) {
	if m.Body.Type == "echo" {
		e.Reply(m, Body{Type: "echo_ok", Echo: m.Body.Echo})
	}
}

// UniqueIDs is the reference unique-ids node. An id is the node's name,
// its life (how many times it started, kept durable) and a counter: a
// counter alone starts again at zero after a crash and hands out the same
// ids twice. Until its life number is durable it refuses, with a definite
// error, to hand out any.
type UniqueIDs struct {
	life  int64
	next  int64
	ready bool
}

func (u *UniqueIDs) Start(e *Env) {
	life, _ := e.Store().GetInt("life")
	u.life = life + 1
	e.Store().PutInt("life", u.life, func() { u.ready = true })
}

func (u *UniqueIDs) Receive(e *Env, m Message) {
	if m.Body.Type != "generate" {
		return
	}
	if !u.ready {
		e.Reply(m, ErrorBody(ErrTemporarilyUnavailable, "starting"))
		return
	}
	u.next++
	e.Reply(m, Body{Type: "generate_ok", ID: fmt.Sprintf("%s-%d-%d", e.ID(), u.life, u.next)})
}
