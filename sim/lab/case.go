package lab

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"dsim/sim/dist"
)

// Case is a run frozen for replay: the test with its seed and its fault
// schedule written out (not drawn again), the node's name, and the
// fingerprint of the history it gave. The node's code is not in it: a
// reference node's name brings its own, another's must be given as
// Test.New before the replay.
type Case struct {
	Test    Test
	History string // the history's Sum; a replay must give the same
	Events  int    // the history's length
	Failure string // what went wrong, in words ("" for a passing run)
}

// NewCase freezes a run as a case.
func NewCase(r *Result) *Case {
	t := r.Test
	t.Faults = append(Schedule{}, r.Test.Faults...)
	t.Nemesis = Nemesis{}
	return &Case{Test: t, History: r.History.Sum(), Events: len(r.History.Events), Failure: r.Failure()}
}

// CaseFormat names the version of the case file format.
const CaseFormat = "dsim-lab-case/1"

// MaxCaseBytes bounds a case file Load reads.
const MaxCaseBytes = 16 << 20

// caseFile is a case as JSON: durations as text, the latency in dist's
// text form.
type caseFile struct {
	Format       string   `json:"format"`
	Workload     string   `json:"workload"`
	Node         string   `json:"node"`
	Nodes        int      `json:"nodes"`
	Clients      int      `json:"clients"`
	Rate         float64  `json:"rate"`
	Open         bool     `json:"open,omitempty"`
	Duration     string   `json:"duration"`
	Recovery     string   `json:"recovery"`
	Timeout      string   `json:"timeout"`
	Latency      string   `json:"latency"`
	Loss         float64  `json:"loss,omitempty"`
	Duplicate    float64  `json:"duplicate,omitempty"`
	Topology     string   `json:"topology"`
	Keys         int      `json:"keys"`
	ClockSkew    string   `json:"clock_skew,omitempty"`
	ClockDrift   float64  `json:"clock_drift,omitempty"`
	WriteLatency string   `json:"write_latency"`
	Seed         uint64   `json:"seed"`
	Limits       Limits   `json:"limits"`
	Faults       Schedule `json:"faults"`
	History      string   `json:"history_sha256,omitempty"`
	Events       int      `json:"events,omitempty"`
	Failure      string   `json:"failure,omitempty"`
}

// Encode writes the case as indented JSON.
func (c *Case) Encode(w io.Writer) error {
	t := c.Test.withDefaults()
	d := func(v time.Duration) string {
		if v == 0 {
			return ""
		}
		return v.String()
	}
	f := caseFile{Format: CaseFormat, Workload: t.Workload, Node: t.Node, Nodes: t.Nodes, Clients: t.Clients,
		Rate: t.Rate, Open: t.Open, Duration: t.Duration.String(), Recovery: t.Recovery.String(), Timeout: t.Timeout.String(),
		Latency: t.Latency.String(), Loss: t.Loss, Duplicate: t.Duplicate, Topology: t.Topology, Keys: t.Keys,
		ClockSkew: d(t.ClockSkew), ClockDrift: t.ClockDrift, WriteLatency: t.WriteLatency.String(), Seed: t.Seed,
		Limits: t.Limits, Faults: append(Schedule{}, t.Faults...), History: c.History, Events: c.Events, Failure: c.Failure}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(f)
}

// Save writes the case to path, creating its folder.
func (c *Case) Save(path string) error {
	var b bytes.Buffer
	if err := c.Encode(&b); err != nil {
		return fmt.Errorf("lab: %v", err)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("lab: %v", err)
		}
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("lab: %v", err)
	}
	return nil
}

// Load reads a case file Save wrote. A reference node's name brings its
// code; for another node set Test.New before replaying.
func Load(path string) (*Case, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("lab: %v", err)
	}
	defer f.Close()
	c, err := Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%v (in %s)", err, path)
	}
	return c, nil
}

// Decode reads a case from JSON, checking every field as Test.Validate
// does (New aside). It reads at most MaxCaseBytes.
func Decode(r io.Reader) (*Case, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxCaseBytes+1))
	if err != nil {
		return nil, fmt.Errorf("lab: reading a case: %v", err)
	}
	if len(data) > MaxCaseBytes {
		return nil, fmt.Errorf("lab: a case file is at most %d bytes", MaxCaseBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f caseFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("lab: reading a case: %v", err)
	}
	if f.Format != CaseFormat {
		return nil, fmt.Errorf("lab: format=%q: expected %q", f.Format, CaseFormat)
	}
	var bad error
	dur := func(field, s string) time.Duration {
		if s == "" || bad != nil {
			return 0
		}
		v, err := time.ParseDuration(s)
		if err != nil {
			bad = fmt.Errorf("lab: %s=%q: %v", field, s, err)
		}
		return v
	}
	t := Test{Workload: f.Workload, Node: f.Node, Nodes: f.Nodes, Clients: f.Clients, Rate: f.Rate, Open: f.Open,
		Duration: dur("duration", f.Duration), Recovery: dur("recovery", f.Recovery), Timeout: dur("timeout", f.Timeout),
		Loss: f.Loss, Duplicate: f.Duplicate, Topology: f.Topology, Keys: f.Keys, ClockSkew: dur("clock_skew", f.ClockSkew),
		ClockDrift: f.ClockDrift, WriteLatency: dur("write_latency", f.WriteLatency), Seed: f.Seed, Limits: f.Limits,
		Faults: f.Faults}
	if bad != nil {
		return nil, bad
	}
	if t.Faults == nil {
		t.Faults = Schedule{}
	}
	if f.Latency != "" {
		lat, err := dist.Parse(f.Latency)
		if err != nil {
			return nil, fmt.Errorf("lab: latency=%q: %v", f.Latency, err)
		}
		t.Latency = lat
	}
	if err := t.withDefaults().validateData(); err != nil {
		return nil, err
	}
	return &Case{Test: t, History: f.History, Events: f.Events, Failure: f.Failure}, nil
}

// Replay runs the case again and checks that it gives the same history,
// byte for byte (its Sum); a different one is an error saying so (the
// node's code, or the lab, changed since the case was saved).
func Replay(c *Case) (*Result, error) { return ReplayContext(context.Background(), c) }

// ReplayContext is Replay, stopped when ctx is done.
func ReplayContext(ctx context.Context, c *Case) (*Result, error) {
	r, err := RunContext(ctx, c.Test)
	if r == nil {
		return nil, err
	}
	if c.History != "" {
		if sum := r.History.Sum(); sum != c.History {
			return r, fmt.Errorf("lab: the replay of seed %d gave another history (%d events, sum %.12s…) than the case's (%d events, sum %.12s…): the node's code or the lab changed since it was saved",
				c.Test.Seed, len(r.History.Events), sum, c.Events, c.History)
		}
	}
	return r, err
}
