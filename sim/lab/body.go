package lab

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Body is a message's payload, with the fields of Maelstrom's protocol
// under their Go names (the JSON names in its guide are in the tags).
// Type says which fields mean something: "broadcast" carries Message,
// "read_ok" Messages or Value, "cas" Key, From and To, and so on (see the
// workloads in the package doc). Data carries whatever else nodes tell
// each other: any Go value, passed as it is.
//
// The network copies Messages, Topology, Offsets, Msgs and Keys when a
// body is sent, as a real network would, so a node may change what it
// sent or received without touching another node's copy. Data is not
// copied: treat a received Data as read-only.
type Body struct {
	Type      string `json:"type"`
	MsgID     int64  `json:"msg_id,omitempty"`
	InReplyTo int64  `json:"in_reply_to,omitempty"`

	Code int    `json:"code,omitempty"` // error: a Maelstrom error code (ErrTimeout, ...)
	Text string `json:"text,omitempty"` // error: a message for people

	Echo     string                `json:"echo,omitempty"`     // echo, echo_ok
	ID       string                `json:"id,omitempty"`       // generate_ok
	Message  int64                 `json:"message,omitempty"`  // broadcast
	Messages []int64               `json:"messages,omitempty"` // read_ok (broadcast)
	Topology map[string][]string   `json:"topology,omitempty"` // topology
	Delta    int64                 `json:"delta,omitempty"`    // add (counters)
	Value    int64                 `json:"value,omitempty"`    // read_ok (counters, lin-kv), write (lin-kv)
	Key      string                `json:"key,omitempty"`      // read, write, cas (lin-kv); send (kafka)
	From     int64                 `json:"from,omitempty"`     // cas
	To       int64                 `json:"to,omitempty"`       // cas
	Msg      int64                 `json:"msg,omitempty"`      // send (kafka)
	Offset   int64                 `json:"offset,omitempty"`   // send_ok (kafka)
	Offsets  map[string]int64      `json:"offsets,omitempty"`  // poll, commit_offsets, list_committed_offsets_ok
	Msgs     map[string][][2]int64 `json:"msgs,omitempty"`     // poll_ok: key -> [offset, msg] pairs
	Keys     []string              `json:"keys,omitempty"`     // list_committed_offsets
	Amount   int64                 `json:"amount,omitempty"`   // transfer (bank): From and To are the accounts
	Balances map[string]int64      `json:"balances,omitempty"` // read_ok (bank): account -> balance

	Data any `json:"data,omitempty"` // anything else nodes send each other
}

// Message is a body on the wire: from Src to Dest (node IDs "n0", "n1",
// ... or client IDs "c0", "c1", ...).
type Message struct {
	Src  string `json:"src"`
	Dest string `json:"dest"`
	Body Body   `json:"body"`
}

// Maelstrom's error codes (its protocol document). A definite error says
// the operation did not and never will happen; the others leave it in
// doubt, and the client records the operation as info, not fail. Codes
// from 1000 up are the nodes' own, and indefinite.
const (
	ErrTimeout                = 0
	ErrNodeNotFound           = 1
	ErrNotSupported           = 10
	ErrTemporarilyUnavailable = 11
	ErrMalformedRequest       = 12
	ErrCrash                  = 13
	ErrAbort                  = 14
	ErrKeyDoesNotExist        = 20
	ErrKeyAlreadyExists       = 21
	ErrPreconditionFailed     = 22
	ErrTxnConflict            = 30
)

// Definite reports whether an error code says the operation did not
// happen.
func Definite(code int) bool {
	switch code {
	case ErrNodeNotFound, ErrNotSupported, ErrTemporarilyUnavailable, ErrMalformedRequest,
		ErrAbort, ErrKeyDoesNotExist, ErrKeyAlreadyExists, ErrPreconditionFailed, ErrTxnConflict:
		return true
	}
	return false
}

// ErrorName is the name of an error code in Maelstrom's table, or "".
func ErrorName(code int) string {
	switch code {
	case ErrTimeout:
		return "timeout"
	case ErrNodeNotFound:
		return "node-not-found"
	case ErrNotSupported:
		return "not-supported"
	case ErrTemporarilyUnavailable:
		return "temporarily-unavailable"
	case ErrMalformedRequest:
		return "malformed-request"
	case ErrCrash:
		return "crash"
	case ErrAbort:
		return "abort"
	case ErrKeyDoesNotExist:
		return "key-does-not-exist"
	case ErrKeyAlreadyExists:
		return "key-already-exists"
	case ErrPreconditionFailed:
		return "precondition-failed"
	case ErrTxnConflict:
		return "txn-conflict"
	}
	return ""
}

// ErrorBody returns an error reply: {"type": "error", "code": code,
// "text": text}.
func ErrorBody(code int, text string) Body { return Body{Type: "error", Code: code, Text: text} }

// String is the body as compact JSON, its fields in a fixed order.
func (b Body) String() string {
	data, err := json.Marshal(b)
	if err != nil {
		return fmt.Sprintf("{\"type\":%q,\"data\":%q}", b.Type, err.Error())
	}
	return string(data)
}

// clone copies the fields that share memory, so that sender and receiver
// each hold their own.
func (b Body) clone() Body {
	if b.Messages != nil {
		b.Messages = append([]int64(nil), b.Messages...)
	}
	if b.Keys != nil {
		b.Keys = append([]string(nil), b.Keys...)
	}
	if b.Topology != nil {
		t := make(map[string][]string, len(b.Topology))
		for k, v := range b.Topology {
			t[k] = append([]string(nil), v...)
		}
		b.Topology = t
	}
	if b.Offsets != nil {
		o := make(map[string]int64, len(b.Offsets))
		for k, v := range b.Offsets {
			o[k] = v
		}
		b.Offsets = o
	}
	if b.Balances != nil {
		o := make(map[string]int64, len(b.Balances))
		for k, v := range b.Balances {
			o[k] = v
		}
		b.Balances = o
	}
	if b.Msgs != nil {
		m := make(map[string][][2]int64, len(b.Msgs))
		for k, v := range b.Msgs {
			m[k] = append([][2]int64(nil), v...)
		}
		b.Msgs = m
	}
	return b
}

// ints formats a list of numbers as [1 2 3].
func ints(v []int64) string {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, x := range v {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatInt(x, 10))
	}
	b.WriteByte(']')
	return b.String()
}
