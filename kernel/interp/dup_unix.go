//go:build unix

package interp

import (
	"os"
	"syscall"
)

// dupFile returns a second descriptor for f, or f when there is none to
// be had.
func dupFile(f *os.File) *os.File {
	fd, err := syscall.Dup(int(f.Fd()))
	if err != nil {
		return f
	}
	return os.NewFile(uintptr(fd), f.Name())
}
