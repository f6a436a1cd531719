package txn

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"dsim/sim/lab"
	"dsim/sim/lab/internal/bounds"
)

// The designs (Config.Design).
const (
	// TwoPC is two-phase commit: every participant locks and durably
	// prepares, the coordinator durably decides, and a participant that
	// has prepared waits for the decision however long the coordinator is
	// down.
	TwoPC = "2pc"
	// Saga is a saga: a durable log at the coordinator, the debit and the
	// credit applied one after the other with no locks, and a refund (the
	// debit's compensation) when the credit is refused.
	Saga = "saga"
)

// Designs lists the designs, in order.
func Designs() []string { return []string{TwoPC, Saga} }

// Config is one bank's settings. Zero fields take the defaults.
type Config struct {
	// Design is TwoPC or Saga; "" is TwoPC.
	Design string
	// Accounts is the number of accounts, spread over the nodes after the
	// Frontends (account a lives on the node Frontends + a mod (Nodes -
	// Frontends)); default 3. LabTest sets the test's Keys
	// to it: the nodes and the workload must agree.
	Accounts int
	// Timeout is how long a coordinator waits for a participant's answer
	// (a vote, a step) before it gives up on it (2PC: aborts; saga: asks
	// again); default 100ms.
	Timeout time.Duration
	// Retry is how often a coordinator sends a decision or a saga step
	// again until it is acknowledged, and how often a prepared participant
	// asks its coordinator for the decision; default 100ms.
	Retry time.Duration
	// Frontends is how many nodes, from n0, own no account: they only
	// coordinate (an order service in front of the account services).
	// It must be below the test's Nodes; default 0.
	Frontends int
	// CreditLimit, when positive, refuses a credit that would take an
	// account above it. It is what makes a saga's credit step fail (and
	// its refund, the compensation, fail too while the source is full).
	CreditLimit int64
}

// Defaults and bounds of Config.
const (
	DefaultAccounts = 3
	DefaultTimeout  = 100 * time.Millisecond
	DefaultRetry    = 100 * time.Millisecond
	MaxAccounts     = 1000
)

func (c Config) withDefaults() Config {
	c.Design = cmp.Or(c.Design, TwoPC)
	c.Accounts = cmp.Or(c.Accounts, DefaultAccounts)
	c.Timeout = cmp.Or(c.Timeout, DefaultTimeout)
	c.Retry = cmp.Or(c.Retry, DefaultRetry)
	return c
}

// Validate checks the settings, zero fields standing for their defaults.
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case c.Design != TwoPC && c.Design != Saga:
		return fmt.Errorf("txn: Design=%q: must be one of %s", c.Design, quoted(Designs()))
	case c.Accounts < 2 || c.Accounts > MaxAccounts:
		return fmt.Errorf("txn: Accounts=%d: must be in [2, %d] (0 means %d)", c.Accounts, MaxAccounts, DefaultAccounts)
	case c.Timeout < time.Millisecond || c.Timeout > time.Minute:
		return fmt.Errorf("txn: Timeout=%v: must be in [1ms, 1m] (0 means %v)", c.Timeout, DefaultTimeout)
	case c.Retry < time.Millisecond || c.Retry > time.Minute:
		return fmt.Errorf("txn: Retry=%v: must be in [1ms, 1m] (0 means %v)", c.Retry, DefaultRetry)
	case c.CreditLimit < 0:
		return fmt.Errorf("txn: CreditLimit=%d: must not be negative (0 means no limit)", c.CreditLimit)
	case c.CreditLimit > 0 && c.CreditLimit < lab.BankBalance:
		return fmt.Errorf("txn: CreditLimit=%d: must be at least what an account starts with, %d", c.CreditLimit, lab.BankBalance)
	}
	return bounds.Under("txn", "Frontends", c.Frontends, 0, lab.MaxNodes)
}

// checkCluster refuses a cluster whose front ends leave no node to own an
// account, or that has no two nodes for a transaction to cross.
func checkCluster(nodes, frontends int) error {
	if nodes < 2 || nodes > lab.MaxNodes {
		return fmt.Errorf("txn: Nodes=%d: must be in [2, %d], so that a transfer can cross nodes", nodes, lab.MaxNodes)
	}
	if frontends >= nodes {
		return fmt.Errorf("txn: Frontends=%d: must be below Nodes=%d, or no node owns an account", frontends, nodes)
	}
	return nil
}

// NodeName is the name of a design's node in lab tests and saved cases:
// "txn/2pc" or "txn/saga".
func NodeName(design string) string { return "txn/" + design }

// LabTest returns a bank test of the design in cfg: Keys is cfg.Accounts,
// New makes its nodes and Monitor its monitor. The rest (nodes, clients,
// faults, seed) is the lab's default, to be set by the caller.
func LabTest(cfg Config) (lab.Test, error) {
	if err := cfg.Validate(); err != nil {
		return lab.Test{}, err
	}
	cfg = cfg.withDefaults()
	return lab.Test{Workload: "bank", Keys: cfg.Accounts, Node: NodeName(cfg.Design),
		New: func() lab.Node { return New(cfg) }, Monitor: func() lab.Monitor { return NewMonitor() }}, nil
}

// Attach gives a test whose Node is a design's name (a case loaded from a
// file) its New and Monitor, with the default Config but for the design
// and Accounts, which come from the test's Keys.
func Attach(t *lab.Test) error {
	design, ok := strings.CutPrefix(t.Node, "txn/")
	if !ok || (design != TwoPC && design != Saga) {
		return fmt.Errorf("txn: Node=%q: must be %q or %q", t.Node, NodeName(TwoPC), NodeName(Saga))
	}
	cfg := Config{Design: design, Accounts: t.Keys}
	if err := cfg.Validate(); err != nil {
		return err
	}
	cfg = cfg.withDefaults()
	t.New = func() lab.Node { return New(cfg) }
	t.Monitor = func() lab.Monitor { return NewMonitor() }
	return nil
}

// New returns a node of the design in cfg (which must be valid).
func New(cfg Config) lab.Node {
	cfg = cfg.withDefaults()
	if cfg.Design == Saga {
		return &sagaNode{cfg: cfg}
	}
	return &twoPCNode{cfg: cfg}
}

func quoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
