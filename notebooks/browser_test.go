package notebooks

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The lesson as a person sees it: the notebook server on loopback, an
// executed lesson opened in headless Chromium, the rendered page checked
// for the inline figure and saved as a screenshot. Run by make test and
// make notebook-browser, which sets DSIM_BROWSER_TEST; DSIM_SCREENSHOT
// names the PNG to keep.
func TestLessonRendersInBrowser(t *testing.T) {
	switch {
	case mode == "quick":
		t.Skip("make quick skips the browser test (make test runs it)")
	case mode != "full" && os.Getenv("DSIM_BROWSER_TEST") == "":
		t.Skip("the browser test runs in make test and make notebook-browser (or set DSIM_BROWSER_TEST=1)")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is missing: bash .ci/deps installs it")
	}
	data, _ := filepath.Abs(filepath.Join("..", ".tools", "jupyter"))
	t.Setenv("JUPYTER_DATA_DIR", data)
	dir := t.TempDir()
	const lesson = "02-metastable.ipynb"
	cmd := exec.Command("/usr/bin/python3", "-c", runner, lesson, filepath.Join(dir, lesson))
	cmd.Env = append(os.Environ(), "PYDEVD_DISABLE_FILE_VALIDATION=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("executing %s: %v\n%s", lesson, err, out)
	}

	// The classic UI shows SVG only from trusted notebooks: we executed this
	// one, so we trust it, as a person who ran it would.
	const sign = "import sys, nbformat; from nbformat.sign import NotebookNotary; " +
		"nb = nbformat.read(sys.argv[1], as_version=4); NotebookNotary().sign(nb)"
	trust := exec.Command("/usr/bin/python3", "-c", sign, filepath.Join(dir, lesson))
	trust.Env = append(os.Environ(), "PYDEVD_DISABLE_FILE_VALIDATION=1")
	if out, err := trust.CombinedOutput(); err != nil {
		t.Fatalf("signing the notebook: %v\n%s", err, out)
	}

	port := freePort(t)
	server := exec.Command("/usr/bin/jupyter", "notebook", "--no-browser", "--allow-root",
		"--ip=127.0.0.1", fmt.Sprintf("--port=%d", port), "--notebook-dir="+dir,
		"--NotebookApp.token=", "--NotebookApp.password=")
	server.Env = append(os.Environ(), "PYDEVD_DISABLE_FILE_VALIDATION=1")
	logf, _ := os.Create(filepath.Join(dir, "server.log"))
	server.Stdout, server.Stderr = logf, logf
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = server.Process.Kill(); _, _ = server.Process.Wait() }()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		if resp, err := http.Get(base + "/api"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "server.log"))
			t.Fatalf("the notebook server did not start:\n%s", log)
		}
		time.Sleep(200 * time.Millisecond)
	}

	url := base + "/notebooks/" + lesson
	args := func(extra ...string) []string {
		return append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
			"--virtual-time-budget=15000", "--window-size=1100,2400"}, append(extra, url)...)
	}
	dom, err := exec.Command(chromium, args("--dump-dom")...).Output()
	if err != nil {
		t.Fatalf("chromium --dump-dom: %v", err)
	}
	page := string(dom)
	// The classic UI renders image/svg+xml outputs in div.output_svg.
	if n := strings.Count(page, "output_svg"); n < 2 || !strings.Contains(page, "<svg") {
		_ = os.WriteFile(filepath.Join(os.TempDir(), "dsim-lesson-dom.html"), dom, 0o644)
		t.Fatalf("the rendered lesson has %d SVG outputs, want at least 2 (page saved as %s)", n, filepath.Join(os.TempDir(), "dsim-lesson-dom.html"))
	}
	shot := os.Getenv("DSIM_SCREENSHOT")
	if shot == "" {
		shot = filepath.Join(dir, "lesson.png")
	}
	if out, err := exec.Command(chromium, args("--screenshot="+shot)...).CombinedOutput(); err != nil {
		t.Fatalf("chromium --screenshot: %v\n%s", err, out)
	}
	if fi, err := os.Stat(shot); err != nil || fi.Size() < 20_000 {
		t.Fatalf("screenshot %s: %v (%d bytes)", shot, err, fi.Size())
	}
	t.Logf("screenshot: %s", shot)
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
