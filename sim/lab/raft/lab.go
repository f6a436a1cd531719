package raft

import (
	"fmt"
	"strings"

	"dsim/sim/lab"
)

// NodeName is the name of Raft's node in lab tests and saved cases:
// "raft", or "raft/" and a bug of Bugs for a broken variant.
const NodeName = "raft"

// LabTest returns a lin-kv test of a Raft cluster with cfg: Node names
// the variant, New makes its nodes and Monitor its safety monitor. The
// rest of the test (nodes, clients, faults, seed) is the lab's default,
// to be set by the caller.
func LabTest(cfg Config) (lab.Test, error) {
	if err := cfg.Validate(); err != nil {
		return lab.Test{}, err
	}
	name := NodeName
	if cfg.Broken != "" {
		name += "/" + cfg.Broken
	}
	return lab.Test{Workload: "lin-kv", Node: name, New: func() lab.Node { return New(cfg) },
		Monitor: func() lab.Monitor { return NewMonitor() }}, nil
}

// Attach gives a test whose Node is a Raft variant's name (a case loaded
// from a file) its New and Monitor, with the default Config but for the
// variant. A case made with other settings needs New set with them.
func Attach(t *lab.Test) error {
	bug, ok := strings.CutPrefix(t.Node, NodeName)
	if !ok || bug != "" && (bug[0] != '/' || !isBug(bug[1:])) {
		return fmt.Errorf("raft: Node=%q: must be %q or %q followed by one of %s", t.Node, NodeName, NodeName+"/", quoted(Bugs()))
	}
	cfg := Config{}
	if bug != "" {
		cfg.Broken = bug[1:]
	}
	t.New = func() lab.Node { return New(cfg) }
	t.Monitor = func() lab.Monitor { return NewMonitor() }
	return nil
}
