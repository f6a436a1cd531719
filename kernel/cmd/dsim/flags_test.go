package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// A bad flag of a command is one line naming the flag and what it wants,
// exit 2, without the list of flags; -h prints that list and exits 0.
func TestFlagErrorsAreOneLine(t *testing.T) {
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"run", "-timeout", "1e309s", "x.go"}, "dsim: -timeout=1e309s: not a duration from 0 to 2562047h, such as 30s or 5m\n"},
		{[]string{"run", "-mem", "0", "x.go"}, "dsim: -mem=0: size \"0\" must be positive\n"},
		{[]string{"run", "-timout", "1s", "x.go"}, "dsim: unknown flag -timout; did you mean -timeout? (dsim run -h lists the flags)\n"},
		{[]string{"run", "-seed", "-3", "x.go"}, "dsim: -seed=-3: not a whole number from 0\n"},
		{[]string{"explore", "-runz", "3"}, "dsim: unknown flag -runz; did you mean -runs? (dsim explore -h lists the flags)\n"},
	} {
		var out, errs bytes.Buffer
		code := run(context.Background(), c.args, &out, &errs)
		if code != 2 || errs.String() != c.says {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, errs.String(), c.says)
		}
	}
	var out, errs bytes.Buffer
	if code := run(context.Background(), []string{"run", "-h"}, &out, &errs); code != 0 || !strings.Contains(errs.String(), "-timeout duration") {
		t.Errorf("run -h: exit %d, stderr %q; want 0 and the flags", code, errs.String())
	}
}
