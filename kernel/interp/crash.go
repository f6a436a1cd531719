package interp

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
)

// crashLog reads a worker's fd 2, where only the Go runtime writes: lines
// before a crash are passed on (the standard logger's, say), and from the
// first line of a fatal error or an unrecovered panic on they are kept
// (the first 64 KiB) for explain. DSIM_TRACE=1 passes everything on.
type crashLog struct {
	relay   io.Writer
	trace   bool
	mu      sync.Mutex
	text    bytes.Buffer
	crashed bool
	done    chan struct{}
}

const crashKeep = 64 << 10

func newCrashLog(r *os.File, relay io.Writer) *crashLog {
	c := &crashLog{relay: relay, trace: os.Getenv(traceEnv) != "", done: make(chan struct{})}
	go c.read(r)
	return c
}

func (c *crashLog) read(r *os.File) {
	defer close(c.done)
	defer r.Close()
	br := bufio.NewReaderSize(r, 16<<10)
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 {
			c.line(line)
		}
		if err != nil && err != bufio.ErrBufferFull {
			return
		}
	}
}

// yaegiLog is the line Yaegi's compiler logs (log.Panic) before it
// panics on code it does not support; the host explains the panic.
var yaegiLog = regexp.MustCompile(`^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d nil type\n$`)

func (c *crashLog) line(b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.crashed && crashStart(b) {
		c.crashed = true
	}
	if !c.crashed && !c.trace && yaegiLog.Match(b) {
		return
	}
	if c.trace || !c.crashed {
		_, _ = c.relay.Write(b)
	}
	if c.crashed && c.text.Len() < crashKeep {
		c.text.Write(b[:min(len(b), crashKeep-c.text.Len())])
	}
}

// wait waits until the worker's end of the pipe is closed.
func (c *crashLog) wait() { <-c.done }

var crashPrefixes = []string{
	"fatal error: ", "runtime: ", "runtime/cgo: ", "panic: ", "goroutine ", "unexpected signal",
	"SIGQUIT", "SIGABRT", "SIGSEGV", "SIGBUS", "SIGILL", "SIGFPE", "SIGTRAP", "SIGSYS",
}

// crashStart reports whether a line begins what the runtime writes as it
// ends a process.
func crashStart(line []byte) bool {
	for _, p := range crashPrefixes {
		if bytes.HasPrefix(line, []byte(p)) {
			return true
		}
	}
	return false
}

var oomSigns = []string{
	"out of memory", "cannot allocate memory", "pthread_create failed", "failed to reserve page summary",
	"newosproc", "mmap",
}

// explain says what the runtime's last words mean, in a few words that
// follow "the script" or "the input", and the kind of Error; or "" when
// the worker wrote none.
func (c *crashLog) explain(lim Limits) (msg, kind string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.crashed {
		return "", ""
	}
	t := c.text.String()
	first, _, _ := strings.Cut(t, "\n")
	fatal := ""
	for _, l := range strings.Split(t, "\n") {
		if strings.HasPrefix(l, "fatal error: ") {
			fatal = strings.TrimPrefix(l, "fatal error: ")
			break
		}
	}
	const seeTrace = " (" + traceEnv + "=1 shows the Go runtime's trace)"
	switch {
	case strings.Contains(t, "stack overflow") || strings.Contains(t, "stack exceeds"):
		return fmt.Sprintf("ran out of stack (limit %s): a recursion that does not end?", FormatSize(lim.Stack())), "stack"
	case containsAny(t, oomSigns):
		return fmt.Sprintf("ran out of memory (limit %s; -mem or %s raise it)", FormatSize(lim.Mem()), MemoryEnv), "memory"
	case strings.HasPrefix(fatal, "concurrent map"):
		return "crashed: " + fatal + ": two goroutines used one map at once; guard it with a sync.Mutex", "crash"
	case strings.HasPrefix(fatal, "all goroutines are asleep"):
		return "stopped: deadlock: all goroutines are asleep", "deadlock"
	case strings.HasPrefix(first, "panic: "):
		return "crashed: " + strings.TrimSuffix(first, " [recovered]") + ", in compiled code" + seeTrace, "crash"
	case fatal != "":
		return "crashed: " + fatal + seeTrace, "crash"
	}
	return "crashed: " + first + seeTrace, "crash"
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}
