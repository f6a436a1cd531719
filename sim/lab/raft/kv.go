package raft

import (
	"strconv"

	"dsim/sim/lab"
)

// kvState is the replicated state machine: lin-kv's keys, and the answer
// to every request applied, so that a request in the log twice (a client
// message the network delivered twice) takes effect once.
type kvState struct {
	values  map[string]int64
	results map[string]lab.Body
}

func newKV() kvState {
	return kvState{values: map[string]int64{}, results: map[string]lab.Body{}}
}

func (s kvState) read(key string) lab.Body {
	v, ok := s.values[key]
	if !ok {
		return lab.ErrorBody(lab.ErrKeyDoesNotExist, "no such key")
	}
	return lab.Body{Type: "read_ok", Value: v}
}

// apply runs one entry's command and returns its answer.
func (s kvState) apply(en entry) lab.Body {
	if res, ok := s.results[en.ID]; ok {
		return res
	}
	var res lab.Body
	switch en.Op {
	case "read":
		res = s.read(en.Key)
	case "write":
		s.values[en.Key] = en.Value
		res = lab.Body{Type: "write_ok"}
	case "cas":
		cur, ok := s.values[en.Key]
		switch {
		case !ok:
			res = lab.ErrorBody(lab.ErrKeyDoesNotExist, "no such key")
		case cur != en.From:
			res = lab.ErrorBody(lab.ErrPreconditionFailed, "expected "+strconv.FormatInt(en.From, 10)+", had "+strconv.FormatInt(cur, 10))
		default:
			s.values[en.Key] = en.To
			res = lab.Body{Type: "cas_ok"}
		}
	}
	s.results[en.ID] = res
	return res
}

// request serves a client's read, write or cas, sent to this node or
// forwarded to it. The leader puts it in its log and answers once it is
// applied, reads included (a read in the log sees every write committed
// before it); a follower forwards it to the leader it knows. An answer
// that does not come from the state machine must not claim the request
// failed when it may yet happen: for a write or cas it is error 13
// (crash: in doubt), only a read may be refused for sure (11).
func (n *Node) request(client string, req lab.Body, forwarded bool, reply func(lab.Body)) {
	id := client + "/" + strconv.FormatInt(req.MsgID, 10)
	if req.Type == "read" && (n.cfg.Broken == FollowerReads && n.role != Leader ||
		n.cfg.Broken == UnconfirmedReads && n.role == Leader) {
		reply(n.kv.read(req.Key))
		return
	}
	switch {
	case n.role == Leader:
		if res, ok := n.kv.results[id]; ok {
			reply(res)
			return
		}
		_, pending := n.replies[id]
		n.replies[id] = reply
		if !pending {
			n.propose(entry{Term: n.term, Op: req.Type, Key: req.Key, Value: req.Value, From: req.From, To: req.To, ID: id})
		}
	case forwarded || n.leader == "":
		reply(unavailable(req.Type))
	default:
		n.e.RPC(n.leader, lab.Body{Type: "forward", Data: forwardedReq{Client: client, Req: req}}, n.cfg.ForwardTimeout, func(r lab.Message, ok bool) {
			if !ok {
				reply(lab.ErrorBody(lab.ErrCrash, "no answer from the leader "+n.leader))
				return
			}
			b := r.Body
			b.MsgID = 0
			reply(b)
		})
	}
}

func unavailable(op string) lab.Body {
	if op == "read" {
		return lab.ErrorBody(lab.ErrTemporarilyUnavailable, "no leader known")
	}
	return lab.ErrorBody(lab.ErrCrash, "no leader known: the request may or may not take effect")
}

// propose appends a client's command to the leader's log and sends it.
func (n *Node) propose(en entry) {
	n.appendLog(n.last()+1, []entry{en})
	n.matchSelf()
	n.broadcast()
}
