package explore

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// exploreCell is a notebook of one cell: the storm in display.Explore.
const exploreCell = `import (
	"dsim/kernel/display"
	"dsim/sim/scenario/metastable"
)

%%
cfg, _ := metastable.PresetConfig("storm")
display.Explore(cfg)
`

func writeNotebook(t *testing.T, dir, name, source string) string {
	t.Helper()
	nb := map[string]any{
		"cells": []any{map[string]any{"cell_type": "code", "execution_count": nil, "metadata": map[string]any{},
			"outputs": []any{}, "source": source}},
		"metadata": map[string]any{"kernelspec": map[string]any{"display_name": "Go (dsim, GoNB)", "language": "go", "name": "gonb"},
			"language_info": map[string]any{"name": "go"}},
		"nbformat": 4, "nbformat_minor": 5,
	}
	b, _ := json.MarshalIndent(nb, "", " ")
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// needNotebooks checks for Jupyter and the repository's GoNB kernel, which
// make notebook-install puts in .tools; like needChromium, their absence
// fails make test and skips a plain go test.
func needNotebooks(t *testing.T) []string {
	t.Helper()
	data, _ := filepath.Abs(filepath.Join("..", "..", ".tools", "jupyter"))
	env := []string{"JUPYTER_DATA_DIR=" + data, "PYDEVD_DISABLE_FILE_VALIDATION=1"}
	list := exec.Command("/usr/bin/jupyter", "kernelspec", "list")
	list.Env = append(os.Environ(), env...)
	out, err := list.Output()
	if err != nil || !strings.Contains(string(out), "gonb") {
		if os.Getenv("DSIM_TEST") == "full" {
			t.Fatal("Jupyter or the GoNB kernel is missing, though make test installs them first (bash .ci/notebook-install)")
		}
		t.Skip("Jupyter or the GoNB kernel is not installed; skipping (make notebook-install installs them)")
	}
	return env
}

// withoutTestMode is the environment without DSIM_TEST, as a person's
// notebook server has it: its cells then show live controls.
func withoutTestMode(extra []string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DSIM_TEST=") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// An explore cell run headless (nbclient, DSIM_TEST set) does not wait for a
// browser: it says so and shows the first run, static.
func TestExploreCellHeadless(t *testing.T) {
	if testing.Short() || os.Getenv("DSIM_TEST") == "quick" {
		t.Skip("make quick (-short) skips the notebooks; make test runs them")
	}
	env := needNotebooks(t)
	dir := t.TempDir()
	src := writeNotebook(t, dir, "explore.ipynb", exploreCell)
	const runner = `
import json, sys, nbformat, nbclient
nb = nbformat.read(sys.argv[1], as_version=4)
nbclient.NotebookClient(nb, timeout=300, kernel_name="gonb", allow_errors=True).execute()
out = []
for o in nb.cells[0].outputs:
    out.append({"type": o.get("output_type"), "data": o.get("data", {}), "text": o.get("text", "")})
print(json.dumps(out))
`
	cmd := exec.Command("/usr/bin/python3", "-c", runner, src)
	cmd.Env = append(withoutTestMode(env), "DSIM_TEST=full")
	start := time.Now()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("nbclient: %v\n%s", err, out)
	}
	var outputs []struct {
		Type string            `json:"type"`
		Data map[string]string `json:"data"`
		Text string            `json:"text"`
	}
	if err := json.Unmarshal(out, &outputs); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	var all strings.Builder
	images := 0
	for _, o := range outputs {
		for k, v := range o.Data {
			all.WriteString(v)
			if strings.HasPrefix(k, "image/") {
				images++
			}
		}
		all.WriteString(o.Text)
	}
	text := all.String()
	if !strings.Contains(text, "runs headless") || !strings.Contains(text, "Metastable") || images < 2 || strings.Contains(text, "<iframe") {
		t.Fatalf("the headless explore cell shows %d figures and:\n%.2000s", images, text)
	}
	t.Logf("the headless explore cell ran in %v (GoNB's compilation included)", time.Since(start).Round(time.Second))
}

// An explore cell in the notebook server, opened in Chromium: its page
// loads in the cell's frame, the retry budget's slider there turns the
// storm into a recovery, and Done ends the cell, which keeps that run.
func TestExploreCellInNotebook(t *testing.T) {
	chromium := needChromium(t)
	env := needNotebooks(t)
	dir := t.TempDir()
	writeNotebook(t, dir, "explore.ipynb", exploreCell)
	port := freePort(t)
	server := exec.Command("/usr/bin/jupyter", "notebook", "--no-browser", "--allow-root",
		"--ip=127.0.0.1", fmt.Sprintf("--port=%d", port), "--notebook-dir="+dir,
		"--NotebookApp.token=", "--NotebookApp.password=")
	server.Env = withoutTestMode(env)
	logf, _ := os.Create(filepath.Join(dir, "server.log"))
	server.Stdout, server.Stderr = logf, logf
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopServer(server) })
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	waitHTTP(t, base+"/api", filepath.Join(dir, "server.log"))

	ctx := newBrowser(t, chromium)
	do(t, ctx, "open the notebook", chromedp.Navigate(base+"/notebooks/explore.ipynb"))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected())`,
		chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		t.Fatalf("the notebook's kernel did not connect: %v", err)
	}
	do(t, ctx, "run the cell", chromedp.Evaluate[chromedp.Void](`Jupyter.notebook.get_cell(0).execute()`))
	// GoNB compiles the cell first: it may take a minute on a cold cache.
	frame := explorerFrame(t, ctx, filepath.Join(dir, "server.log"))
	before := waitOutcome(t, ctx, "Metastable", "", frame)
	do(t, ctx, "scroll", chromedp.Evaluate[chromedp.Void](`document.querySelector('.output_area iframe').scrollIntoView()`))
	slide(t, ctx, "retry-budget", stepsTo(t, ctx, "retry-budget", "0.1", frame), frame)
	after := waitOutcome(t, ctx, "Recovered", "", frame)
	if after.Figures == before.Figures {
		t.Fatal("the figures in the notebook's frame did not change")
	}
	screenshot(t, ctx, "notebook-explore.png")

	do(t, ctx, "done", chromedp.Click(chromedp.CSS("#done"), chromedp.FromNode(frame)))
	kept, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => { const c = Jupyter.notebook.get_cell(0);
	  if (c.element[0].querySelector('iframe') || !c.output_area.outputs.some(o => o.data && o.data['image/svg+xml'])) return '';
	  return c.output_area.element[0].innerText; })()`, chromedp.WithPollingTimeout(60*time.Second)))
	if err != nil {
		t.Fatalf("after Done the cell does not keep the run: %v", err)
	}
	if !strings.Contains(kept, "Recovered") || !strings.Contains(kept, "retry-budget=0.1") {
		t.Fatalf("the cell keeps:\n%.1500s", kept)
	}
	screenshot(t, ctx, "notebook-done.png")
}

