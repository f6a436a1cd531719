// Package notebooks holds the course's lessons as GoNB notebooks; its test
// executes every one of them headless.
package notebooks

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

type notebook struct {
	Cells []struct {
		CellType       string            `json:"cell_type"`
		ExecutionCount *int              `json:"execution_count"`
		Outputs        []json.RawMessage `json:"outputs"`
		Source         any               `json:"source"`
	} `json:"cells"`
}

func lessons(t *testing.T) []string {
	files, _ := filepath.Glob("*.ipynb")
	if len(files) < 3 {
		t.Fatalf("found %d notebooks", len(files))
	}
	return files
}

// Notebooks are stored without outputs: the repository holds lessons, not
// one run of them.
func TestNotebooksStoredClean(t *testing.T) {
	for _, f := range lessons(t) {
		var nb notebook
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &nb); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for i, c := range nb.Cells {
			if len(c.Outputs) > 0 || c.ExecutionCount != nil {
				t.Errorf("%s: cell %d is stored with outputs; clear them (Cell > All Output > Clear) before committing", f, i)
			}
		}
	}
}

// runner executes a notebook with nbclient and prints, per cell, its
// errors and the MIME types of its outputs, as JSON.
const runner = `
import json, sys, nbformat, nbclient
src, dst = sys.argv[1], sys.argv[2]
nb = nbformat.read(src, as_version=4)
nbclient.NotebookClient(nb, timeout=300, kernel_name="gonb", allow_errors=True).execute()
nbformat.write(nb, dst)
report = []
for c in nb.cells:
    if c.cell_type != "code":
        continue
    errors, kinds = [], []
    for o in c.outputs:
        t = o.get("output_type")
        if t == "error":
            errors.append(o.get("ename", "") + ": " + o.get("evalue", ""))
        elif t == "stream" and o.get("name") == "stderr":
            errors.append(o.get("text", ""))
        elif t in ("display_data", "execute_result"):
            data = o.get("data", {})
            kinds.extend(data.keys())
            # display.Show of an error: a lesson shows one only on purpose,
            # and then says so in the cell.
            if data.get("text/markdown", "").startswith("**error:**") and "on purpose" not in c.source:
                errors.append(data["text/markdown"])
    report.append({"errors": errors, "kinds": kinds})
print(json.dumps(report))
`

// mode is how the tests were started (DSIM_TEST, set by the Makefile):
// "full" by make test, which installs the tooling first, so that a missing
// tool is a failure; "quick" by make quick, which skips the notebooks;
// empty by a plain go test, which runs them when the tooling is there.
var mode = os.Getenv("DSIM_TEST")

// missing ends a test whose tooling is missing: a failure under make
// test, a skip that says how to get it otherwise.
func missing(t *testing.T, what string) {
	t.Helper()
	if mode == "full" {
		t.Fatalf("%s, though make test installs it first (bash .ci/deps)", what)
	}
	t.Skipf("%s; skipping (make notebook-install installs it, make test installs it and runs this test)", what)
}

// ExecutedDir, when set, keeps the executed notebooks (for the browser test).
var executedDir = os.Getenv("DSIM_EXECUTED_NOTEBOOKS")

// Every lesson runs headless without an error output and shows at least
// two figures.
func TestNotebooksExecute(t *testing.T) {
	if mode == "quick" {
		t.Skip("make quick skips the notebooks (make test runs them)")
	}
	// The kernel is registered in the repository's own Jupyter folder.
	data, err := filepath.Abs(filepath.Join("..", ".tools", "jupyter"))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("JUPYTER_DATA_DIR", data)
	if _, err := os.Stat("/usr/bin/jupyter"); err != nil || exec.Command("/usr/bin/python3", "-c", "import nbclient").Run() != nil || exec.Command("/usr/bin/jupyter", "kernelspec", "list").Run() != nil {
		missing(t, "Jupyter or nbclient is not installed")
	}
	if out, _ := exec.Command("/usr/bin/jupyter", "kernelspec", "list").Output(); !strings.Contains(string(out), "gonb") {
		missing(t, "the GoNB kernel is not registered")
	}
	dir := executedDir
	if dir == "" {
		dir = t.TempDir()
	}
	for _, f := range lessons(t) {
		t.Run(f, func(t *testing.T) {
			// Each lesson has its own kernel: two run at once on two cores
			// (go test -parallel, GOMAXPROCS by default).
			t.Parallel()
			cmd := exec.Command("/usr/bin/python3", "-c", runner, f, filepath.Join(dir, f))
			cmd.Env = append(os.Environ(), "PYDEVD_DISABLE_FILE_VALIDATION=1")
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("nbclient: %v\n%s", err, out)
			}
			var report []struct {
				Errors []string `json:"errors"`
				Kinds  []string `json:"kinds"`
			}
			if err := json.Unmarshal(out, &report); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			images := 0
			for i, c := range report {
				for _, e := range c.Errors {
					t.Errorf("code cell %d: %s", i+1, e)
				}
				for _, k := range c.Kinds {
					if strings.HasPrefix(k, "image/") {
						images++
					}
				}
			}
			if images < 2 {
				t.Errorf("%d figures shown, want at least 2", images)
			}
		})
	}
}
