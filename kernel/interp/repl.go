package interp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/ergochat/readline"
)

const replHelp = `Type Go: declarations, statements, expressions. State persists.
Imports: import "dsim/sim/scenario/metastable" (again is fine).
An expression's value is shown; display.Show(x) shows tables and figures.
Input continues on the next line while brackets are open.
  :help    this text
  :reset   forget every definition and import, stop every goroutine
  :quit    leave (Ctrl-D too)
Ctrl-C cancels the running input; at the prompt it clears the line and
stops goroutines that earlier inputs left running.`

// REPL reads Go from a terminal, line by line, and evaluates it in a
// Session under lim. Line editing and history come from
// github.com/ergochat/readline; history is kept in historyFile ("" for
// none). It returns when the person quits.
func REPL(opts Options, lim Limits, historyFile string) error {
	if opts.Stdout == nil {
		opts.Stdout = os.Stdout
	}
	if opts.Stderr == nil {
		opts.Stderr = os.Stderr
	}
	s, err := NewSession(opts, lim)
	if err != nil {
		return err
	}
	defer s.Close()
	rl, err := readline.NewFromConfig(&readline.Config{
		Prompt:          "dsim> ",
		HistoryFile:     historyFile,
		InterruptPrompt: "^C",
		EOFPrompt:       ":quit",
	})
	if err != nil {
		return err
	}
	defer rl.Close()
	out, errw := opts.Stdout, opts.Stderr
	fmt.Fprintln(out, "dsim REPL: Go over the dsim library. :help for help, Ctrl-D to quit.")

	// Ctrl-C while input runs arrives as a signal (the terminal is not in
	// raw mode then): it cancels the running input.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	defer signal.Stop(sigs)

	var pending []string
	for {
		if len(pending) == 0 {
			rl.SetPrompt("dsim> ")
		} else {
			rl.SetPrompt("  ... ")
		}
		line, err := rl.ReadLine()
		switch {
		case errors.Is(err, readline.ErrInterrupt):
			pending = nil
			if msg := s.StopGoroutines(context.Background()); msg != "" {
				fmt.Fprintln(errw, msg)
			}
			continue
		case errors.Is(err, io.EOF):
			fmt.Fprintln(out)
			return nil
		case err != nil:
			return err
		}
		if len(pending) == 0 {
			switch strings.TrimSpace(line) {
			case "":
				continue
			case ":quit", ":q", ":exit":
				return nil
			case ":help", ":h":
				fmt.Fprintln(out, replHelp)
				continue
			case ":reset":
				if err := s.Reset(); err != nil {
					return err
				}
				fmt.Fprintln(out, "state cleared")
				continue
			}
		}
		pending = append(pending, line)
		src := strings.Join(pending, "\n")
		if _, incomplete := split(src); incomplete {
			continue
		}
		pending = nil
		evalInteractive(s, src, sigs, errw)
	}
}

// evalInteractive evaluates one input, cancelled by Ctrl-C, and shows its
// error; the worker has shown its output and value. The REPL goes on
// either way, after os.Exit too: leaving is :quit's job, and a pasted
// script that exits on an error should not end the session.
func evalInteractive(s *Session, src string, sigs chan os.Signal, errw io.Writer) {
	// Drop a Ctrl-C that arrived before this input.
	select {
	case <-sigs:
	default:
	}
	ctx, cancel := context.WithCancel(context.Background())
	stop := make(chan struct{})
	go func() {
		select {
		case <-sigs:
			cancel()
		case <-stop:
		}
	}()
	before := s.Running()
	err := s.Eval(ctx, src)
	close(stop)
	cancel()
	if err != nil {
		fmt.Fprintf(errw, "error: %v\n", err)
	}
	if n := s.Running() - before; n > 0 {
		fmt.Fprintf(errw, "note: %s this input started %s still running; Ctrl-C at the prompt stops %s\n",
			plural(n, "goroutine"), map[bool]string{true: "is", false: "are"}[n == 1], map[bool]string{true: "it", false: "them"}[n == 1])
	}
}

// HistoryFile is where the REPL keeps its history: $XDG_STATE_HOME/dsim or
// ~/.local/state/dsim, or none when neither can be found.
func HistoryFile() string {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".local", "state")
	}
	dir = filepath.Join(dir, "dsim")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return ""
	}
	return filepath.Join(dir, "history")
}
