package explore

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"dsim/sim/scenario/registry"
)

// needChromium finds Chromium. DSIM_TEST, set by the Makefile, says what to
// do without it: make test ("full") installed it first, so it fails; make
// quick ("quick") skips the browser tests; a plain go test skips them and
// says how to get it.
func needChromium(t *testing.T) string {
	t.Helper()
	mode := os.Getenv("DSIM_TEST")
	if mode == "quick" || testing.Short() {
		t.Skip("make quick (-short) skips the browser tests; make test runs them")
	}
	path, err := exec.LookPath("chromium")
	if err != nil {
		if mode == "full" {
			t.Fatal("chromium is missing, though make test installs it first (bash .ci/deps)")
		}
		t.Skip("chromium is not installed; skipping the browser test (make deps installs it, make test installs it and runs this test)")
	}
	return path
}

// newBrowser starts headless Chromium for the test, with a fresh profile
// and nothing that reaches the network by itself.
func newBrowser(t *testing.T, chromium string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1400, 1000))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 5*time.Minute)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	return ctx
}

// shotsDir is where the browser tests keep their screenshots: out/explore
// at the top of the repository.
func shotsDir(t *testing.T) string {
	dir, _ := filepath.Abs(filepath.Join("..", "..", "out", "explore"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(shotsDir(t), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// do runs actions, failing the test on an error.
func do(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the page, or in frame (an
// iframe's node) when it is set, awaiting a promise.
func eval[T any](t *testing.T, ctx context.Context, js string, frame *chromedp.Node) T {
	t.Helper()
	if frame == nil {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("eval %s: %v", js, err)
		}
		return v
	}
	// A poll in the frame whose predicate is an object answers at once.
	v, err := chromedp.Run(ctx, chromedp.Poll[struct{ V T }]("({V: ("+js+")})",
		chromedp.WithPollingInFrame(frame), chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Fatalf("eval in the frame %s: %v", js, err)
	}
	return v.V
}

// pageState is what the test reads of the run a page shows.
type pageState struct {
	Outcome string `json:"outcome"`
	Figures string `json:"figures"`
	URL     string `json:"url"`
	Status  string `json:"status"`
}

const stateJS = `(() => { const v = document.querySelector('#current .verdict');
  const f = document.querySelector('#current .figures');
  return {outcome: v ? v.dataset.outcome : '', figures: f ? f.innerHTML : '', url: location.href,
    status: document.querySelector('#status').textContent}; })()`

// waitOutcome waits until the page's current run has the outcome want
// (any outcome but not's, when want is empty) and returns its state.
func waitOutcome(t *testing.T, ctx context.Context, want, not string, frame *chromedp.Node) pageState {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	var st pageState
	for time.Now().Before(deadline) {
		raw := eval[json.RawMessage](t, ctx, stateJS, frame)
		st = pageState{}
		_ = json.Unmarshal(raw, &st)
		if st.Outcome != "" && (st.Outcome == want || want == "" && st.Outcome != not) {
			return st
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the page never showed the outcome %q (not %q); it shows %q, status %q", want, not, st.Outcome, st.Status)
	return st
}

// stepsTo is how many steps of a slider's ladder lie between the stop of
// from and the stop of to, read from the page.
func stepsTo(t *testing.T, ctx context.Context, flag, to string, frame *chromedp.Node) int {
	js := fmt.Sprintf(`(() => { const r = document.getElementById('r-%s'); return JSON.parse(r.dataset.ladder).indexOf(%q) - Number(r.value); })()`, flag, to)
	return eval[int](t, ctx, js, frame)
}

// slide moves a slider by keyboard, as a person does with the arrow keys:
// each step an input event, as dragging gives.
func slide(t *testing.T, ctx context.Context, flag string, steps int, frame *chromedp.Node) {
	t.Helper()
	var opts []chromedp.QueryOption
	if frame != nil {
		opts = append(opts, chromedp.FromNode(frame))
	}
	do(t, ctx, "focus "+flag, chromedp.Focus(chromedp.CSS("#r-"+flag), opts...))
	key := kb.ArrowRight
	if steps < 0 {
		key, steps = kb.ArrowLeft, -steps
	}
	for i := 0; i < steps; i++ {
		do(t, ctx, "key", chromedp.KeyEvent(key))
	}
}

// The retry-storm page on its storm preset: the retry budget's slider from
// 0 to 0.1 turns Metastable into Recovered, with other figures and an
// address that holds the knob; the figures answer the pointer; a pin keeps
// the run beside the next with the comparison figure.
func TestExplorerInBrowser(t *testing.T) {
	chromium := needChromium(t)
	base := startServer(t, New(Options{}))
	ctx := newBrowser(t, chromium)

	do(t, ctx, "open the storm", chromedp.Navigate(base+"/s/metastable?preset=storm"))
	before := waitOutcome(t, ctx, "Metastable", "", nil)
	if v := eval[string](t, ctx, `document.getElementById('k-retry-budget').value`, nil); v != "0" {
		t.Fatalf("the storm's retry budget shows %q, want 0", v)
	}
	screenshot(t, ctx, "metastable-storm.png")

	slide(t, ctx, "retry-budget", stepsTo(t, ctx, "retry-budget", "0.1", nil), nil)
	moved := time.Now()
	after := waitOutcome(t, ctx, "Recovered", "", nil)
	t.Logf("from the slider's last step to the new verdict on the page: %v (the page waits 120 ms for the slider to rest)", time.Since(moved).Round(time.Millisecond))
	if v := eval[string](t, ctx, `document.getElementById('k-retry-budget').value`, nil); v != "0.1" {
		t.Fatalf("the retry budget shows %q after the slider, want 0.1", v)
	}
	if after.Figures == before.Figures || len(after.Figures) < 10000 {
		t.Fatalf("the figures did not change (%d bytes)", len(after.Figures))
	}
	if !strings.Contains(after.URL, "retry-budget=0.1") || !strings.Contains(after.URL, "preset=storm") {
		t.Fatalf("the address does not hold the run: %s", after.URL)
	}
	screenshot(t, ctx, "metastable-budget.png")
	checkHover(t, ctx)

	// The address reproduces the run.
	do(t, ctx, "reload", chromedp.Navigate(after.URL))
	if again := waitOutcome(t, ctx, "Recovered", "", nil); again.Figures != after.Figures {
		t.Fatal("the address gave other figures")
	}

	// Pin the recovery, take the budget back to 0: the storm beside it,
	// and the two runs' comparison figure below.
	do(t, ctx, "pin", chromedp.Click(chromedp.CSS("#pin")))
	slide(t, ctx, "retry-budget", stepsTo(t, ctx, "retry-budget", "0", nil), nil)
	waitOutcome(t, ctx, "Metastable", "", nil)
	pinned := eval[string](t, ctx, `document.querySelector('#pinned .verdict').dataset.outcome`, nil)
	if pinned != "Recovered" {
		t.Fatalf("the pinned run shows %q", pinned)
	}
	n := eval[int](t, ctx, `(async () => { for (let i = 0; i < 100; i++) { const n = document.querySelectorAll('#comparison svg').length; if (n) return n; await new Promise(r => setTimeout(r, 100)); } return 0; })()`, nil)
	if n < 1 {
		t.Fatal("no comparison figure under the two runs")
	}
	if u := eval[string](t, ctx, `location.href`, nil); !strings.Contains(u, "pin=") {
		t.Fatalf("the address does not hold the pinned run: %s", u)
	}
	do(t, ctx, "scroll", chromedp.Evaluate[chromedp.Void](`document.querySelector('#comparison').scrollIntoView()`))
	screenshot(t, ctx, "metastable-pinned.png")

	// A value the knob table refuses: the error beside the control.
	do(t, ctx, "type", chromedp.SetValue(chromedp.CSS("#k-timeout"), "-1s"), chromedp.Focus(chromedp.CSS("#k-timeout")), chromedp.KeyEvent(kb.Enter))
	msg := eval[string](t, ctx, `(async () => { for (let i = 0; i < 50; i++) { const e = document.getElementById('e-timeout').textContent; if (e) return e; await new Promise(r => setTimeout(r, 100)); } return ''; })()`, nil)
	if !strings.Contains(msg, "Timeout=-1s") || !strings.Contains(msg, "between 1ms and 1h") {
		t.Fatalf("the refused timeout shows %q beside it", msg)
	}
	if status := eval[string](t, ctx, `document.getElementById('status').textContent`, nil); !strings.Contains(status, "Timeout=-1s") || !strings.Contains(status, "last run") {
		t.Fatalf("the results pane says %q of the refused timeout", status)
	}
	screenshot(t, ctx, "metastable-refused.png")
}

// checkHover points at the middle of the first figure's data area and
// reads the value box.
func checkHover(t *testing.T, ctx context.Context) {
	t.Helper()
	type point struct{ X, Y float64 }
	p := eval[point](t, ctx, `(() => { const f = document.querySelector('#current figure.figure'); f.scrollIntoView();
	  const fr = JSON.parse(f.dataset.frame), b = f.querySelector('svg').getBoundingClientRect();
	  return {X: b.left + (fr.L + (fr.R - fr.L) * 0.6) * b.width / fr.W, Y: b.top + (fr.T + fr.B) / 2 * b.height / fr.H}; })()`, nil)
	do(t, ctx, "point", chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, p.X-5, p.Y), chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, p.X, p.Y))
	tip := eval[string](t, ctx, `(() => { const t = document.querySelector('#current .tip'); return t && !t.hidden ? t.textContent : ''; })()`, nil)
	if !strings.Contains(tip, "time (s):") || !strings.Contains(tip, "goodput") {
		t.Fatalf("pointing at the figure shows %q", tip)
	}
	labels := eval[string](t, ctx, `Array.from(document.querySelectorAll('#current .spanlabel')).map(e => e.textContent).join('|')`, nil)
	if !strings.Contains(labels, "spike") || !strings.Contains(labels, "20s–30s") {
		t.Fatalf("the trigger window is not labelled: %q", labels)
	}
	screenshot(t, ctx, "metastable-hover.png")
}

// A run that takes seconds shows its progress on the page, then its result.
func TestLongRunShowsProgress(t *testing.T) {
	chromium := needChromium(t)
	base := startServer(t, New(Options{}))
	ctx := newBrowser(t, chromium)
	do(t, ctx, "open", chromedp.Navigate(base+"/s/queueing?arrival-rate=1000&servers=1000"))
	first := waitOutcome(t, ctx, "", "", nil)
	do(t, ctx, "two hours", chromedp.SetValue(chromedp.CSS("#k-duration"), "2h"), chromedp.Focus(chromedp.CSS("#k-duration")), chromedp.KeyEvent(kb.Enter))
	text, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => { const p = document.getElementById('progress');
	  return !p.hidden && p.textContent.includes('running:') && p.textContent; })()`, chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		t.Fatalf("a two-hour run at 1000 req/s shows no progress: %v", err)
	}
	screenshot(t, ctx, "queueing-progress.png")
	if !strings.Contains(text, "of 2h0m0s of virtual time") {
		t.Errorf("the progress reads %q", text)
	}
	done, err := chromedp.Run(ctx, chromedp.Poll[string](`document.getElementById('progress').hidden && location.search.includes('duration=2h') && document.querySelector('#current .wall').textContent`,
		chromedp.WithPollingTimeout(60*time.Second)))
	if err != nil {
		t.Fatalf("the long run never showed its result: %v", err)
	}
	t.Logf("the two-hour run: %s (first run %s)", done, first.Outcome)
}

// A knob of every other scenario, moved on its page, changes what the run
// shows: its verdict where one knob can, and always its figures.
func TestEveryScenarioRespondsToAKnob(t *testing.T) {
	chromium := needChromium(t)
	base := startServer(t, New(Options{}))
	ctx := newBrowser(t, chromium)
	cases := map[string]struct {
		preset, flag, to string // a slider to a stop, or a select (or switch) to a value
		from, want       string // outcomes
	}{
		"queueing":  {"", "servers", "1", "Healthy", "Strained"},
		"quorum":    {"partition-strong", "model", "eventual", "Consistent", "Inconsistent"},
		"crdt":      {"", "gossip-period", "0", "Converged", "Diverged"},
		"csi":       {"coherent", "downstream-schema-encoding", "latin-1", "Clean", "Silent corruption"},
		"clocks":    {"sessions", "tokens", "on", "Stale", "Ordered"},
		"balance":   {"gray-failure", "policy", "least-outstanding", "Overloaded", "Balanced"},
		"cache":     {"flush-storm", "look-aside", "off", "Metastable", "Stable"},
		"scaling":   {"knee", "experiment", "threads", "PastKnee", "Contended"},
		"elastic":   {"oscillation", "policy", "target-tracking", "Oscillating", "Absorbed"},
		"messaging": {"at-least-once", "idempotent", "on", "Duplicated", "EffectivelyOnce"},
	}
	for _, sc := range registry.All() {
		if sc.Name == "metastable" {
			continue // TestExplorerInBrowser
		}
		c, ok := cases[sc.Name]
		if !ok {
			t.Errorf("%s: no browser case; add one to TestEveryScenarioRespondsToAKnob", sc.Name)
			continue
		}
		do(t, ctx, "open "+sc.Name, chromedp.Navigate(base+"/s/"+sc.Name+"?preset="+c.preset))
		before := waitOutcome(t, ctx, c.from, "", nil)
		widget := eval[string](t, ctx, fmt.Sprintf(`document.querySelector('.knob[data-flag=%q]').dataset.widget`, c.flag), nil)
		switch widget {
		case "slider":
			slide(t, ctx, c.flag, stepsTo(t, ctx, c.flag, c.to, nil), nil)
		case "switch":
			do(t, ctx, "switch", chromedp.Click(chromedp.CSS("#k-"+c.flag)))
		default:
			do(t, ctx, "select", chromedp.SetValue(chromedp.CSS("#k-"+c.flag), c.to),
				chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById('k-%s').dispatchEvent(new Event('change'))`, c.flag)))
		}
		after := waitOutcome(t, ctx, c.want, "", nil)
		if after.Figures == before.Figures {
			t.Errorf("%s: %s=%s did not change the figures", sc.Name, c.flag, c.to)
		}
		if !strings.Contains(after.URL, c.flag+"=") {
			t.Errorf("%s: the address does not hold %s: %s", sc.Name, c.flag, after.URL)
		}
		screenshot(t, ctx, sc.Name+".png")
	}
}

