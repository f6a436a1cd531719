package notebooks

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The browser tests are in a file named after notebooks_test.go so that
// they run after TestNotebooksExecute and, under make test, open the
// lessons it executed instead of executing them again.

// The lesson as a person sees it: the notebook server on loopback, an
// executed lesson open in the classic notebook UI in headless Chromium,
// every figure drawn, in the notebook trusted (whoever ran it) and not
// (anyone else). Run by make test and make notebook-browser, which sets
// DSIM_BROWSER_TEST; DSIM_SCREENSHOT names the PNG of the trusted one.
func TestLessonRendersInBrowser(t *testing.T) {
	browserTest(t)
	jupyterTest(t)
	lesson := flagship(t)
	dir := t.TempDir()
	executed := executedLesson(t, lesson)
	want, err := figureOutputs(executed)
	if err != nil || want < 2 {
		t.Fatalf("the executed lesson has %d figures (%v), want at least 2", want, err)
	}
	// Trust goes by content: the untrusted copy differs in its metadata.
	untrusted := "untrusted-" + lesson
	if err := copyFile(executed, filepath.Join(dir, lesson)); err != nil {
		t.Fatal(err)
	}
	if err := copyMarked(executed, filepath.Join(dir, untrusted)); err != nil {
		t.Fatal(err)
	}
	// The classic UI shows HTML and SVG outputs untouched only in a trusted
	// notebook: we executed this one, so we trust it, as a person who ran
	// it would. The other copy's HTML goes through the UI's sanitizer.
	const sign = "import sys, nbformat; from nbformat.sign import NotebookNotary; " +
		"nb = nbformat.read(sys.argv[1], as_version=4); NotebookNotary().sign(nb)"
	trust := exec.Command("/usr/bin/python3", "-c", sign, filepath.Join(dir, lesson))
	trust.Env = append(os.Environ(), "PYDEVD_DISABLE_FILE_VALIDATION=1")
	if out, err := trust.CombinedOutput(); err != nil {
		t.Fatalf("signing the notebook: %v\n%s", err, out)
	}

	base := notebookServer(t, dir)
	ctx := startBrowser(t, 2400)
	for _, nb := range []struct{ file, what string }{{untrusted, "not trusted"}, {lesson, "trusted"}} {
		if _, err := within(ctx, time.Minute, chromedp.Navigate(base+"/notebooks/"+nb.file)); err != nil {
			t.Fatal(err)
		}
		// The UI draws the outputs after the page has loaded, then the images.
		ready := fmt.Sprintf(`window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded && `+
			`(%s).length >= %d && (%s).every(e => e.tagName.toLowerCase() !== 'img' || e.complete)`, figuresJS, want, figuresJS)
		if err := waitFor(ctx, ready, time.Minute); err != nil {
			t.Fatalf("%s, %s: the lesson did not render: %v", lesson, nb.what, err)
		}
		checkFigures(t, ctx, fmt.Sprintf("%s (live notebook, %s)", lesson, nb.what), want)
	}

	shot := os.Getenv("DSIM_SCREENSHOT")
	if shot == "" {
		shot = filepath.Join(dir, "lesson.png")
	}
	if _, err := within(ctx, 10*time.Second, chromedp.Evaluate[bool](`(document.getElementById('site') || document.documentElement).scrollTop = 0, true`)); err != nil {
		t.Fatal(err)
	}
	png, err := within(ctx, 30*time.Second, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	savePNG(t, shot, png)
	t.Logf("screenshot: %s", shot)
}

// notebookServer starts the classic notebook server on dir, on loopback,
// for the rest of the test, and returns its address.
func notebookServer(t *testing.T, dir string) string {
	t.Helper()
	port := freePort(t)
	server := exec.Command("/usr/bin/jupyter", "notebook", "--no-browser", "--allow-root",
		"--ip=127.0.0.1", fmt.Sprintf("--port=%d", port), "--notebook-dir="+dir,
		"--NotebookApp.token=", "--NotebookApp.password=")
	server.Env = append(os.Environ(), "PYDEVD_DISABLE_FILE_VALIDATION=1")
	logf, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	server.Stdout, server.Stderr = logf, logf
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = server.Process.Kill(); _, _ = server.Process.Wait(); logf.Close() })
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		if resp, err := http.Get(base + "/api"); err == nil {
			resp.Body.Close()
			return base
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "server.log"))
			t.Fatalf("the notebook server did not start:\n%s", log)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// copyMarked copies a notebook with a mark in its metadata, so that its
// content, and so its trust, differs from the original's.
func copyMarked(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	var nb map[string]any
	if err := json.Unmarshal(data, &nb); err != nil {
		return fmt.Errorf("%s: %v", from, err)
	}
	meta, _ := nb["metadata"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
		nb["metadata"] = meta
	}
	meta["dsim"] = "an untrusted copy"
	if data, err = json.Marshal(nb); err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o644)
}

