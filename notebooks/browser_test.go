package notebooks

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The browser tests look at lessons as people see them, in headless
// Chromium driven through the DevTools protocol (chromedp): one browser for
// a test, the figures found in the page and photographed one by one, their
// drawn pixels counted. Counting pixels, not elements, is the point: an
// exported page once had every figure's <svg> element, sized and in place,
// with every shape stripped out of it.

// pageWidth is the browser window's width, in CSS pixels: a laptop's.
const pageWidth = 1100

// browserTest skips a browser test unless the mode asks for it, and fails
// it when Chromium is missing although make test installed it.
func browserTest(t *testing.T) {
	t.Helper()
	switch {
	case mode == "quick":
		t.Skip("make quick skips the browser tests (make test runs them)")
	case mode != "full" && os.Getenv("DSIM_BROWSER_TEST") == "":
		t.Skip("the browser tests run in make test and make notebook-browser (or set DSIM_BROWSER_TEST=1)")
	}
	if _, err := exec.LookPath("chromium"); err != nil {
		missing(t, "chromium is missing (bash .ci/deps installs it)")
	}
}

// startBrowser starts headless Chromium for the test and returns the
// context of its one tab. Every host name but the loopback fails to
// resolve: exported pages ask a CDN for MathJax and require.js, which the
// figures do not need, and a test must not wait on the network.
func startBrowser(t *testing.T, height int) context.Context {
	t.Helper()
	chromium, _ := exec.LookPath("chromium")
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.WindowSize(pageWidth, height),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.Flag("force-device-scale-factor", "1"))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first action starts the browser; it must not carry a timeout,
	// which would end the browser with it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", chromium, err)
	}
	return ctx
}

// within runs a with a time limit, so that a page that never settles fails
// the test instead of hanging it.
func within[T any](ctx context.Context, d time.Duration, a chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	return chromedp.Run(ctx, a)
}

