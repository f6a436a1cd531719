//go:build !unix

package interp

import "os"

// dupFile returns f: without dup, an input that closes os.Stdout closes
// the REPL's too.
func dupFile(f *os.File) *os.File { return f }
