package lab

// Reference is a node that comes with the lab: a correct one to compare
// with, or a broken one for the checkers to catch.
type Reference struct {
	Name     string // what Test.Node takes: "broadcast/gossip"
	Workload string // the workload it serves
	Correct  bool   // false: it has a bug the checkers find
	About    string // what it does, and what is wrong with it if anything
	New      func() Node
}

// References returns the reference nodes, in order.
func References() []Reference {
	return []Reference{
		{"echo", "echo", true, "answers every echo with its payload", func() Node { return &Echo{} }},
		{"unique-ids", "unique-ids", true, "ids are node, life and counter; the life number is durable, so a restart never reuses one", func() Node { return &UniqueIDs{} }},
		{"broadcast/gossip", "broadcast", true, "persists each message before acknowledging it and gossips to its neighbours until they acknowledge", func() Node { return &Gossip{} }},
		{"broadcast/noretry", "broadcast", false, "forwards each new message to its neighbours once and forgets: a lost message stays lost", func() Node { return &NoRetry{} }},
		{"counter", "g-counter", true, "a PN-counter CRDT: each node counts its own adds durably and gossips its durable counts", func() Node { return &Counter{} }},
		{"lin-kv/leader", "lin-kv", true, "n0 serves every operation from its durable state, answering only once what it read is durable; the others forward to it", func() Node { return NewLeaderKV(false) }},
		{"lin-kv/follower-reads", "lin-kv", false, "writes go through n0, which replicates them without waiting; reads are served by whichever node the client asked: stale", func() Node { return NewLeaderKV(true) }},
		{"kafka/leader", "kafka", true, "n0 keeps every log and the committed offsets durably; the others forward to it", func() Node { return &LeaderLog{} }},
	}
}

func reference(name string) (Reference, bool) {
	for _, r := range References() {
		if r.Name == name {
			return r, true
		}
	}
	return Reference{}, false
}

func referenceNames() []string {
	var out []string
	for _, r := range References() {
		out = append(out, r.Name)
	}
	return out
}