// waitFor polls the JavaScript condition cond until it is true.
func waitFor(ctx context.Context, cond string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		ok, err := within(ctx, 10*time.Second, chromedp.Evaluate[bool]("Boolean("+cond+")"))
		if err == nil && ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("after %v, %s is still not true (last error: %v)", limit, cond, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// figuresJS lists the figures of a notebook page: the images and SVG
// drawings in cell outputs, as the live classic notebook (.output_subarea),
// nbconvert's classic template (.output_subarea) and its lab template
// (.jp-OutputArea-output) lay them out. An <svg> inside another is part of
// it. It evaluates to the list; figureJS(i) to the i-th.
const figuresJS = `[...document.querySelectorAll(` +
	`'.output_subarea img, .output_subarea svg, .jp-OutputArea-output img, .jp-OutputArea-output svg')]` +
	`.filter(e => !(e.parentElement && e.parentElement.closest('svg')))`

func figureJS(i int) string { return fmt.Sprintf("(%s)[%d]", figuresJS, i) }

// figure is one figure of a page as the browser drew it.
type figure struct {
	Name          string  // the image's alt text, or the drawing's title
	Width, Height float64 // CSS pixels
	Broken        bool    // an image that did not load or decode
	Drawn         float64 // the share of its pixels that differ from its background
	Colour        float64 // the share of its pixels that are coloured, not grey
}

func (f figure) String() string {
	return fmt.Sprintf("%q %.0fx%.0f: %.1f%% drawn, %.1f%% in colour", f.Name, f.Width, f.Height, 100*f.Drawn, 100*f.Colour)
}

// A figure is blank when less than minDrawn of its pixels are drawn, or
// less than minColour of them are in colour: every dsim figure draws its
// first series in the theme's first colour (blue), while axes, ticks and
// labels are grey, so a figure that lost its data keeps its frame but no
// colour. The lessons' figures measure at least 2% drawn and 0.3% in
// colour (a thin line on a wide plot; the tests log every measure); a
// figure stripped of its shapes measures 0.
const (
	minDrawn  = 0.005
	minColour = 0.0005
)

// measureFigures finds the page's figures and photographs each one: it
// scrolls the figure into view (the live notebook scrolls inside a panel,
// not the page) and captures its box.
func measureFigures(ctx context.Context) ([]figure, error) {
	n, err := within(ctx, 10*time.Second, chromedp.Evaluate[int]("("+figuresJS+").length"))
	if err != nil {
		return nil, err
	}
	figs := make([]figure, n)
	for i := range figs {
		var box struct {
			Name                string
			X, Y, Width, Height float64
			Broken              bool
		}
		js := `(e => { e.scrollIntoView({block: 'center'});
			const r = e.getBoundingClientRect(), d = document.documentElement.getBoundingClientRect();
			const img = e.tagName.toLowerCase() === 'img';
			const t = e.querySelector && e.querySelector('title');
			return JSON.stringify({Name: img ? e.alt : (t ? t.textContent : ''),
				X: r.left - d.left, Y: r.top - d.top, Width: r.width, Height: r.height,
				Broken: img && !(e.complete && e.naturalWidth > 0)}) })(` + figureJS(i) + `)`
		s, err := within(ctx, 10*time.Second, chromedp.Evaluate[string](js))
		if err != nil {
			return nil, fmt.Errorf("figure %d: %v", i+1, err)
		}
		if err := json.Unmarshal([]byte(s), &box); err != nil {
			return nil, fmt.Errorf("figure %d: %v", i+1, err)
		}
		f := &figs[i]
		f.Name, f.Width, f.Height, f.Broken = box.Name, box.Width, box.Height, box.Broken
		if box.Width < 1 || box.Height < 1 {
			continue // nothing drawn, and nothing to photograph
		}
		shot, err := capture(ctx, &page.Viewport{X: box.X, Y: box.Y, Width: box.Width, Height: box.Height, Scale: 1})
		if err != nil {
			return nil, fmt.Errorf("figure %d: %v", i+1, err)
		}
		f.Drawn, f.Colour, err = drawnPixels(shot)
		if err != nil {
			return nil, fmt.Errorf("figure %d: %v", i+1, err)
		}
	}
	return figs, nil
}

// capture photographs clip (document coordinates, CSS pixels), or the
// whole page when clip is nil, as PNG.
func capture(ctx context.Context, clip *page.Viewport) ([]byte, error) {
	return within(ctx, 30*time.Second, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		if clip == nil {
			m, err := cdp.Call(ctx, t, page.GetLayoutMetrics, cdp.Empty{})
			if err != nil {
				return nil, err
			}
			clip = &page.Viewport{Width: m.CSSContentSize.Width, Height: m.CSSContentSize.Height, Scale: 1}
		}
		// Whole pixels: a fractional clip blurs the edges.
		x, y := math.Floor(clip.X), math.Floor(clip.Y)
		c := page.Viewport{X: x, Y: y, Width: math.Ceil(clip.X + clip.Width - x), Height: math.Ceil(clip.Y + clip.Height - y), Scale: clip.Scale}
		yes := true
		r, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format: page.CaptureScreenshotFormatPng, Clip: &c, CaptureBeyondViewport: &yes, FromSurface: &yes})
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	})
}

// drawnPixels reads a PNG and returns the share of its pixels that differ
// from its background (its most common colour) by more than anti-aliasing
// would, and the share that are coloured rather than grey.
func drawnPixels(shot []byte) (drawn, colour float64, err error) {
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		return 0, 0, err
	}
	b := img.Bounds()
	if b.Empty() {
		return 0, 0, nil
	}
	rgb := func(x, y int) [3]int {
		r, g, bl, _ := img.At(x, y).RGBA()
		return [3]int{int(r >> 8), int(g >> 8), int(bl >> 8)}
	}
	counts := map[[3]int]int{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			counts[rgb(x, y)]++
		}
	}
	var bg [3]int
	best := -1
	for c, n := range counts {
		if n > best || (n == best && less(c, bg)) {
			bg, best = c, n
		}
	}
	var nDrawn, nColour int
	for c, n := range counts {
		d := 0
		for k := range c {
			d = max(d, abs(c[k]-bg[k]))
		}
		if d > 48 {
			nDrawn += n
		}
		if max(c[0], c[1], c[2])-min(c[0], c[1], c[2]) > 64 {
			nColour += n
		}
	}
	total := float64(b.Dx() * b.Dy())
	return float64(nDrawn) / total, float64(nColour) / total, nil
}

