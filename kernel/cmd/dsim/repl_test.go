package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

// A session in a real terminal: define a variable, run a scenario, make
// an error, keep using the variable, interrupt a long run with Ctrl-C,
// continue, quit.
//
// DSIM_TEST, set by the Makefile, says what to do without tmux: make test
// ("full") installed it first, so it fails; make quick ("quick") skips the
// test; a plain go test skips it and says how to get tmux.
func TestREPLInTerminal(t *testing.T) {
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
	m := tmux{t: t, socket: fmt.Sprintf("dsim-test-%d", os.Getpid())}
	cmd := fmt.Sprintf("cd %s && XDG_STATE_HOME=%s %s repl -out %s", dir, dir, bin, filepath.Join(dir, "out"))
	if out, err := m.run("new-session", "-d", "-s", "repl", "-x", "150", "-y", "50", cmd); err != nil {
		t.Fatalf("tmux: %v %s", err, out)
	}
	defer m.run("kill-server")
	m.waitFor("dsim> ", 1)

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

	m.send(":quit", "Enter")
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := m.run("has-session", "-t", "repl"); err != nil {
			break // the REPL exited and took its session with it
		}
		if time.Now().After(deadline) {
			t.Fatalf("the REPL did not quit; the pane:\n%s", m.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
