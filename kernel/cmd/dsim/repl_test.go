package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// tmux drives the REPL in a real terminal: it types into a pane and reads
// what the pane shows.
type tmux struct {
	t      *testing.T
	socket string
}

func (m tmux) run(args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-L", m.socket}, args...)...).CombinedOutput()
	return string(out), err
}

func (m tmux) send(keys ...string) {
	m.t.Helper()
	if out, err := m.run(append([]string{"send-keys", "-t", "repl"}, keys...)...); err != nil {
		m.t.Fatalf("send-keys %v: %v %s", keys, err, out)
	}
}

func (m tmux) screen() string {
	out, _ := m.run("capture-pane", "-p", "-J", "-S", "-200", "-t", "repl")
	return out
}

// waitFor waits until the pane shows want n times.
func (m tmux) waitFor(want string, n int) {
	m.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Count(m.screen(), want) >= n {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	m.t.Fatalf("the REPL never showed %q (×%d); the pane:\n%s", want, n, m.screen())
}

// startREPL builds dsim and starts its REPL in a tmux pane.
//
// DSIM_TEST, set by the Makefile, says what to do without tmux: make test
// ("full") installed it first, so it fails; make quick ("quick") skips the
// test; a plain go test skips it and says how to get tmux.
func startREPL(t *testing.T) tmux {
	mode := os.Getenv("DSIM_TEST")
	if mode == "quick" {
		t.Skip("make quick skips the terminal test (make test runs it)")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		if mode == "full" {
			t.Fatal("tmux is missing, though make test installs it first (bash .ci/deps)")
		}
		t.Skip("tmux is not installed; skipping the terminal test (make deps installs it, make test installs it and runs this test)")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "dsim")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	m := tmux{t: t, socket: fmt.Sprintf("dsim-test-%d-%s", os.Getpid(), strings.ReplaceAll(t.Name(), "/", "-"))}
	cmd := fmt.Sprintf("cd %s && XDG_STATE_HOME=%s %s repl -out %s", dir, dir, bin, filepath.Join(dir, "out"))
	if out, err := m.run("new-session", "-d", "-s", "repl", "-x", "150", "-y", "50", cmd); err != nil {
		t.Fatalf("tmux: %v %s", err, out)
	}
	t.Cleanup(func() { m.run("kill-server") })
	m.waitFor("dsim> ", 1)
	return m
}

// quit leaves the REPL and checks that it took its session with it.
func (m tmux) quit() {
	m.t.Helper()
	m.send(":quit", "Enter")
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := m.run("has-session", "-t", "repl"); err != nil {
			return // the REPL exited and took its session with it
		}
		if time.Now().After(deadline) {
			m.t.Fatalf("the REPL did not quit; the pane:\n%s", m.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A session in a real terminal: define a variable, run a scenario, make
// an error, keep using the variable, interrupt a long run with Ctrl-C,
// continue, quit.
func TestREPLInTerminal(t *testing.T) {
	m := startREPL(t)
	m.send("x := 42", "Enter")
	m.send(`import "dsim/sim/scenario/metastable"`, "Enter")
	m.send(`c, _ := metastable.PresetConfig("storm")`, "Enter")
	m.send(`r, _ := metastable.Run(c)`, "Enter")
	m.send(`r.Verdict().Outcome`, "Enter")
	m.waitFor("Metastable", 1)

	m.send("y = x", "Enter") // an error: y was never declared
	m.waitFor("undefined: y", 1)
	m.send("x + 1", "Enter") // the state survived
	m.waitFor("\n43", 1)

	m.send(`import "time"`, "Enter")
	m.send("c.Duration = 500 * time.Hour; c.Window = time.Minute", "Enter")
	m.send("long, err := metastable.Run(c)", "Enter")
	time.Sleep(time.Second)
	m.send("C-c")
	m.waitFor("error: interrupted", 1)

	m.send("for i := 0; i < 2; i++ {", "Enter") // input continues while a brace is open
	m.waitFor("  ... ", 1)
	m.send(`println("line", i, x)`, "Enter", "}", "Enter")
	m.waitFor("line 1 42", 1)
	m.quit()
}

// The REPL survives what kills a Go process, and a goroutine that spins
// for ever: each costs the input that did it, the earlier variables stay,
// and no process of the REPL's grows past 2 GB.
func TestREPLSurvivesInTerminal(t *testing.T) {
	m := startREPL(t)
	peak := watchMemory(t, m)

	m.send("x := 42", "Enter")
	m.send("func f(n int) int { return f(n+1) + 1 }", "Enter")
	m.send("f(0)", "Enter")
	m.waitFor("error: the input ran out of stack (limit 128 MiB): a recursion that does not end?; the earlier state was restored (2 inputs replayed)", 1)
	m.send("x + 1", "Enter")
	m.waitFor("\n43", 1)

	m.send("b := make([]byte, 50<<30)", "Enter")
	m.waitFor("error: the input ran out of memory (limit 1 GiB; -mem or DSIM_MEM raise it); the earlier state was restored", 1)
	m.send("x + 2", "Enter")
	m.waitFor("\n44", 1)

	m.send("go func() { for {} }()", "Enter")
	m.waitFor("note: 1 goroutine this input started is still running; Ctrl-C at the prompt stops it", 1)
	m.send("C-c")
	m.waitFor("1 goroutine stopped", 1)
	if busy := replCPU(t, m); busy > 0.5 {
		t.Errorf("the REPL's processes still use %.0f%% of a core", busy*100)
	}
	m.send("x + 3", "Enter")
	m.waitFor("\n45", 1)

	m.send("select {}", "Enter")
	m.waitFor("error: deadlock: all goroutines are asleep: main is blocked in select {} (no cases)", 1)
	m.send("type T struct{ A int }", "Enter")
	m.send("type T struct{ B int }", "Enter")
	m.waitFor("type T is already defined (as struct{ A int })", 1)
	m.send(`import "os"`, "Enter")
	m.send("os.Exit(3)", "Enter")
	m.waitFor("error: exit status 3", 1)
	m.send("x + 4", "Enter")
	m.waitFor("\n46", 1)
	m.quit()
	if p := peak(); p > 2<<30 {
		t.Errorf("a process of the REPL's reached %d MiB", p>>20)
	}
}

// replPids returns the REPL's processes: the pane's and its descendants.
func replPids(m tmux) []int {
	out, _ := m.run("list-panes", "-t", "repl", "-F", "#{pane_pid}")
	root, err := strconv.Atoi(strings.TrimSpace(out))
	if err != nil {
		return nil
	}
	parent := map[int]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so read after ")".
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
		if len(f) > 1 {
			parent[pid], _ = strconv.Atoi(f[1])
		}
	}
	pids := []int{root}
	for changed := true; changed; {
		changed = false
		for pid, pp := range parent {
			if slices.Contains(pids, pp) && !slices.Contains(pids, pid) {
				pids, changed = append(pids, pid), true
			}
		}
	}
	return pids
}

// watchMemory samples the resident memory of the REPL's processes every
// 20 ms until the test ends; the func it returns gives the peak.
func watchMemory(t *testing.T, m tmux) func() int64 {
	var peak atomic.Int64
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			for _, pid := range replPids(m) {
				b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
				if err != nil {
					continue
				}
				for _, l := range strings.Split(string(b), "\n") {
					if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
						kb, _ := strconv.ParseInt(f[1], 10, 64)
						if kb<<10 > peak.Load() {
							peak.Store(kb << 10)
						}
					}
				}
			}
		}
	}()
	t.Cleanup(func() { close(stop) })
	return peak.Load
}

// replCPU returns the share of a core the REPL's processes use over a
// second.
func replCPU(t *testing.T, m tmux) float64 {
	ticks := func() int64 {
		var sum int64
		for _, pid := range replPids(m) {
			b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
			if err != nil {
				continue
			}
			f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
			if len(f) > 12 {
				u, _ := strconv.ParseInt(f[11], 10, 64)
				s, _ := strconv.ParseInt(f[12], 10, 64)
				sum += u + s
			}
		}
		return sum
	}
	before := ticks()
	time.Sleep(time.Second)
	return float64(ticks()-before) / 100 // clock ticks are 1/100 s on Linux
}
