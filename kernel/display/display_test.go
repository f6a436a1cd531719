package display

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/janpfeifer/gonb/gonbui/protocol"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/viz"
)

// capture sends Show's text to a buffer and its files to a fresh folder
// for the rest of the test.
func capture(t *testing.T) (dir string, buf *bytes.Buffer) {
	dir, buf = t.TempDir(), new(bytes.Buffer)
	SetOutput(buf)
	SetOutDir(dir)
	t.Cleanup(func() { SetOutput(os.Stdout); SetOutDir("out") })
	return dir, buf
}

func TestShowWritesFiguresAndPrintsText(t *testing.T) {
	dir, buf := capture(t)

	s := metrics.NewSeries("x", "1/s")
	s.Add(sim.Second, 1)
	s.Add(2*sim.Second, 3)
	f := viz.Lines(viz.Options{Title: "A line"}, s)
	Show(f)
	Show([]*viz.Figure{f})
	Show(metrics.NewTable("T", "a", "b").Add("x", 1.5))
	Show(errors.New("boom"))
	Show("plain")
	Show(nil)

	text := buf.String()
	for _, want := range []string{"a-line.svg (and .png)", "a-line-2.svg", "x  1.5", "error: boom", "plain"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	for _, name := range []string{"a-line.svg", "a-line.png", "a-line-2.svg"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
}

func TestShowReportsUnwritableFolder(t *testing.T) {
	var buf bytes.Buffer
	SetOutput(&buf)
	defer SetOutput(os.Stdout)
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	SetOutDir(file) // a file, not a folder
	defer SetOutDir("out")
	if err := Err(); err != nil {
		t.Fatalf("Err before any failure: %v", err)
	}
	Show(viz.Lines(viz.Options{Title: "x"}))
	Show(page("<html></html>"))
	want := "could not write " + filepath.Join(file, "x.svg")
	if !strings.Contains(buf.String(), "error: "+want) {
		t.Errorf("no error reported: %q", buf.String())
	}
	err := Err()
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "and 1 more file") {
		t.Errorf("Err() = %v, want one naming %s and one more file", err, filepath.Join(file, "x.svg"))
	}
	if err := Err(); err != nil {
		t.Errorf("Err did not forget: %v", err)
	}
}

type page string

func (p page) HTML() string { return string(p) }
func (p page) Name() string { return "check" }

func TestShowWritesPages(t *testing.T) {
	dir, buf := capture(t)
	Show(page("<html>violation</html>"))
	Show(page("<html>again</html>"))
	if !strings.Contains(buf.String(), "check.html (open it in a browser)") || !strings.Contains(buf.String(), "check-2.html") {
		t.Fatalf("paths not printed:\n%s", buf.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "check.html"))
	if err != nil || string(b) != "<html>violation</html>" {
		t.Fatalf("page not written: %q %v", b, err)
	}
}

// In a notebook a figure is an <img> of its SVG in text/html, which front
// ends and nbconvert draw, beside the SVG itself: nbconvert's HTML export
// strips image/svg+xml's shapes.
func TestFigureDataDrawsAsHTMLImage(t *testing.T) {
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt"><path d="M0,0L10,10"/></svg>`)
	data := figureData(`a "b" <c>`, svg)
	if got := data[protocol.MIMEImageSVG]; got != string(svg) {
		t.Errorf("image/svg+xml is %q, want the SVG", got)
	}
	if got := data[protocol.MIMETextPlain]; got != `a "b" <c>` {
		t.Errorf("text/plain is %q, want the figure's name", got)
	}
	img, _ := data[protocol.MIMETextHTML].(string)
	const prefix = `<img alt="a &#34;b&#34; &lt;c&gt;" src="data:image/svg+xml;base64,`
	if !strings.HasPrefix(img, prefix) || !strings.HasSuffix(img, `">`) {
		t.Fatalf("text/html is %q, want %s...\">", img, prefix)
	}
	decoded, err := base64.StdEncoding.DecodeString(strings.TrimSuffix(strings.TrimPrefix(img, prefix), `">`))
	if err != nil || !bytes.Equal(decoded, svg) {
		t.Errorf("the image's data is %q (%v), want the SVG", decoded, err)
	}
}
