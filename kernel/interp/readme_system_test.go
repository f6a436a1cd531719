package interp

import (
	"context"
	"os"
	"strings"
	"testing"
)

// The README's system of one's own runs as written, in a script, and
// shows its table and both figures.
func TestREADMESystem(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	at := strings.Index(text, "A system of one's own, from the components")
	if at < 0 {
		t.Fatal("README.md has no system of one's own")
	}
	block := text[at:]
	from := strings.Index(block, "```go\n")
	to := strings.Index(block[from+6:], "```")
	if from < 0 || to < 0 {
		t.Fatal("README.md: the system of one's own has no go block")
	}
	code := block[from+6 : from+6+to]
	if n := strings.Count(strings.TrimSpace(code), "\n") + 1; n >= 25 {
		t.Errorf("the README's system takes %d lines; the issue promises under 25", n)
	}
	h, out, errb := newTestHost(t)
	src := `import (
	"context"
	"time"

	"dsim/kernel/display"
	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/service"
	"dsim/sim/viz"
)
ctx := context.Background()
` + code + `
if err != nil { panic(err) }
_ = app
`
	if _, err := h.Eval(context.Background(), src); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	for _, want := range []string{"Components: 2m0s of virtual time", "requests-a-second.svg", "latency-from-the-first-attempt.svg"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the output lacks %q:\n%s", want, out.String())
		}
	}
}
