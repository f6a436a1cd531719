package lab

import (
	"maps"
	"slices"
	"strconv"
	"strings"
)

// LeaderLog is the reference kafka node: n0 (Leader) keeps every log and
// the committed offsets, the others forward to it. Offsets are given in
// order per key; a send is acknowledged once its message is durable, and
// polls and listings are answered once every earlier write is.
type LeaderLog struct {
	leaderBase
	logs      map[string][][2]int64 // per key: [offset, msg] in order
	committed map[string]int64
}

// maxPoll is how many messages a poll answers per key at most.
const maxPoll = 100

func (l *LeaderLog) Start(e *Env) {
	l.reset()
	l.logs, l.committed = map[string][][2]int64{}, map[string]int64{}
	for _, k := range e.Store().Keys() {
		v, _ := e.Store().GetInt(k)
		switch {
		case strings.HasPrefix(k, "log/"):
			key, off, ok := strings.Cut(strings.TrimPrefix(k, "log/"), "/")
			o, err := strconv.ParseInt(off, 10, 64)
			if ok && err == nil {
				l.logs[key] = append(l.logs[key], [2]int64{o, v})
			}
		case strings.HasPrefix(k, "commit/"):
			l.committed[strings.TrimPrefix(k, "commit/")] = v
		}
	}
	for k := range l.logs {
		slices.SortFunc(l.logs[k], func(a, b [2]int64) int { return int(a[0] - b[0]) })
	}
}

func (l *LeaderLog) Receive(e *Env, m Message) {
	handle := func(req Body, reply func(Body)) { l.handle(e, req, reply) }
	switch m.Body.Type {
	case "send", "poll", "commit_offsets", "list_committed_offsets":
		l.route(e, m, handle)
	case "forward":
		l.forwardedTo(e, m, handle)
	}
}

func (l *LeaderLog) handle(e *Env, req Body, reply func(Body)) {
	switch req.Type {
	case "send":
		log := l.logs[req.Key]
		off := int64(0)
		if len(log) > 0 {
			off = log[len(log)-1][0] + 1
		}
		l.logs[req.Key] = append(log, [2]int64{off, req.Msg})
		l.persist(e, "log/"+req.Key+"/"+strconv.FormatInt(off, 10), strconv.FormatInt(req.Msg, 10), func() {
			reply(Body{Type: "send_ok", Offset: off})
		})
	case "poll":
		msgs := map[string][][2]int64{}
		for key, from := range req.Offsets {
			log := l.logs[key]
			i, _ := slices.BinarySearchFunc(log, from, func(p [2]int64, t int64) int { return int(p[0] - t) })
			if i < len(log) {
				msgs[key] = slices.Clone(log[i:min(len(log), i+maxPoll)])
			}
		}
		l.afterWrites(func() { reply(Body{Type: "poll_ok", Msgs: msgs}) })
	case "commit_offsets":
		keys := slices.Sorted(maps.Keys(req.Offsets))
		if len(keys) == 0 {
			reply(Body{Type: "commit_offsets_ok"})
			return
		}
		for i, key := range keys {
			l.committed[key] = max(l.committed[key], req.Offsets[key])
			fn := func() {}
			if i == len(keys)-1 {
				fn = func() { reply(Body{Type: "commit_offsets_ok"}) }
			}
			l.persist(e, "commit/"+key, strconv.FormatInt(l.committed[key], 10), fn)
		}
	case "list_committed_offsets":
		offs := map[string]int64{}
		for _, key := range req.Keys {
			if v, ok := l.committed[key]; ok {
				offs[key] = v
			}
		}
		l.afterWrites(func() { reply(Body{Type: "list_committed_offsets_ok", Offsets: offs}) })
	}
}
