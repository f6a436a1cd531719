// Package brief writes values the short way people write them, for the
// texts of errors and tables inside the library.
package brief

import (
	"strings"
	"time"
)

// Duration is Go's form of d without its trailing zero units: 1h, 1m30s,
// 24h, not 1h0m0s.
func Duration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