// A knob the configuration ignores is greyed out with the reason beneath
// it and as its tooltip, from the page and from each run's answer alike:
// the breaker's window without a breaker, and again once it is switched
// off.
func TestIgnoredKnobsGreyedOut(t *testing.T) {
	chromium := needChromium(t)
	base := startServer(t, New(Options{}))
	ctx := newBrowser(t, chromium)
	const why = "no effect: it matters only with CircuitBreaker=on; here CircuitBreaker=off"
	state := func(flag string) string {
		return eval[string](t, ctx, fmt.Sprintf(`(() => { const k = document.querySelector('.knob[data-flag=%q]');
  return k.classList.contains('ignored') + '|' + (k.title || '') + '|' + document.getElementById('n-%s').textContent; })()`, flag, flag), nil)
	}
	do(t, ctx, "open", chromedp.Navigate(base+"/s/metastable?duration=20s"))
	waitOutcome(t, ctx, "", "", nil)
	if got, want := state("breaker-window"), "true|"+why+"|"+why; got != want {
		t.Fatalf("the breaker's window without a breaker: %q, want %q", got, want)
	}
	if got := state("timeout"); got != "false||" {
		t.Fatalf("the timeout, which matters: %q", got)
	}
	do(t, ctx, "scroll", chromedp.Evaluate[chromedp.Void](`document.querySelector('.knob[data-flag="breaker-window"]').scrollIntoView()`))
	screenshot(t, ctx, "metastable-ignored.png")
	for _, want := range []string{"false||", "true|" + why + "|" + why} {
		do(t, ctx, "switch the breaker", chromedp.Click(chromedp.CSS("#k-circuit-breaker")))
		got := eval[string](t, ctx, fmt.Sprintf(`(async () => { let s = '';
  for (let i = 0; i < 100; i++) { const k = document.querySelector('.knob[data-flag="breaker-window"]');
    s = k.classList.contains('ignored') + '|' + (k.title || '') + '|' + document.getElementById('n-breaker-window').textContent;
    if (s === %q) return s; await new Promise(r => setTimeout(r, 100)); } return s; })()`, want), nil)
		if got != want {
			t.Fatalf("after switching the breaker, the breaker's window: %q, want %q", got, want)
		}
	}
}
