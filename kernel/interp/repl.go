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

	"dsim/kernel/display"
)

const replHelp = `Type Go: declarations, statements, expressions. State persists.
Imports: import "dsim/sim/scenario/metastable" (again is fine).
An expression's value is shown; display.Show(x) shows tables and figures.
Input continues on the next line while brackets are open.
  :help    this text
  :reset   forget every definition and import
  :quit    leave (Ctrl-D too)
Ctrl-C cancels the running input, or clears the line being typed.`

// REPL reads Go from a terminal, line by line, and evaluates it in h.
// Line editing and history come from github.com/ergochat/readline; history
// is kept in historyFile ("" for none). It returns when the person quits.
func (h *Host) REPL(historyFile string) error {
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
	out := h.opts.Stdout
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
				h.Reset()
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
		h.evalInteractive(src, sigs)
	}
}

// evalInteractive evaluates one input, cancelled by Ctrl-C, and shows its
// value or its error. The REPL goes on either way.
func (h *Host) evalInteractive(src string, sigs chan os.Signal) {
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
	v, err := h.Eval(ctx, src)
	close(stop)
	cancel()
	if err != nil {
		fmt.Fprintf(h.opts.Stderr, "error: %v\n", err)
		return
	}
	if v.IsValid() && v.CanInterface() {
		display.Show(v.Interface())
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