// explorerFrame waits for the explorer's frame in the cell's output and for
// its page to show a run, and returns the frame's node.
func explorerFrame(t *testing.T, ctx context.Context, logPath string) *chromedp.Node {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		wait, cancel := context.WithTimeout(ctx, 5*time.Second)
		frames, err := chromedp.Run(wait, chromedp.Nodes(chromedp.CSS(".output_area iframe")))
		if err == nil && len(frames) > 0 {
			err = chromedp.Do(wait, chromedp.WaitReady(chromedp.CSS("#current .verdict"), chromedp.FromNode(frames[0])))
		}
		cancel()
		if err == nil {
			return frames[0]
		}
	}
	log, _ := os.ReadFile(logPath)
	t.Fatalf("no explorer page in the cell's output after 3 minutes\n%s", log)
	return nil
}

// stopServer asks the notebook server to stop, which shuts its kernels
// down too (killed outright, it would leave them running), and kills it
// when it has not stopped within 20 s.
func stopServer(server *exec.Cmd) {
	done := make(chan struct{})
	go func() { _, _ = server.Process.Wait(); close(done) }()
	_ = server.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = server.Process.Kill()
		<-done
	}
}

func waitHTTP(t *testing.T, url, logPath string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			return
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(logPath)
			t.Fatalf("the notebook server did not start:\n%s", log)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