// less orders colours, so that a tie for the background is broken the
// same way every time.
func less(a, b [3]int) bool {
	for k := range a {
		if a[k] != b[k] {
			return a[k] < b[k]
		}
	}
	return false
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// blank returns why f is not a drawn figure, or "" when it is one.
func blank(f figure) string {
	switch {
	case f.Broken:
		return "the image did not load"
	case f.Width < 1 || f.Height < 1:
		return "it takes no room on the page"
	case f.Drawn < minDrawn:
		return fmt.Sprintf("only %.2f%% of its pixels are drawn, want at least %.1f%%", 100*f.Drawn, 100*minDrawn)
	case f.Colour < minColour:
		return fmt.Sprintf("only %.2f%% of its pixels are in colour, want at least %.2f%%: a frame without data?", 100*f.Colour, 100*minColour)
	}
	return ""
}

// figureOutputs counts the outputs of an executed notebook that are
// figures (an image in any format).
func figureOutputs(path string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	var nb struct {
		Cells []struct {
			Outputs []struct {
				Data map[string]json.RawMessage `json:"data"`
			} `json:"outputs"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(data, &nb); err != nil {
		return 0, fmt.Errorf("%s: %v", path, err)
	}
	n := 0
	for _, c := range nb.Cells {
		for _, o := range c.Outputs {
			for k := range o.Data {
				if strings.HasPrefix(k, "image/") {
					n++
					break
				}
			}
		}
	}
	return n, nil
}

// blankFigures measures the figures of the page open in ctx and returns
// what is wrong with them: each blank figure, and a count of figures that
// differs from want, the number the notebook has.
func blankFigures(ctx context.Context, want int) (figs []figure, problems []string, err error) {
	figs, err = measureFigures(ctx)
	if err != nil {
		return nil, nil, err
	}
	if len(figs) != want {
		problems = append(problems, fmt.Sprintf("the page shows %d figures, the notebook has %d", len(figs), want))
	}
	for i, f := range figs {
		if why := blank(f); why != "" {
			problems = append(problems, fmt.Sprintf("figure %d of %d, %s, is blank: %s", i+1, len(figs), f, why))
		}
	}
	return figs, problems, nil
}

// checkFigures fails the test for each problem blankFigures finds, and
// logs the figures' measures; what names the page.
func checkFigures(t *testing.T, ctx context.Context, what string, want int) {
	t.Helper()
	figs, problems, err := blankFigures(ctx, want)
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return
	}
	for _, p := range problems {
		t.Errorf("%s: %s", what, p)
	}
	for i, f := range figs {
		t.Logf("%s: figure %d: %s", what, i+1, f)
	}
}

// executedLesson returns the path of the lesson executed: the copy that
// TestNotebooksExecute kept in DSIM_EXECUTED_NOTEBOOKS during this run of
// the tests (make test sets it, and the test runs before the browser
// tests, which are in a file named after it), or a new run.
func executedLesson(t *testing.T, lesson string) string {
	t.Helper()
	if executedDir != "" {
		path := filepath.Join(executedDir, lesson)
		if fi, err := os.Stat(path); err == nil && fi.ModTime().After(started) {
			return path
		}
	}
	dir := executedDir
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, lesson)
	cmd := exec.Command("/usr/bin/python3", "-c", runner, lesson, path)
	cmd.Env = append(os.Environ(), "PYDEVD_DISABLE_FILE_VALIDATION=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("executing %s: %v\n%s", lesson, err, out)
	}
	return path
}

// started is when the tests started: an executed lesson older than that
// was made from other code.
var started = time.Now()

// jupyterTest points Jupyter at the repository's kernel and fails or skips
// the test when the tooling is missing.
func jupyterTest(t *testing.T) {
	t.Helper()
	data, err := filepath.Abs(filepath.Join("..", ".tools", "jupyter"))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("JUPYTER_DATA_DIR", data)
	if _, err := os.Stat("/usr/bin/jupyter"); err != nil {
		missing(t, "Jupyter is not installed")
	}
}

// savePNG writes a screenshot, making its folder.
func savePNG(t *testing.T, path string, shot []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, _, err := image.Decode(bytes.NewReader(shot)); err != nil {
		t.Fatalf("screenshot %s: %v", path, err)
	}
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
}
