package lab

import (
	"crypto/sha256"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"dsim/sim"
)

// EventType is what an event of the history says about an operation.
type EventType uint8

// The event types, as in Jepsen's histories. An operation starts with an
// Invoke and ends with OK (it happened), Fail (it definitely did not), or
// Info (no one knows: it timed out, or its error was indefinite, or the
// run ended first), which may have happened at any time after it began.
const (
	Invoke EventType = iota
	OK
	Fail
	Info
)

func (t EventType) String() string {
	switch t {
	case Invoke:
		return "invoke"
	case OK:
		return "ok"
	case Fail:
		return "fail"
	case Info:
		return "info"
	}
	return fmt.Sprintf("EventType(%d)", int(t))
}

// Event is one line of a history.
type Event struct {
	Index  int       // position in the history
	Time   sim.Time  // virtual time (the engine's, not a node's clock)
	Type   EventType // invoke, ok, fail, info
	Client string    // the client: "c0", ...
	Node   string    // the node the request went to
	F      string    // the request's type: "read", "broadcast", ...
	// Body is the request for an invoke, the reply for ok and fail, and
	// for info the indefinite error reply, or nothing when none came.
	Body Body
	// Pair is the index of the other event of the operation: the
	// completion of an invoke (-1 while there is none), the invoke of a
	// completion.
	Pair  int
	Final bool // a final read, made after the workload and the faults ended
}

// History is what the clients saw: every request they made and how it
// ended, in the order it happened.
type History struct {
	Workload string
	Events   []Event

	ops    []Operation // Ops, kept for the history's length
	opsFor int
	spare  []Operation // room for Ops that no one has seen (a search's earlier run)
}

// Operation is an invoke paired with its completion.
type Operation struct {
	Client, Node, F string
	Type            EventType // OK, Fail or Info
	Req, Resp       Body      // the request, and the reply (zero for info without one)
	Call, Return    sim.Time  // Return is sim.MaxTime for info: it may take effect any time after Call
	Invoke          int       // index of the invoke event
	Complete        int       // index of the completion event
	Final           bool
}

// Ops pairs each invoke with its completion, in the order of the invokes.
// An invoke with no completion (none is left once a run has ended) is an
// Info operation. The slice is shared by every caller until the history
// grows: do not change it.
func (h *History) Ops() []Operation {
	if h.ops != nil && h.opsFor == len(h.Events) {
		return h.ops
	}
	out := h.spare[:0]
	h.spare = nil
	if n := len(h.Events)/2 + 1; cap(out) < n {
		out = make([]Operation, 0, n)
	}
	for _, e := range h.Events {
		if e.Type != Invoke {
			continue
		}
		op := Operation{Client: e.Client, Node: e.Node, F: e.F, Type: Info, Req: e.Body, Call: e.Time, Return: sim.MaxTime, Invoke: e.Index, Complete: -1, Final: e.Final}
		if e.Pair >= 0 {
			c := h.Events[e.Pair]
			op.Type, op.Resp, op.Complete = c.Type, c.Body, c.Index
			if c.Type != Info {
				op.Return = c.Time
			}
		}
		out = append(out, op)
	}
	h.ops, h.opsFor = out, len(h.Events)
	return out
}

// Text writes the history one event a line:
//
//	1.234567s c1 invoke n1 broadcast 7
//	1.240112s c1 ok     n1 broadcast_ok
//
// The text is the same bytes for the same run, which is how replays and
// the determinism tests compare runs.
func (h *History) Text() string {
	var b strings.Builder
	h.WriteTo(&b)
	return b.String()
}

// WriteTo writes Text to w.
func (h *History) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for _, e := range h.Events {
		n, err := fmt.Fprintln(w, h.Line(e))
		total += int64(n)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// Line is one event as Text prints it.
func (h *History) Line(e Event) string {
	final := ""
	if e.Final {
		final = " (final)"
	}
	what := describe(h.Workload, e.Body)
	if e.Type == Info && e.Body.Type == "" && e.Pair >= 0 && e.Pair < len(h.Events) {
		what = describe(h.Workload, h.Events[e.Pair].Body) + " (no reply)"
	}
	return fmt.Sprintf("%12.6fs %-4s %-6s %-4s %s%s", e.Time.Seconds(), e.Client, e.Type, e.Node, what, final)
}

// Sum is the SHA-256 of Text, in hex: a replay's history must have the
// same.
func (h *History) Sum() string {
	sum := sha256.New()
	h.WriteTo(sum)
	return fmt.Sprintf("%x", sum.Sum(nil))
}

// describe prints a body with the fields its type uses, Maelstrom's names
// in Jepsen's style: "cas k1 3->4", "read_ok [1 2 3]", "error 22
// precondition-failed".
func describe(workload string, b Body) string {
	switch b.Type {
	case "":
		return "(no reply)"
	case "error":
		s := fmt.Sprintf("error %d", b.Code)
		if n := ErrorName(b.Code); n != "" {
			s += " " + n
		}
		if b.Text != "" {
			s += fmt.Sprintf(" %q", b.Text)
		}
		return s
	case "echo", "echo_ok":
		return fmt.Sprintf("%s %q", b.Type, b.Echo)
	case "generate_ok":
		return fmt.Sprintf("%s %q", b.Type, b.ID)
	case "broadcast":
		return fmt.Sprintf("broadcast %d", b.Message)
	case "add":
		return fmt.Sprintf("add %d", b.Delta)
	case "read":
		if workload == "lin-kv" {
			return "read " + b.Key
		}
		return "read"
	case "read_ok":
		switch workload {
		case "broadcast":
			return "read_ok " + ints(b.Messages)
		case "bank":
			return "read_ok " + offsets(b.Balances)
		}
		return fmt.Sprintf("read_ok %d", b.Value)
	case "write":
		return fmt.Sprintf("write %s %d", b.Key, b.Value)
	case "cas":
		return fmt.Sprintf("cas %s %d->%d", b.Key, b.From, b.To)
	case "transfer":
		return fmt.Sprintf("transfer %d %d->%d", b.Amount, b.From, b.To)
	case "send":
		return fmt.Sprintf("send %s %d", b.Key, b.Msg)
	case "send_ok":
		return fmt.Sprintf("send_ok %d", b.Offset)
	case "poll", "commit_offsets", "list_committed_offsets_ok":
		return b.Type + " " + offsets(b.Offsets)
	case "poll_ok":
		return "poll_ok " + pairs(b.Msgs)
	case "list_committed_offsets":
		return "list_committed_offsets [" + strings.Join(b.Keys, " ") + "]"
	}
	return b.Type
}

func offsets(m map[string]int64) string {
	parts := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s:%d", k, m[k]))
	}
	return "{" + strings.Join(parts, " ") + "}"
}

func pairs(m map[string][][2]int64) string {
	parts := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		var ps []string
		for _, p := range m[k] {
			ps = append(ps, fmt.Sprintf("%d:%d", p[0], p[1]))
		}
		parts = append(parts, k+":["+strings.Join(ps, " ")+"]")
	}
	return "{" + strings.Join(parts, " ") + "}"
}
