// Package display shows results to people: Show is the one call to learn.
//
// In a GoNB notebook, Show sends rich display data to the cell's output:
// figures as image/svg+xml, tables as HTML, verdicts (anything with a
// Markdown method) as Markdown, with a plain-text alternative each.
//
// A figure's output also holds text/html: an <img> whose source is the same
// SVG as a data: URL. Jupyter front ends and nbconvert prefer text/html, so
// that is what is drawn, in the live notebook and in pages exported with
// jupyter nbconvert --to html. The SVG cannot be drawn from image/svg+xml
// there: nbconvert's HTML templates pass that output through its HTML
// sanitizer, which in nbconvert 6.5 (Debian's) drops every SVG element it
// does not know as HTML: every path, line and image, leaving the labels as
// loose text and blank space where the plot was. An SVG drawn as an image
// is also kept apart from the page: no ids or styles shared between figures
// or with the notebook's CSS. image/svg+xml stays for what cannot show
// HTML (nbconvert to LaTeX and PDF uses it). A sanitizer that removes SVG
// images too (nbconvert --sanitize-html) leaves the figure blank.
//
// Outside a notebook (the dsim command, scripts, the REPL, go run), Show
// prints tables and verdicts as text and writes figures as SVG and PNG files
// under the output folder, printing their paths. Show never panics and never
// stops the program: a figure that cannot be written is reported in the
// output instead, and remembered: Err names it, so that a command whose
// run went on can still fail.
//
// Explore shows a scenario's explorer page (package kernel/explore) in a
// notebook cell: its knobs as controls, re-run on every change. Without a
// browser it shows the run, static, and says so.
package display

import (
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"

	"dsim/sim/metrics"
	"dsim/sim/viz"
)

// Markdowner is a value that reads best as Markdown in a notebook, such
// as a verdict.
type Markdowner interface {
	Markdown() string
}

// Page is a value that is a whole HTML page, such as porcupine's view of
// a history that is not linearizable. A page may also have a Name() string
// method, which names its file outside a notebook.
type Page interface {
	HTML() string
}

// InNotebook reports whether the program runs as a GoNB notebook cell.
func InNotebook() bool { return gonbui.IsNotebook }

// send hands display data to the notebook; plain is the text alternative.
func send(mime protocol.MIMEType, content any, plain string) {
	sendData(map[protocol.MIMEType]any{mime: content, protocol.MIMETextPlain: plain})
}

// sendData hands one output, in one or more MIME types, to the notebook.
// It then waits until GoNB has taken it: data still in the pipe when the
// cell's program exits is lost (seen with a figure at the end of a cell).
// The wait is bounded, so a kernel that never acknowledges cannot hang the
// cell.
func sendData(data map[protocol.MIMEType]any) {
	gonbui.SendData(&protocol.DisplayData{Data: data})
	synced := make(chan struct{})
	go func() { gonbui.Sync(); close(synced) }()
	select {
	case <-synced:
	case <-time.After(5 * time.Second):
	}
}

// showNotebook shows v as rich output and reports whether it knew how.
func showNotebook(v any) bool {
	switch x := v.(type) {
	case *viz.Figure:
		if x == nil {
			return true
		}
		svg, err := x.SVG()
		if err != nil {
			send(protocol.MIMETextPlain, fmt.Sprintf("error: figure %q: %v", x.Name, err), "")
			return true
		}
		sendData(figureData(x.Name, svg))
	case *metrics.Table:
		send(protocol.MIMETextHTML, x.HTML(), x.Text())
	case Markdowner:
		send(protocol.MIMETextMarkdown, x.Markdown(), fmt.Sprint(v))
	case Page:
		// A frame keeps the page's scripts and styles from touching the
		// notebook's own.
		frame := `<iframe style="width:100%;height:640px;border:1px solid #ddd" srcdoc="` + html.EscapeString(x.HTML()) + `"></iframe>`
		send(protocol.MIMETextHTML, frame, "(an HTML page: "+pageName(x)+")")
	case error:
		send(protocol.MIMETextMarkdown, "**error:** "+x.Error(), "error: "+x.Error())
	default:
		return false
	}
	return true
}

// figureData is a figure's notebook output: the SVG as image/svg+xml, and
// as text/html an <img> of the same SVG, which is what front ends and
// nbconvert draw (see the package doc for why).
func figureData(name string, svg []byte) map[protocol.MIMEType]any {
	img := `<img alt="` + html.EscapeString(name) + `" src="data:image/svg+xml;base64,` +
		base64.StdEncoding.EncodeToString(svg) + `">`
	return map[protocol.MIMEType]any{
		protocol.MIMEImageSVG:  string(svg),
		protocol.MIMETextHTML:  img,
		protocol.MIMETextPlain: name,
	}
}

