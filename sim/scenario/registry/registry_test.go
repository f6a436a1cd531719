package registry_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dsim/sim/scenario"
	"dsim/sim/scenario/registry"
	"dsim/sim/sweep"
)

var update = flag.Bool("update", false, "rewrite the generated knob tables of the scenarios' doc.go and the README")

// Every scenario is complete: a package named after it, presets that
// validate, and every Config field a knob, the seed or a declared other.
func TestEveryScenarioKeepsTheContract(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range registry.All() {
		if seen[s.Name] {
			t.Errorf("%s is registered twice", s.Name)
		}
		seen[s.Name] = true
		if s.Purpose == "" || s.Knobs == nil || s.Run == nil || s.Validate == nil || s.Config == nil || len(s.Presets) == 0 {
			t.Errorf("%s: incomplete descriptor", s.Name)
			continue
		}
		if s.Knobs.Scenario() != s.Name {
			t.Errorf("%s: its knob table calls itself %s", s.Name, s.Knobs.Scenario())
		}
		if _, err := os.Stat(filepath.Join("..", s.Name, "doc.go")); err != nil {
			t.Errorf("%s: the package is not sim/scenario/%s: %v", s.Name, s.Name, err)
		}
		def, err := s.Preset("")
		if err != nil || s.Validate(def) != nil {
			t.Errorf("%s: the defaults do not validate: %v %v", s.Name, err, s.Validate(def))
		}
		for _, p := range s.Presets {
			cfg, err := s.Preset(p.Name)
			if err == nil {
				err = s.Validate(cfg)
			}
			if err != nil {
				t.Errorf("%s: preset %s: %v", s.Name, p.Name, err)
			}
		}
		if _, err := s.Preset("no-such-preset"); err == nil || !strings.Contains(err.Error(), s.Presets[0].Name) {
			t.Errorf("%s: an unknown preset should list the known ones: %v", s.Name, err)
		}
	}
}

// Every knob of every scenario reaches everywhere from its one
// declaration: a flag the table finds, a sweep knob that sets it, a
// documented unit, default and range, and a row in the generated tables.
func TestEveryKnobIsEverywhere(t *testing.T) {
	readme := read(t, filepath.Join("..", "..", "..", "README.md"))
	for _, s := range registry.All() {
		doc := read(t, filepath.Join("..", s.Name, "doc.go"))
		table := s.Knobs.Doc()
		for i, k := range s.Knobs.Knobs() {
			if got, ok := s.Knobs.Lookup(k.Flag()); !ok || got.Name != k.Name {
				t.Errorf("%s: -%s does not find %s", s.Name, k.Flag(), k.Name)
			}
			for _, a := range k.Aliases {
				if got, ok := s.Knobs.Lookup(a); !ok || got.Name != k.Name {
					t.Errorf("%s: alias -%s does not find %s", s.Name, a, k.Name)
				}
			}
			if k.Doc == "" || k.UnitText() == "" || k.DefaultText() == "" || k.RangeText() == "" {
				t.Errorf("%s: %s lacks a doc, unit, default or range", s.Name, k.Name)
			}
			if row := table.Rows[i]; row[0] != k.Name {
				t.Errorf("%s: knob table row %d is %v, want %s", s.Name, i, row[0], k.Name)
			}
			line := "|" + strings.Join(cells(table.Rows[i]), "|") + "|"
			if !strings.Contains(compact(doc), compact(line)) {
				t.Errorf("%s: doc.go lacks the row of %s (go test ./sim/scenario/registry -update)", s.Name, k.Name)
			}
			if !strings.Contains(compact(readme), compact(line)) {
				t.Errorf("%s: README.md lacks the row of %s (go test ./sim/scenario/registry -update)", s.Name, k.Name)
			}
			checkSweepKnob(t, s, k)
		}
	}
}

// checkSweepKnob sweeps one value of k (its default, or the first choice)
// through the scenario's spec check, which sets it on a copy of the
// defaults and validates the result.
func checkSweepKnob(t *testing.T, s scenario.Scenario, k scenario.Knob) {
	t.Helper()
	def, _ := s.Preset("")
	cfg, _ := s.Copy(def)
	text, err := s.Knobs.Get(cfg, k.Name)
	if err != nil {
		t.Errorf("%s: Get %s: %v", s.Name, k.Name, err)
		return
	}
	if err := s.Knobs.Set(cfg, k.Name, text); err != nil && !(k.Kind == scenario.Text && text == "none") {
		t.Errorf("%s: %s does not read back its own text %q: %v", s.Name, k.Name, text, err)
	}
	if k.Labelled() {
		return // a label knob is checked through Set above
	}
	_, err = s.Sweep(context.Background(), def, sweep.Spec{Reps: 1, Knobs: []sweep.Knob{{Name: k.Name, Values: []float64{-1e300}}}})
	if k.Kind != scenario.Switch && (err == nil || !strings.Contains(err.Error(), k.Name+"=")) {
		t.Errorf("%s: a sweep of %s to -1e300 should be refused naming it: %v", s.Name, k.Name, err)
	}
}

