package display

import (
	"context"
	"fmt"
	"html"
	"net"
	"os"
	"os/signal"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"

	"dsim/kernel/explore"
	"dsim/sim/scenario"
)

// How long a notebook's explorer waits: for its page to load in the
// browser (else the kernel and the browser are not on one machine, or
// there is no browser, as when nbconvert executes a notebook: a page in a
// browser beside the kernel asks within a second or two), and without a
// request before it takes the page for closed (an open page asks every
// 20 s).
const (
	exploreLoad = 8 * time.Second
	exploreIdle = 2 * time.Minute
)

// Explore shows the explorer page of cfg's scenario in the notebook cell:
// a control for every knob, set as cfg sets them, and the verdict,
// summary and figures, re-run on every change. cfg is a Config value of a
// scenario of the registry (or a pointer to one).
//
// The page comes from an explorer server the cell starts on loopback, in
// a frame, so the browser must run on the kernel's machine. The cell runs
// while the page is in use (other cells wait): the page's Done button, the
// notebook's interrupt (■) or two minutes without the page end it, and the
// cell then keeps the last run the page showed as its output.
//
// Explore never blocks without a browser: outside a notebook, in a
// notebook run headless (DSIM_TEST set, as the tests run them, or
// DSIM_EXPLORE=static, for exporting lessons as pages), or when the page
// does not load within 8 s, it shows the first run, static, and says why.
func Explore(cfg any) {
	sc, query, exact, err := explore.Locate(cfg)
	if err != nil {
		Show(err)
		return
	}
	note := ""
	if !exact {
		note = "The page starts from the knobs of this configuration; a field set in Go only, or a value finer than a knob's text, is not carried."
	}
	switch {
	case !gonbui.IsNotebook:
		exploreStatic(sc, cfg, fmt.Sprintf("explore: not in a notebook, so here is the run; to explore it, run dsim explore and open /s/%s?%s", sc.Name, query))
	case os.Getenv("DSIM_TEST") != "":
		exploreStatic(sc, cfg, "explore: this notebook runs headless (DSIM_TEST is set), so the controls are not shown; here is the first run, static.")
	case os.Getenv("DSIM_EXPLORE") == "static":
		exploreStatic(sc, cfg, "explore: DSIM_EXPLORE=static, so the controls are not shown; here is the first run, static.")
	default:
		exploreLive(sc, cfg, query, note)
	}
}

// exploreStatic runs cfg and shows the run, after a line saying why it is
// static.
func exploreStatic(sc scenario.Scenario, cfg any, why string) {
	Show(exploreNote(why))
	rep, err := sc.Run(Context(), cfg)
	if err != nil {
		Show(err)
		return
	}
	showReport(rep)
}

func showReport(rep *scenario.Report) {
	Show(rep.Verdict)
	Show(rep.Summary)
	Show(rep.Figures())
}

// exploreNote is a line of text shown as Markdown in a notebook.
type exploreNote string

func (n exploreNote) String() string   { return string(n) }
func (n exploreNote) Markdown() string { return "*" + string(n) + "*" }

// exploreLive serves the page to the cell's frame until it is done.
func exploreLive(sc scenario.Scenario, cfg any, query, note string) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		exploreStatic(sc, cfg, "explore: cannot serve the page on loopback ("+err.Error()+"); here is the first run, static.")
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var once sync.Once
	srv := explore.New(explore.Options{Done: func() { once.Do(cancel) }})
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, l) }()

	url := fmt.Sprintf("http://%s/s/%s?%s", l.Addr(), sc.Name, query)
	id := "dsim-explore-" + gonbui.UniqueID()
	gonbui.UpdateHTML(id, exploreFrame(url, note))
	if !waitLoaded(ctx, srv) {
		cancel()
		<-served
		gonbui.UpdateHTML(id, "")
		exploreStatic(sc, cfg, "explore: the page did not load within 8 s (no browser, or the browser is not on the kernel's machine); here is the first run, static.")
		return
	}
	idle := time.NewTicker(time.Second)
	defer idle.Stop()
	for ctx.Err() == nil {
		select {
		case <-ctx.Done():
		case <-idle.C:
			if time.Since(srv.Seen()) > exploreIdle {
				cancel()
			}
		}
	}
	<-served
	name, q, rep := srv.Last()
	if rep == nil {
		gonbui.UpdateHTML(id, "")
		exploreStatic(sc, cfg, "explore: ended before a run was shown; here is the first run.")
		return
	}
	gonbui.UpdateHTML(id, `<p style="font-size:13px;color:#555">Explored; the last run is kept below. To open it again: <code>dsim explore</code>, then <code>/s/`+
		html.EscapeString(name+"?"+q)+`</code>.</p>`)
	showReport(rep)
}

// waitLoaded waits until the page has asked the server for something.
func waitLoaded(ctx context.Context, srv *explore.Server) bool {
	deadline := time.NewTimer(exploreLoad)
	defer deadline.Stop()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return false
		case <-deadline.C:
			return false
		case <-tick.C:
			if !srv.Seen().IsZero() {
				return true
			}
		}
	}
}

// exploreFrame is the cell's output while the page is in use.
func exploreFrame(url, note string) string {
	u := html.EscapeString(url)
	if note != "" {
		note = `<p style="font-size:13px;color:#555">` + html.EscapeString(note) + `</p>`
	}
	return `<div class="dsim-explore">` + note +
		`<p style="font-size:13px;color:#555">The cell runs while you use this page; <b>Done</b> (top right) keeps the last run here and frees the notebook. <a href="` + u + `" target="_blank" rel="noopener">Open in its own tab</a>.</p>` +
		`<iframe src="` + u + `" title="dsim explore" style="width:100%;height:900px;border:1px solid #ddd;resize:vertical"></iframe></div>`
}
