package display

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"

	"dsim/sim"
	"dsim/sim/sweep"
)

// A run that takes longer than progressAfter of wall time shows a progress
// line, updated in place at most every progressEvery: in a notebook as an
// HTML line that is replaced, in a terminal as a line on standard error
// rewritten with a carriage return. Short runs show nothing, and nothing
// is written when standard error is not a terminal (logs, tests).
const (
	progressAfter = 500 * time.Millisecond
	progressEvery = 200 * time.Millisecond
)

// Context is a context whose runs and sweeps show progress lines: pass it
// to RunContext and SweepContext in a notebook or a program of one's own.
// (The script runner and the REPL give scripts one: script.Context().)
func Context() context.Context { return WithProgress(context.Background()) }

// WithProgress returns ctx with progress lines for the runs and sweeps
// started with it: a sim.Host that draws RunProgress (unless ctx has a
// host already) and SweepProgress for sweeps.
func WithProgress(ctx context.Context) context.Context {
	if sim.HostOf(ctx) == nil {
		ctx = sim.WithHost(ctx, &sim.Host{Progress: RunProgress})
	}
	return sweep.WithProgress(ctx, SweepProgress)
}

var prog struct {
	sync.Mutex
	start, last time.Time
	events      int64
	shown       bool
	id          string
	sweeps      int // running: a sweep shows its own line, not each run's
}

// RunProgress draws a run's progress line: a sim.Host's Progress.
func RunProgress(p sim.Progress) {
	prog.Lock()
	defer prog.Unlock()
	if prog.sweeps > 0 {
		return
	}
	now := time.Now()
	if prog.start.IsZero() || p.Events < prog.events {
		// A new run (runs from several goroutines, as in a sweep, share
		// the line: whichever reports sets it).
		prog.start, prog.shown, prog.id = now, false, ""
	}
	prog.events = p.Events
	if p.Done {
		if prog.shown {
			drawProgress(fmt.Sprintf("done: %v of virtual time, %s events in %v", p.Now, count(p.Events), now.Sub(prog.start).Round(10*time.Millisecond)), true)
		}
		prog.start, prog.events = time.Time{}, 0
		return
	}
	if now.Sub(prog.start) < progressAfter || now.Sub(prog.last) < progressEvery {
		return
	}
	prog.last = now
	line := fmt.Sprintf("running: %v of virtual time, %s events, %v", p.Now, count(p.Events), now.Sub(prog.start).Round(100*time.Millisecond))
	if p.Horizon > 0 {
		pct := 100 * float64(p.Now) / float64(p.Horizon)
		line = fmt.Sprintf("running: %3.0f%% of %v of virtual time, %s events, %v", pct, p.Horizon, count(p.Events), now.Sub(prog.start).Round(100*time.Millisecond))
	}
	drawProgress(line, false)
	prog.shown = true
}

// SweepProgress draws a sweep's progress as a bar of runs done, once the
// sweep has taken longer than progressAfter (for sweep.WithProgress).
func SweepProgress(p sweep.Progress) {
	prog.Lock()
	defer prog.Unlock()
	now := time.Now()
	if p.Done == 0 && !p.Finished {
		prog.sweeps++
		prog.start, prog.last, prog.shown, prog.id = now, time.Time{}, false, ""
		return
	}
	elapsed := now.Sub(prog.start).Round(100 * time.Millisecond)
	if p.Finished {
		prog.sweeps--
		if prog.shown {
			drawProgress(fmt.Sprintf("sweep %s: %d runs in %v", p.Name, p.Done, elapsed), true)
		}
		prog.start = time.Time{}
		return
	}
	if now.Sub(prog.start) < progressAfter || now.Sub(prog.last) < progressEvery {
		return
	}
	prog.last = now
	const width = 30
	filled := width * p.Done / max(1, p.Total)
	bar := strings.Repeat("#", filled) + strings.Repeat(".", width-filled)
	drawProgress(fmt.Sprintf("sweep %s: [%s] %d/%d runs, %v", p.Name, bar, p.Done, p.Total, elapsed), false)
	prog.shown = true
}

func drawProgress(line string, done bool) {
	if gonbui.IsNotebook {
		if prog.id == "" {
			prog.id = "dsim-progress-" + gonbui.UniqueID()
		}
		gonbui.UpdateHTML(prog.id, "<pre style=\"margin:0\">"+line+"</pre>")
		return
	}
	if fi, err := os.Stderr.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return
	}
	if done {
		fmt.Fprintf(os.Stderr, "\r%s\033[K\n", line)
		return
	}
	fmt.Fprintf(os.Stderr, "\r%s\033[K", line)
}

func count(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1fG", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1fM", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1fk", float64(n)/1e3)
	}
	return fmt.Sprint(n)
}
