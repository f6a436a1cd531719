package detect

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var figures = flag.String("figures", "", "write the trade-off figure as PNG into this directory")

func TestFigure(t *testing.T) {
	ladder := Ladder()
	conds := []Conditions{ladder[2], ladder[4], ladder[6]}
	tab, err := Sweep(ctx, Config{Detectors: Spectrum(DefaultInterval)}, conds, 3)
	if err != nil {
		t.Fatal(err)
	}
	f := Figure(tab, "Failure detection: detection time against false suspicions")
	png, err := f.PNG()
	if err != nil || len(png) == 0 {
		t.Fatalf("PNG: %d bytes, %v", len(png), err)
	}
	if *figures != "" {
		if err := os.WriteFile(filepath.Join(*figures, "detect-tradeoff.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
