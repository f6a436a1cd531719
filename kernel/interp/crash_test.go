package interp

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// What the runtime writes as it ends a worker, read into one line.
func TestCrashExplained(t *testing.T) {
	for _, c := range []struct{ text, kind, say string }{
		{"runtime: goroutine stack exceeds 201326592-byte limit\nruntime: sp=0x1 stack=[0x1, 0x2]\nfatal error: stack overflow\n\nruntime stack:\n", "stack", "ran out of stack (limit 128 MiB)"},
		{"fatal error: runtime: out of memory\n\nruntime stack:\nruntime.throw()\n", "memory", "ran out of memory (limit 1 GiB"},
		{"fatal error: out of memory allocating heap arena metadata\n", "memory", "ran out of memory"},
		{"runtime/cgo: pthread_create failed: Resource temporarily unavailable\nSIGABRT: abort\n", "memory", "ran out of memory"},
		{"fatal error: concurrent map writes\n\ngoroutine 5 [running]:\n", "crash", "crashed: concurrent map writes: two goroutines used one map at once"},
		{"panic: boom [recovered]\n\ngoroutine 7 [running]:\nmain.f()\n", "crash", "crashed: panic: boom, in compiled code (DSIM_TRACE=1 shows"},
		{"fatal error: unexpected signal during runtime execution\n", "crash", "crashed: unexpected signal during runtime execution ("},
	} {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		var relay bytes.Buffer
		l := newCrashLog(r, &relay)
		w.WriteString("2026/01/02 03:04:05 a line of the standard logger\n" + c.text)
		w.Close()
		l.wait()
		msg, kind := l.explain(Limits{})
		if kind != c.kind || !strings.Contains(msg, c.say) {
			t.Errorf("%q: %q (%s), want %q (%s)", c.text, msg, kind, c.say, c.kind)
		}
		if relay.String() != "2026/01/02 03:04:05 a line of the standard logger\n" {
			t.Errorf("relayed %q", relay.String())
		}
	}
}