// A knob added to a table appears in the flags, the sweep knobs and the
// documented table, with no other edit.
func TestANewKnobReachesEverything(t *testing.T) {
	type cfg struct {
		Seed  uint64
		Speed float64
		Extra int
	}
	base := scenario.NewTable("toy", cfg{}, []string{"Extra: not a knob yet"}, scenario.Num("Speed", "m/s", "how fast", 1, 0.1, 10))
	more := scenario.NewTable("toy", cfg{}, nil, scenario.Num("Speed", "m/s", "how fast", 1, 0.1, 10),
		scenario.Int("Extra", "things", "a knob added later", 3, 1, 9).Alias("x"))
	if _, ok := base.Lookup("extra"); ok {
		t.Fatal("the base table knows Extra")
	}
	c := cfg{}
	if err := more.Defaults(&c); err != nil || c.Extra != 3 {
		t.Fatalf("default: %v %+v", err, c)
	}
	if err := more.Set(&c, "x", "7"); err != nil || c.Extra != 7 {
		t.Fatalf("flag alias: %v %+v", err, c)
	}
	if err := more.SetValue(&c, "Extra", 5, ""); err != nil || c.Extra != 5 {
		t.Fatalf("sweep value: %v %+v", err, c)
	}
	if err := more.Set(&c, "extra", "10"); err == nil || err.Error() != "toy: Extra=10: must be between 1 and 9 things" {
		t.Fatalf("range: %v", err)
	}
	if doc := more.Doc().Markdown(); !strings.Contains(doc, "| Extra | -extra | things | 3 | 1 to 9 | a knob added later |") {
		t.Fatalf("doc row missing:\n%s", doc)
	}
}

// The generated sections: each scenario's doc.go ends with its knob table,
// and the README lists the scenarios with theirs.
func TestGeneratedDocs(t *testing.T) {
	for _, s := range registry.All() {
		path := filepath.Join("..", s.Name, "doc.go")
		old := read(t, path)
		want := withKnobSection(old, s)
		if old != want {
			if *update {
				if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			t.Errorf("%s: the knob table in doc.go is stale: go test ./sim/scenario/registry -update", path)
		}
	}
	path := filepath.Join("..", "..", "..", "README.md")
	old := read(t, path)
	want, err := withScenarioSection(old)
	if err != nil {
		t.Fatal(err)
	}
	if old != want {
		if *update {
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("README.md's scenario section is stale: go test ./sim/scenario/registry -update")
	}
}

const knobHeading = "// # Knobs\n"

// withKnobSection replaces (or adds) the doc comment's last section, the
// knob table, just before the package clause.
func withKnobSection(doc string, s scenario.Scenario) string {
	pkg := strings.Index(doc, "\npackage ")
	head, tail := doc[:pkg+1], doc[pkg+1:]
	if i := strings.Index(head, knobHeading); i >= 0 {
		head = head[:i]
	} else {
		head += "//\n"
	}
	var b strings.Builder
	b.WriteString(head)
	b.WriteString(knobHeading)
	b.WriteString("//\n")
	fmt.Fprintf(&b, "// Every field of Config is a knob of this table, or named below it\n")
	fmt.Fprintf(&b, "// (generated from the knob table: go test ./sim/scenario/registry -update).\n")
	b.WriteString("// A flag is -NAME on the command line (dsim " + s.Name + " -h); a sweep\n")
	b.WriteString("// knob takes the Name.\n//\n")
	for _, line := range strings.Split(strings.TrimRight(markdown(s.Knobs), "\n"), "\n") {
		b.WriteString("//\t" + line + "\n")
	}
	if others := s.Knobs.Others(); len(others) > 0 {
		b.WriteString("//\n// Set in Go only: " + strings.Join(others, "; ") + ".\n")
	}
	b.WriteString(tail)
	return b.String()
}

const (
	readmeBegin = "<!-- scenarios: generated by go test ./sim/scenario/registry -update -->\n"
	readmeEnd   = "<!-- end of scenarios -->\n"
)

// withScenarioSection replaces the README's generated scenario section.
func withScenarioSection(readme string) (string, error) {
	i, j := strings.Index(readme, readmeBegin), strings.Index(readme, readmeEnd)
	if i < 0 || j < i {
		return "", fmt.Errorf("README.md lacks the markers %q and %q", strings.TrimSpace(readmeBegin), strings.TrimSpace(readmeEnd))
	}
	var b strings.Builder
	b.WriteString("| scenario | what it asks | presets |\n| --- | --- | --- |\n")
	for _, s := range registry.All() {
		fmt.Fprintf(&b, "| `dsim %s` | %s | %s |\n", s.Name, s.Purpose, strings.Join(s.PresetNames(), ", "))
	}
	for _, s := range registry.All() {
		fmt.Fprintf(&b, "\n<details><summary>%s: every knob (flag, unit, default, range)</summary>\n\n", s.Name)
		b.WriteString(markdown(s.Knobs))
		b.WriteString("\n</details>\n")
	}
	return readme[:i+len(readmeBegin)] + b.String() + readme[j:], nil
}

// markdown is the knob table as Markdown rows, without its title and notes.
func markdown(t *scenario.Table) string {
	doc := t.Doc()
	var b strings.Builder
	b.WriteString("| " + strings.Join(doc.Columns, " | ") + " |\n")
	b.WriteString("|" + strings.Repeat(" --- |", len(doc.Columns)) + "\n")
	for _, row := range doc.Rows {
		b.WriteString("| " + strings.Join(cells(row), " | ") + " |\n")
	}
	return b.String()
}

func cells(row []any) []string {
	out := make([]string, len(row))
	for i, c := range row {
		out[i] = strings.ReplaceAll(fmt.Sprint(c), "|", "\\|")
	}
	return out
}

// compact drops spaces and comment markers, so a row matches however it
// is laid out.
func compact(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '/' || r == '\n' {
			return -1
		}
		return r
	}, s)
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Every scenario of the registry has a fuzz target of its own.
func TestEveryScenarioIsFuzzed(t *testing.T) {
	src := read(t, "fuzz_test.go")
	for _, name := range registry.Names() {
		if !strings.Contains(src, "fuzzScenario(f, \""+name+"\"") {
			t.Errorf("%s has no fuzz target in fuzz_test.go: add func Fuzz...(f *testing.F) { fuzzScenario(f, %q) }", name, name)
		}
	}
}
