package interp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// Session evaluates REPL input in a worker process (see Main), whose
// state persists across inputs. Go cannot recover from running out of
// stack or memory, so the worker dies in the REPL's place; the session
// then starts another and silently replays the pieces of input that
// succeeded before, which restores their state. A replay runs them again:
// a slow simulation is slow again, and what read the clock or an unseeded
// random source gets new values.
type Session struct {
	opts    Options
	lim     Limits
	w       *proc
	reqW    *os.File
	respR   *os.File
	enc     *json.Encoder
	dec     *json.Decoder
	log     []logged // the pieces to replay, in order
	logSize int
	lost    bool // the log outgrew maxLog: a restart cannot restore
	nextID  int
	running int          // goroutines inputs left running, at the last answer
	alive   map[int]bool // the inputs that started them
	killed  bool         // the session killed its worker
}

type logged struct {
	id  int
	src string
}

// maxLog bounds the input a session keeps to replay.
const maxLog = 8 << 20

// NewSession starts a session's worker. opts.Stdout and opts.Stderr get
// the inputs' output; when they are files (a terminal) the worker writes
// to them itself, so output is in order with what the caller writes after
// Eval returns.
func NewSession(opts Options, lim Limits) (*Session, error) {
	if opts.Stdout == nil {
		opts.Stdout = os.Stdout
	}
	if opts.Stderr == nil {
		opts.Stderr = os.Stderr
	}
	s := &Session{opts: opts, lim: lim}
	if err := s.start(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Session) start() error {
	reqR, reqW, err := os.Pipe()
	if err != nil {
		return err
	}
	respR, respW, err := os.Pipe()
	if err != nil {
		reqR.Close()
		reqW.Close()
		return err
	}
	w, err := startProc("session", nil, s.lim, nil, s.opts.Stdout, s.opts.Stderr, []*os.File{reqR, respW})
	reqR.Close()
	respW.Close()
	if err != nil {
		reqW.Close()
		respR.Close()
		return err
	}
	s.w, s.reqW, s.respR, s.killed = w, reqW, respR, false
	s.enc, s.dec = json.NewEncoder(reqW), json.NewDecoder(respR)
	return s.enc.Encode(request{Op: "hello", OutDir: s.opts.OutDir, Seed: s.opts.Seed, Args: s.opts.Args})
}

// Close ends the worker.
func (s *Session) Close() {
	s.reqW.Close()
	select {
	case <-s.w.exited:
	case <-time.After(2 * time.Second):
		_ = s.w.cmd.Process.Kill()
	}
	s.w.wait()
	s.respR.Close()
}

// Running returns how many goroutines that inputs started were still
// running at the end of the last one.
func (s *Session) Running() int { return s.running }

// Eval evaluates one input; cancelling ctx interrupts it. It returns nil,
// an *ExitError for os.Exit, or an *Error to show. When the worker died
// (out of stack or memory), or did not stop when interrupted, the error
// says so and that the state was restored.
func (s *Session) Eval(ctx context.Context, src string) error {
	select {
	case <-s.w.exited:
		// A goroutine left running killed the worker at the prompt.
		s.w.wait()
		msg := "the interpreter died after the last input"
		var e *Error
		if errors.As(s.w.crashError("a goroutine left running", false), &e) {
			msg = e.Msg
		}
		// The goroutines left running did it: replay without the inputs
		// that started them.
		n := len(s.alive)
		restored := s.restore(ctx, s.alive)
		if n > 0 {
			restored += ", without the " + plural(n, "input") + " whose goroutines were running"
		}
		return &Error{Msg: msg + "; " + restored + "; the input was not run", Kind: "crash"}
	default:
	}
	s.nextID++
	id := s.nextID
	resp, err := s.ask(ctx, request{Op: "eval", ID: id, Src: src})
	if err != nil {
		return s.died(ctx)
	}
	s.record(id, resp.Done)
	s.setRunning(resp)
	if resp.Broken {
		msg := "the interpreter did not recover from the input and was restarted; " + s.restore(ctx, nil)
		if err := resp.err(); err != nil {
			msg = err.Error() + "; " + msg
		}
		return &Error{Msg: msg, Kind: "crash"}
	}
	return resp.err()
}

func (s *Session) setRunning(r response) {
	s.running = r.Running
	s.alive = map[int]bool{}
	for _, id := range r.From {
		s.alive[id] = true
	}
}

func (r response) err() error {
	switch {
	case r.Exit != nil:
		return &ExitError{Code: *r.Exit}
	case r.Err != "":
		return &Error{Msg: r.Err, Kind: r.Kind}
	}
	return nil
}

func (s *Session) record(id int, done []string) {
	for _, d := range done {
		if s.logSize += len(d); s.logSize > maxLog {
			s.lost = true
		}
		if !s.lost {
			s.log = append(s.log, logged{id: id, src: d})
		}
	}
}

// ask sends a request and waits for the answer. Cancelling ctx sends a
// cancel; a worker that has not answered killGrace later is killed.
func (s *Session) ask(ctx context.Context, req request) (response, error) {
	if err := s.enc.Encode(req); err != nil {
		_ = s.w.cmd.Process.Kill()
		return response{}, err
	}
	type result struct {
		resp response
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		var r response
		err := s.dec.Decode(&r)
		ch <- result{r, err}
	}()
	done := ctx.Done()
	var kill <-chan time.Time
	for {
		select {
		case r := <-ch:
			return r.resp, r.err
		case <-done:
			done = nil
			_ = s.enc.Encode(request{Op: "cancel"})
			t := time.NewTimer(killGrace)
			defer t.Stop()
			kill = t.C
		case <-kill:
			kill = nil
			s.killed = true
			_ = s.w.cmd.Process.Kill()
		}
	}
}

// died reports why the worker died during an input, starts another and
// restores the state.
func (s *Session) died(ctx context.Context) error {
	s.w.wait()
	msg, kind := "the interpreter exited", "crash"
	var e *Error
	switch err := s.w.crashError("the input", ctx.Err() != nil); {
	case s.killed:
		msg, kind = "interrupted; the input did not stop, so the interpreter was restarted", "interrupted"
	case errors.As(err, &e):
		msg, kind = e.Msg, e.Kind
	case err != nil:
		msg = "the interpreter ended: " + err.Error()
	}
	if ctx.Err() != nil {
		ctx = context.Background() // the person's interrupt is spent
	}
	return &Error{Msg: msg + "; " + s.restore(ctx, nil), Kind: kind}
}

// restore starts a new worker and replays the log into it, leaving out
// the inputs in drop; it says what it did.
func (s *Session) restore(ctx context.Context, drop map[int]bool) string {
	if s.w.state == nil {
		s.killed = true
		s.w.kill()
	}
	s.reqW.Close()
	s.respR.Close()
	s.running, s.alive = 0, nil
	if err := s.start(); err != nil {
		return "the interpreter could not be restarted: " + err.Error()
	}
	if s.lost {
		s.log, s.logSize, s.lost = nil, 0, false
		return "the state could not be restored (the session's input passed 8 MiB): it starts empty"
	}
	var kept []logged
	for _, e := range s.log {
		if !drop[e.id] {
			kept = append(kept, e)
		}
	}
	s.log = kept
	for i, e := range s.log {
		resp, err := s.ask(ctx, request{Op: "eval", ID: e.id, Src: e.src, Quiet: true})
		if err == nil && resp.Err == "" && resp.Exit == nil && !resp.Broken {
			continue
		}
		s.log = s.log[:i]
		why := "the interpreter died"
		if err == nil {
			why = resp.err().Error()
		}
		if err != nil || resp.Broken {
			if err := s.restartEmpty(); err != nil {
				return "the interpreter could not be restarted: " + err.Error()
			}
			s.log = nil
			return fmt.Sprintf("the state could not be restored: replaying %q failed (%s)", short(e.src), why)
		}
		return fmt.Sprintf("the state was restored up to %q, which failed when replayed (%s)", short(e.src), why)
	}
	if len(s.log) == 0 {
		return "it starts empty"
	}
	return fmt.Sprintf("the earlier state was restored (%s replayed)", plural(len(s.log), "input"))
}

func (s *Session) restartEmpty() error {
	s.w.kill()
	s.reqW.Close()
	s.respR.Close()
	return s.start()
}

// StopGoroutines stops what inputs left running in goroutines (see
// Host.StopGoroutines) and says what it did, or "" when nothing ran.
// Goroutines still running in compiled code a second later are stopped
// by restarting the worker and replaying the log without the inputs that
// started them.
func (s *Session) StopGoroutines(ctx context.Context) string {
	before := s.running
	if before == 0 {
		return ""
	}
	resp, err := s.ask(ctx, request{Op: "stop"})
	if err != nil {
		return s.died(ctx).Error()
	}
	s.setRunning(resp)
	if resp.Active == 0 {
		msg := plural(before-resp.Running, "goroutine") + " stopped"
		if resp.Running > 0 {
			msg += fmt.Sprintf("; %s blocked for good (they use no CPU)", plural(resp.Running, "goroutine"))
		}
		return msg
	}
	drop := map[int]bool{}
	for _, id := range resp.From {
		drop[id] = true
	}
	return fmt.Sprintf("%s stopped by restarting the interpreter; %s, without the %s that started them",
		plural(before, "goroutine"), s.restore(ctx, drop), plural(len(drop), "input"))
}

// Reset starts a fresh worker: every definition and goroutine is gone.
func (s *Session) Reset() error {
	s.killed = true
	s.w.kill()
	s.reqW.Close()
	s.respR.Close()
	s.log, s.logSize, s.lost, s.running, s.alive = nil, 0, false, 0, nil
	return s.start()
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// short shortens an input for a message.
func short(src string) string {
	src = strings.Join(strings.Fields(src), " ")
	if len(src) > 40 {
		return src[:37] + "..."
	}
	return src
}
