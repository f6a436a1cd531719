package explore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"time"

	"dsim/sim/scenario"
	"dsim/sim/scenario/registry"
)

// Limits bound what the explorer spends on the pages it serves. Zero
// fields take the defaults.
type Limits struct {
	Runs       int           // runs at once (default: the number of CPUs)
	Wait       time.Duration // how long a request waits for a free slot before "busy" (default 2s)
	RunTime    time.Duration // wall time of one run (default 20s)
	CacheRuns  int           // finished runs kept (default 64)
	CacheBytes int64         // bytes of their rendered pages kept (default 64 MB)
}

func (l Limits) withDefaults() Limits {
	if l.Runs <= 0 {
		l.Runs = max(1, runtime.GOMAXPROCS(0))
	}
	if l.Wait <= 0 {
		l.Wait = 2 * time.Second
	}
	if l.RunTime <= 0 {
		l.RunTime = 20 * time.Second
	}
	if l.CacheRuns <= 0 {
		l.CacheRuns = 64
	}
	if l.CacheBytes <= 0 {
		l.CacheBytes = 64 << 20
	}
	return l
}

// Options configure a Server.
type Options struct {
	Limits
	// Scenarios are the scenarios served (default: the registry's).
	Scenarios []scenario.Scenario
	// Done, when set, gives every page a Done button that calls it: a
	// notebook cell's explorer ends the cell with it.
	Done func()
}

// Server is the explorer: an index of the scenarios and a page per
// scenario, over HTTP. It is an http.Handler; Serve runs it on a listener.
type Server struct {
	opts   Options
	byName map[string]scenario.Scenario
	run    *runner
	mux    *http.ServeMux

	mu   sync.Mutex
	last lastRun // the run a page last showed, for the notebook's record
	seen time.Time
}

type lastRun struct {
	scenario, query string
	report          *scenario.Report
}

// The waits of a request for its run: a page's first load waits longer so
// that it arrives complete; the page's script polls in short steps so that
// it can show progress.
const (
	pageWait = time.Second
	apiWait  = 400 * time.Millisecond
)

//go:embed assets
var assets embed.FS

// New returns an explorer over the registry's scenarios (or opts's).
func New(opts Options) *Server {
	opts.Limits = opts.Limits.withDefaults()
	if opts.Scenarios == nil {
		opts.Scenarios = registry.All()
	}
	s := &Server{opts: opts, byName: map[string]scenario.Scenario{}, run: newRunner(opts.Limits), mux: http.NewServeMux()}
	for _, sc := range opts.Scenarios {
		s.byName[sc.Name] = sc
	}
	static, _ := fs.Sub(assets, "assets")
	s.mux.Handle("/assets/", http.StripPrefix("/assets/", http.FileServer(http.FS(static))))
	s.mux.HandleFunc("/", s.index)
	s.mux.HandleFunc("/s/", s.page)
	s.mux.HandleFunc("/api/run/", s.apiRun)
	s.mux.HandleFunc("/api/compare/", s.apiCompare)
	s.mux.HandleFunc("/api/alive", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	s.mux.HandleFunc("/done", s.done)
	return s
}

// ServeHTTP answers every request with a page, a JSON answer or a short
// error message; a panic in a handler becomes a 500 with one line, never a
// trace sent to the visitor.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			log.Printf("dsim explore: %s %s: %v", r.Method, clip(r.URL.Path), p)
			errorPage(w, http.StatusInternalServerError, "the explorer failed on this request; it goes on serving others")
		}
	}()
	s.mu.Lock()
	s.seen = time.Now()
	s.mu.Unlock()
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	if r.Method != http.MethodGet && r.Method != http.MethodHead && !(r.Method == http.MethodPost && r.URL.Path == "/done") {
		errorPage(w, http.StatusMethodNotAllowed, "the explorer only answers GET")
		return
	}
	if len(r.URL.RawQuery) > maxQuery {
		errorPage(w, http.StatusRequestURITooLong, fmt.Sprintf("the address's query is %d bytes long; the explorer takes at most %d", len(r.URL.RawQuery), maxQuery))
		return
	}
	s.mux.ServeHTTP(w, r)
}

// Seen is when the server last answered a request.
func (s *Server) Seen() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen
}

// Last is the run a page last showed: its scenario, canonical query and
// report (nil before any).
func (s *Server) Last() (name, query string, rep *scenario.Report) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last.scenario, s.last.query, s.last.report
}

// Serve answers requests on l until ctx is done, then shuts down, giving
// requests in flight a moment to finish. Reading a request and writing an
// answer are bounded in time and headers in size.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: time.Minute, IdleTimeout: time.Minute, MaxHeaderBytes: 64 << 10,
		ErrorLog: log.New(discard{}, "", 0)}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = srv.Shutdown(shut)
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// scenarioOf finds the scenario a path names after its prefix.
func (s *Server) scenarioOf(w http.ResponseWriter, r *http.Request, prefix string) (scenario.Scenario, bool) {
	name := strings.TrimPrefix(r.URL.Path, prefix)
	sc, ok := s.byName[name]
	if !ok {
		names := make([]string, 0, len(s.opts.Scenarios))
		for _, x := range s.opts.Scenarios {
			names = append(names, x.Name)
		}
		errorPage(w, http.StatusNotFound, fmt.Sprintf("no scenario %s here (there are %s)", quote(name), strings.Join(names, ", ")))
	}
	return sc, ok
}

// outcome waits up to wait for the run r asks for: its result, or the job
// still computing it, or why it cannot start.
func (s *Server) outcome(ctx context.Context, r *request, wait time.Duration) (*result, *job, error) {
	res, j, err := s.run.start(ctx, r)
	if err != nil || res != nil {
		return res, nil, err
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-j.done:
		return j.res, nil, nil
	case <-t.C:
	case <-ctx.Done():
	}
	return nil, j, nil
}

// remember keeps the run a page showed last.
func (s *Server) remember(r *request, res *result) {
	if res == nil || res.report == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last = lastRun{scenario: r.sc.Name, query: res.query, report: res.report}
}

func (s *Server) done(w http.ResponseWriter, r *http.Request) {
	// The header keeps other sites' pages from ending the cell: a browser
	// sends it cross-origin only after a preflight this server refuses.
	if s.opts.Done == nil || r.Method != http.MethodPost || r.Header.Get("X-Dsim") != "done" {
		errorPage(w, http.StatusNotFound, "nothing to end here")
		return
	}
	w.WriteHeader(http.StatusNoContent)
	s.opts.Done()
}
