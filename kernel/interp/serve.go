package interp

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/signal"
	"sync"
	"time"

	"dsim/kernel/display"
)

// A session's worker and its parent talk in JSON lines: requests on the
// worker's fd 4, responses on fd 5. The worker writes the inputs' output
// to its own stdout and stderr (the terminal), before it responds.

// request is what a Session asks of its worker.
type request struct {
	Op     string   `json:"op"` // "hello", "eval", "cancel", "stop"
	ID     int      `json:"id,omitempty"`
	Src    string   `json:"src,omitempty"`
	Quiet  bool     `json:"quiet,omitempty"` // a replay: no output
	OutDir string   `json:"outDir,omitempty"`
	Seed   uint64   `json:"seed,omitempty"`
	Args   []string `json:"args,omitempty"`
}

// response is the worker's answer to an eval or a stop.
type response struct {
	ID      int      `json:"id"`
	Done    []string `json:"done,omitempty"` // the pieces evaluated without error
	Err     string   `json:"err,omitempty"`
	Kind    string   `json:"kind,omitempty"`
	Exit    *int     `json:"exit,omitempty"`    // os.Exit's status
	Broken  bool     `json:"broken,omitempty"`  // the interpreter was replaced: replay
	Running int      `json:"running,omitempty"` // goroutines of scripts still running
	Active  int      `json:"active,omitempty"`  // of those, the ones not blocked (stop)
	From    []int    `json:"from,omitempty"`    // inputs whose goroutines still run
}

// sessionWorker is the worker's side of a session.
type sessionWorker struct {
	h      *Host
	out    *switchWriter
	errw   *switchWriter
	enc    *json.Encoder
	mu     sync.Mutex
	cancel context.CancelFunc // of the running input
	ids    map[int]int        // the host's evaluation number -> the session's input id
	saved  [2]*os.File        // os.Stdout and os.Stderr during a replay
}

// serveSession runs the worker's side of a session until the parent
// closes its requests; it returns the exit status.
func serveSession() int {
	// Ctrl-C reaches the whole process group; the parent relays it as a
	// cancel request, which stops the input and nothing else.
	signal.Ignore(os.Interrupt)
	dec := json.NewDecoder(os.NewFile(4, "requests"))
	var hello request
	if err := dec.Decode(&hello); err != nil || hello.Op != "hello" {
		return 2
	}
	// The host writes through copies of stdout and stderr: an input that
	// closes os.Stdout closes its own, and the REPL still shows values.
	w := &sessionWorker{
		out: &switchWriter{w: dupFile(os.Stdout)}, errw: &switchWriter{w: dupFile(os.Stderr)},
		enc: json.NewEncoder(os.NewFile(5, "responses")), ids: map[int]int{},
	}
	w.h = New(Options{Stdout: w.out, Stderr: w.errw, OutDir: hello.OutDir, Seed: hello.Seed, Args: hello.Args})
	reqs := make(chan request)
	go w.read(dec, reqs)
	for req := range reqs {
		var resp response
		switch req.Op {
		case "eval":
			resp = w.eval(req)
		case "stop":
			resp = w.stop()
		default:
			continue
		}
		if err := w.enc.Encode(resp); err != nil {
			return 2
		}
	}
	return 0
}

// read passes requests on, but acts on a cancel at once: an input is
// running then.
func (w *sessionWorker) read(dec *json.Decoder, reqs chan<- request) {
	defer close(reqs)
	for {
		var req request
		if err := dec.Decode(&req); err != nil {
			return
		}
		if req.Op == "cancel" {
			w.mu.Lock()
			if w.cancel != nil {
				w.cancel()
			}
			w.mu.Unlock()
			continue
		}
		reqs <- req
	}
}

func (w *sessionWorker) eval(req request) response {
	ctx, cancel := context.WithCancel(context.Background())
	w.mu.Lock()
	w.cancel = cancel
	w.mu.Unlock()
	defer func() {
		w.mu.Lock()
		w.cancel = nil
		w.mu.Unlock()
		cancel()
	}()
	if req.Quiet {
		w.quiet(true)
		defer w.quiet(false)
	}
	v, done, err := w.h.EvalChunks(ctx, req.Src)
	w.ids[w.h.input] = req.ID
	if err == nil && !req.Quiet && v.IsValid() && v.CanInterface() {
		display.Show(v.Interface())
	}
	resp := response{ID: req.ID, Done: done, Broken: w.h.Broken()}
	resp.Running, resp.From = w.from()
	var ee *ExitError
	var e *Error
	switch {
	case errors.As(err, &ee):
		resp.Exit = &ee.Code
	case errors.As(err, &e):
		resp.Err, resp.Kind = e.Msg, e.Kind
	case err != nil:
		resp.Err, resp.Kind = err.Error(), "error"
	}
	return resp
}

// stop stops the goroutines inputs left running and says how many are
// left, how many of those are not blocked, and which inputs started them.
func (w *sessionWorker) stop() response {
	left := w.h.StopGoroutines(time.Second)
	resp := response{Running: left}
	if left == 0 {
		return resp
	}
	var buf []byte
	for _, g := range snapshot(&buf) {
		if containsAny(g.stack, []string{"(*Host).guard"}) && !g.asleep() {
			resp.Active++
		}
	}
	_, resp.From = w.from()
	return resp
}

// from returns how many goroutines inputs left running, and which inputs
// (the session's ids) started them.
func (w *sessionWorker) from() (int, []int) {
	n, evals := w.h.Goroutines()
	var ids []int
	for _, in := range evals {
		if id, ok := w.ids[in]; ok {
			ids = append(ids, id)
		}
	}
	return n, ids
}

// quiet silences everything an input could write, for a replay: the
// host's writers, and os.Stdout and os.Stderr, which scripts can reach.
func (w *sessionWorker) quiet(on bool) {
	w.out.set(on)
	w.errw.set(on)
	if on {
		null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err == nil {
			w.saved = [2]*os.File{os.Stdout, os.Stderr}
			os.Stdout, os.Stderr = null, null
		}
		return
	}
	if w.saved[0] != nil {
		null := os.Stdout
		os.Stdout, os.Stderr = w.saved[0], w.saved[1]
		w.saved = [2]*os.File{}
		null.Close()
	}
}

// switchWriter is a writer that can be turned off.
type switchWriter struct {
	mu  sync.Mutex
	w   io.Writer
	off bool
}

func (s *switchWriter) set(off bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.off = off
}

func (s *switchWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	off := s.off
	s.mu.Unlock()
	if off {
		return len(p), nil
	}
	return s.w.Write(p)
}
