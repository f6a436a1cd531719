package sweep

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits. A spec over them is refused before any run; a sweep whose results
// grow past MaxMemory stops with an error naming it; a results file over
// MaxFileBytes is neither written nor read.
const (
	MaxKnobs   = 64        // knobs in a spec
	MaxPoints  = 100_000   // points: the grid's size, or explicit points
	MaxRuns    = 1_000_000 // points × Reps
	MaxMetrics = 256       // metric names a sweep's runs report, and as many histogram names
	// MaxMemory bounds what a Result holds: about 25 bytes per run plus 8
	// per metric it reports, and per point each latency histogram in
	// HdrHistogram's packed form (5 to 12 bytes per bucket in use). Go's
	// collector lets the heap grow to about twice what is live, so a sweep
	// at the limit peaks at about 1 GiB.
	MaxMemory    = 512 << 20
	MaxFileBytes = 1 << 30 // a results file
)

const (
	maxText     = 200      // bytes in a knob, metric or histogram name, a label or a unit
	maxNameLen  = 100      // bytes in a sweep's name, which names its files
	maxEntry    = 64 << 20 // one entry of a results file: a header field, a run, a point's histograms
	percentMark = "(%)"    // a metric whose name ends so is a percentage
)

// mib prints a byte count for an error.
func mib(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// checkText refuses a name, label or unit that would garble a table or a
// terminal: empty (unless may be), too long, not UTF-8, or holding control
// characters (a results file from elsewhere could carry escape sequences).
func checkText(s string, empty bool) string {
	switch {
	case s == "" && !empty:
		return "must not be empty"
	case len(s) > maxText:
		return fmt.Sprintf("is %d bytes; the limit is %d", len(s), maxText)
	case !utf8.ValidString(s):
		return "is not UTF-8"
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return "holds control characters"
	}
	return ""
}

// checkName refuses a sweep name that is not safe as part of a file name:
// results files are NAME.json and NAME.shard-i-of-n.json under a folder.
func checkName(s string) string {
	if s == "" || len(s) > maxNameLen {
		return fmt.Sprintf("want 1 to %d characters", maxNameLen)
	}
	for i, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || i > 0 && (r == '-' || r == '_' || r == '.')
		if !ok {
			return "want letters, digits, '-', '_' and '.', starting with a letter or digit: the name names the results files"
		}
	}
	if strings.Contains(s, "..") {
		return `must not hold ".."`
	}
	return ""
}

func quote(s string) string {
	if len(s) > 60 {
		return strconv.Quote(s[:60]) + "..."
	}
	return strconv.Quote(s)
}