var (
	mu      sync.Mutex
	out     io.Writer = os.Stdout
	outDir            = "out"
	used              = map[string]int{} // paths written, to keep names unique
	failed  []string                     // what could not be written, since the last Err
	nfailed int
)

// maxFailed bounds the failures remembered word for word.
const maxFailed = 16

// fail reports a file Show could not write, and remembers it for Err.
func fail(path string, err error) {
	fmt.Fprintf(out, "error: could not write %s: %v\n", path, err)
	nfailed++
	if len(failed) < maxFailed {
		failed = append(failed, fmt.Sprintf("%s: %v", path, err))
	}
}

// Err returns an error naming the files Show could not write since the
// last call, and forgets them; nil when every write succeeded. Show
// reports a failed write and goes on, so that one lost figure does not
// stop a long run; a command checks Err before it exits 0.
func Err() error {
	mu.Lock()
	defer mu.Unlock()
	defer func() { failed, nfailed = nil, 0 }()
	switch nfailed {
	case 0:
		return nil
	case 1:
		return fmt.Errorf("display: could not write %s", failed[0])
	}
	more := "1 more file"
	if nfailed > 2 {
		more = strconv.Itoa(nfailed-1) + " more files"
	}
	return fmt.Errorf("display: could not write %s (and %s)", failed[0], more)
}

// SetOutput sets where text goes (standard output by default).
func SetOutput(w io.Writer) {
	mu.Lock()
	defer mu.Unlock()
	out = w
}

// SetOutDir sets the folder figures are written to ("out" by default).
func SetOutDir(dir string) {
	mu.Lock()
	defer mu.Unlock()
	outDir = dir
}

// OutDir returns the folder figures are written to.
func OutDir() string {
	mu.Lock()
	defer mu.Unlock()
	return outDir
}

// Show displays v:
//   - *viz.Figure, []*viz.Figure: written to OutDir as NAME.svg and NAME.png
//     (NAME-2, NAME-3... when a name repeats), and the paths printed;
//   - *metrics.Table: printed as aligned text;
//   - error: printed as "error: ...";
//   - Page: written to OutDir as NAME.html and the path printed;
//   - []any: each element shown in turn;
//   - anything else: printed with its String method or fmt's %v.
func Show(v any) {
	mu.Lock()
	defer mu.Unlock()
	show(v)
}

func show(v any) {
	if gonbui.IsNotebook {
		switch x := v.(type) {
		case []*viz.Figure:
			for _, f := range x {
				show(f)
			}
			return
		case []any:
			for _, y := range x {
				show(y)
			}
			return
		}
		if showNotebook(v) {
			return
		}
	}
	switch x := v.(type) {
	case nil:
	case *viz.Figure:
		showFigure(x)
	case []*viz.Figure:
		for _, f := range x {
			showFigure(f)
		}
	case []any:
		for _, y := range x {
			show(y)
		}
	case *metrics.Table:
		fmt.Fprint(out, x.Text())
	case error:
		fmt.Fprintf(out, "error: %v\n", x)
	case Page:
		showPage(x)
	case fmt.Stringer:
		fmt.Fprintln(out, x.String())
	default:
		fmt.Fprintln(out, v)
	}
}

// unique returns a path stem under outDir for name that this program has
// not written yet.
func unique(name string) string {
	base := filepath.Join(outDir, viz.Slug(name))
	used[base]++
	if n := used[base]; n > 1 {
		base += "-" + strconv.Itoa(n)
	}
	return base
}

func pageName(p Page) string {
	if n, ok := p.(interface{ Name() string }); ok && n.Name() != "" {
		return n.Name()
	}
	return "page"
}

func showPage(p Page) {
	path := unique(pageName(p)) + ".html"
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		fail(path, err)
		return
	}
	if err := os.WriteFile(path, []byte(p.HTML()), 0o644); err != nil {
		fail(path, err)
		return
	}
	fmt.Fprintf(out, "page: %s (open it in a browser)\n", path)
}

func showFigure(f *viz.Figure) {
	if f == nil {
		return
	}
	base := unique(f.Name)
	for _, ext := range []string{".svg", ".png"} {
		if err := f.Save(base + ext); err != nil {
			fail(base+ext, err)
			return
		}
	}
	fmt.Fprintf(out, "figure: %s.svg (and .png)\n", base)
}
