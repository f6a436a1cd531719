package symbols

import (
	"os"
	"path/filepath"
	"testing"

	"dsim/kernel/symbols/internal/api"
)

// The generated tables are stale when the API of a package they were made
// from changed since: api.sum records the fingerprints at generation.
// (make symbols-check regenerates them for real and compares, in a minute.)
func TestSymbolsAreFresh(t *testing.T) {
	want, err := api.Sums(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("api.sum")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatalf("the Yaegi symbols are stale (an exported API changed): run go generate ./kernel/symbols (make symbols)\nrecorded:\n%s\nnow:\n%s", got, want)
	}
	for _, path := range api.Packages {
		if Symbols[path+"/"+filepath.Base(path)] == nil && !hasPrefixKey(path) {
			t.Errorf("no symbols for %s", path)
		}
	}
}

func hasPrefixKey(path string) bool {
	for k := range Symbols {
		if filepath.Dir(k) == path {
			return true
		}
	}
	return false
}
