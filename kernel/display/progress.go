package display

import (
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

func init() {
	sim.SetProgressHook(onProgress)
	sweep.SetProgressHook(onSweep)
}

var prog struct {
	sync.Mutex
	start, last time.Time
	events      int64
	shown       bool
	id          string
}

func onProgress(p sim.Progress) {
	if sweep.Active() { // a sweep shows its own line, not each run's
		return
	}
	prog.Lock()
	defer prog.Unlock()
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

// onSweep draws a sweep's progress as a bar of runs done, once the sweep
// has taken longer than progressAfter.
func onSweep(p sweep.Progress) {
	prog.Lock()
	defer prog.Unlock()
	now := time.Now()
	if p.Done == 0 && !p.Finished {
		prog.start, prog.last, prog.shown, prog.id = now, time.Time{}, false, ""
		return
	}
	elapsed := now.Sub(prog.start).Round(100 * time.Millisecond)
	if p.Finished {
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
