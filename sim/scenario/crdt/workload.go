package crdt

import (
	"fmt"
	"strconv"
	"time"

	"dsim/sim"
)

// Op is one scripted operation: at a time, at a replica (0-based), of a
// kind the type supports: "inc" and "dec" (counters, by Value), "add" and
// "remove" (sets), "set" and "delete" (registers and maps; a register
// ignores Elem).
type Op struct {
	At      time.Duration
	Replica int
	Kind    string
	Elem    string // element, or map key
	Value   string // register or map value; a counter's amount ("" = 1)
}

// randomOps draws the random operations: Poisson times, random replicas,
// growing operations with probability AddRatio.
func randomOps(cfg Config) []Op {
	rng := sim.Stream(cfg.Seed, "crdt/workload")
	ks := kinds(cfg.Type)
	ops := make([]Op, 0, cfg.Operations)
	counter := cfg.Type == GCounterType || cfg.Type == PNCounterType
	at := time.Duration(0)
	for i := 0; i < cfg.Operations; i++ {
		at += time.Duration(rng.ExpFloat64() / cfg.OpRate * float64(time.Second))
		kind := ks[0]
		if len(ks) > 1 && rng.Float64() >= cfg.AddRatio {
			kind = ks[1]
		}
		op := Op{At: at, Replica: rng.IntN(cfg.Replicas), Kind: kind,
			Elem: "e" + strconv.Itoa(rng.IntN(cfg.Elements)+1), Value: "v" + strconv.Itoa(i+1)}
		if counter {
			op.Value = "" // counts 1
		}
		ops = append(ops, op)
	}
	return ops
}

// validateScript checks each scripted operation against the type and the
// limits: a time inside maxSpan, a replica that exists, a kind the type
// supports, a counter amount that cannot overflow.
func (c Config) validateScript() error {
	for i, op := range c.Script {
		field := fmt.Sprintf("Script[%d]", i)
		switch {
		case op.At < 0 || op.At > maxSpan:
			return bad(field+".At", op.At, fmt.Sprintf("must be between 0s and %v", maxSpan))
		case op.Replica < 0 || op.Replica >= c.Replicas:
			return bad(field+".Replica", op.Replica, fmt.Sprintf("must be between 0 and %d (Replicas=%d)", c.Replicas-1, c.Replicas))
		case !supports(c.Type, op.Kind):
			return bad(field+".Kind", fmt.Sprintf("%q", op.Kind), fmt.Sprintf("a %s does not support it (want one of %v)", c.Type, kinds(c.Type)))
		case len(op.Elem) > maxText:
			return bad(field+".Elem", fmt.Sprintf("[%d bytes]", len(op.Elem)), fmt.Sprintf("at most %d bytes", maxText))
		case len(op.Value) > maxText:
			return bad(field+".Value", fmt.Sprintf("[%d bytes]", len(op.Value)), fmt.Sprintf("at most %d bytes", maxText))
		}
		if c.Type == GCounterType || c.Type == PNCounterType {
			if _, err := amount(op.Value); err != nil {
				return bad(field+".Value", fmt.Sprintf("%q", op.Value), err.Error())
			}
		}
	}
	return nil
}

// amount reads a counter operation's amount: "" is 1.
func amount(v string) (int64, error) {
	if v == "" {
		return 1, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 || n > maxAmount {
		return 0, fmt.Errorf("a counter's amount must be a whole number between 1 and %d (or empty for 1)", int64(maxAmount))
	}
	return n, nil
}

// kinds lists the operation kinds a type supports: growing first.
func kinds(t Type) []string {
	switch t {
	case GCounterType:
		return []string{"inc"}
	case PNCounterType:
		return []string{"inc", "dec"}
	case GSetType:
		return []string{"add"}
	case TwoPSetType, ORSetType, NaiveSetType:
		return []string{"add", "remove"}
	case LWWRegisterType, MVRegisterType:
		return []string{"set"}
	case LWWMapType:
		return []string{"set", "delete"}
	}
	return nil
}

func supports(t Type, kind string) bool {
	for _, k := range kinds(t) {
		if k == kind {
			return true
		}
	}
	return false
}