// Every lesson as a published page: executed, exported to HTML by
// jupyter nbconvert with its lab template (the default) and its classic
// one, opened in headless Chromium; every figure of every page must be
// drawn. The pages and their screenshots are kept in DSIM_LESSON_PAGES
// (make test: out/lessons), as NAME.html and NAME.png for the default
// template, NAME-classic.html and NAME-classic.png for the classic one.
func TestLessonPagesShowFigures(t *testing.T) {
	browserTest(t)
	jupyterTest(t)
	pages := os.Getenv("DSIM_LESSON_PAGES")
	if pages == "" {
		pages = filepath.Join(t.TempDir(), "lessons")
	}
	pages, err := filepath.Abs(pages) // for file:// addresses
	if err != nil {
		t.Fatal(err)
	}
	files := lessons(t)
	executed := make([]string, len(files))
	for i, f := range files {
		executed[i] = executedLesson(t, f)
	}

	// One nbconvert per template, for every lesson at once.
	tmp := t.TempDir()
	templates := []struct{ name, suffix string }{{"lab", ""}, {"classic", "-classic"}}
	for _, tpl := range templates {
		args := append([]string{"nbconvert", "--to", "html", "--template", tpl.name, "--output-dir", filepath.Join(tmp, tpl.name)}, executed...)
		cmd := exec.Command("/usr/bin/jupyter", args...)
		cmd.Env = append(os.Environ(), "PYDEVD_DISABLE_FILE_VALIDATION=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("jupyter nbconvert --template %s: %v\n%s", tpl.name, err, out)
		}
	}

	ctx := startBrowser(t, 1400)
	for i, f := range files {
		want, err := figureOutputs(executed[i])
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(f, ".ipynb")
		for _, tpl := range templates {
			page := filepath.Join(pages, name+tpl.suffix+".html")
			if err := copyFile(filepath.Join(tmp, tpl.name, name+".html"), page); err != nil {
				t.Fatal(err)
			}
			what := fmt.Sprintf("%s (nbconvert, %s template)", name, tpl.name)
			if _, err := within(ctx, time.Minute, chromedp.Navigate("file://"+page)); err != nil {
				t.Errorf("%s: %v", what, err)
				continue
			}
			checkFigures(t, ctx, what, want)
			shot, err := capture(ctx, nil)
			if err != nil {
				t.Errorf("%s: screenshot: %v", what, err)
				continue
			}
			savePNG(t, filepath.Join(pages, name+tpl.suffix+".png"), shot)
		}
	}
	t.Logf("pages and screenshots: %s", pages)
}

// The check above catches what it is for: a lesson exported as it was
// before figures carried an HTML rendering (nbconvert strips the SVG's
// shapes, the page keeps an empty <svg> box), and an image that does not
// decode.
func TestBlankFiguresAreCaught(t *testing.T) {
	browserTest(t)
	jupyterTest(t)
	lesson := flagship(t)
	data, err := os.ReadFile(executedLesson(t, lesson))
	if err != nil {
		t.Fatal(err)
	}
	data, n, err := spoilFigures(data)
	if err != nil || n < 2 {
		t.Fatalf("%s: %d SVG figures (%v), want at least 2", lesson, n, err)
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "blank.ipynb")
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/usr/bin/jupyter", "nbconvert", "--to", "html", src)
	cmd.Env = append(os.Environ(), "PYDEVD_DISABLE_FILE_VALIDATION=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("jupyter nbconvert: %v\n%s", err, out)
	}

	ctx := startBrowser(t, 1400)
	if _, err := within(ctx, time.Minute, chromedp.Navigate("file://"+filepath.Join(dir, "blank.html"))); err != nil {
		t.Fatal(err)
	}
	figs, problems, err := blankFigures(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range figs {
		t.Logf("figure %d: %s", i+1, f)
	}
	if len(problems) != 2 || !strings.Contains(problems[0], "figure 1 of") || !strings.Contains(problems[1], "figure 2 of") {
		t.Errorf("want figures 1 and 2 found blank, and nothing else; found:\n%s", strings.Join(problems, "\n"))
	}
}

// spoilFigures returns an executed notebook with its first figure as
// image/svg+xml alone, as figures were sent before they carried HTML, and
// its second an image whose data is not an image; n counts its figures.
func spoilFigures(data []byte) (spoilt []byte, n int, err error) {
	var nb map[string]any
	if err := json.Unmarshal(data, &nb); err != nil {
		return nil, 0, err
	}
	cells, _ := nb["cells"].([]any)
	for _, c := range cells {
		cell, _ := c.(map[string]any)
		outs, _ := cell["outputs"].([]any)
		for _, o := range outs {
			out, _ := o.(map[string]any)
			d, _ := out["data"].(map[string]any)
			if d["image/svg+xml"] == nil {
				continue
			}
			n++
			switch n {
			case 1:
				delete(d, "text/html")
			case 2:
				d["text/html"] = `<img alt="not an image" src="data:image/svg+xml;base64,bm90IGFuIGltYWdl">`
			}
		}
	}
	spoilt, err = json.Marshal(nb)
	return spoilt, n, err
}

// flagship returns the lesson the browser tests open: the retry storm's,
// the course's running example, or the first lesson if it was renamed.
func flagship(t *testing.T) string {
	if m, _ := filepath.Glob("*metastable*.ipynb"); len(m) > 0 {
		return m[0]
	}
	return lessons(t)[0]
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o644)
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
