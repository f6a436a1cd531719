package interp

import (
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		err  string
	}{
		{"1.5GiB", 1536 << 20, ""},
		{"512MiB", 512 << 20, ""},
		{"2G", 2 << 30, ""},
		{"512m", 512 << 20, ""},
		{"1GB", 1e9, ""},
		{"300000000", 300000000, ""},
		{" 4 GiB ", 4 << 30, ""},
		{"lots", 0, `"lots" is not a size`},
		{"2Gi", 0, "not a size"},
		{"-1G", 0, "must be positive"},
		{"0", 0, "must be positive"},
		{"1e30TiB", 0, "too large"},
		{"NaNGiB", 0, "not a size"},
		{"", 0, "not a size"},
	} {
		got, err := ParseSize(c.in)
		if c.err == "" && (err != nil || got != c.want) || c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("ParseSize(%q) = %d, %v; want %d, %q", c.in, got, err, c.want, c.err)
		}
	}
}

func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"1.5GiB", "2G", "512", "x", "1e3KB", " 7 MiB"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseSize(s)
		if err == nil && n <= 0 {
			t.Fatalf("ParseSize(%q) = %d without an error", s, n)
		}
		if err == nil && n > 0 {
			if back, err := ParseSize(FormatSize(n)); err != nil || back <= 0 {
				t.Fatalf("FormatSize(%d) = %q does not parse: %v", n, FormatSize(n), err)
			}
		}
	})
}

func TestFormatSizeAndLimits(t *testing.T) {
	for n, want := range map[int64]string{1536 << 20: "1.5 GiB", 128 << 20: "128 MiB", 1000: "1000 B", 1 << 40: "1 TiB"} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
	if s := (Limits{}).Stack(); s != 128<<20 {
		t.Errorf("default stack %d", s)
	}
	if s := (Limits{Memory: 64 << 30}).Stack(); s != 1<<30 {
		t.Errorf("stack of a 64 GiB limit: %d, want Go's 1 GiB", s)
	}
	if err := (Limits{Memory: 100 << 20}).Validate(); err == nil || !strings.Contains(err.Error(), "Memory=100 MiB: must be at least 256 MiB") {
		t.Errorf("Validate: %v", err)
	}
}
