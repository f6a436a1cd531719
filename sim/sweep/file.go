package sweep

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
)

// A results file is JSON: a header (format, name, seed, reps, knobs,
// points, shard, and the names of the metrics, shares and histograms),
// then each point's latency histograms merged over the file's runs, in
// HdrHistogram's V2 compressed encoding (base64, which any HdrHistogram
// library reads), then the runs, one a line: a value per metric, null
// where the run reported none and "NaN" where it reported no value.
const format = "dsim-sweep/2"

type fileHeader struct {
	Format     string      `json:"format"`
	Name       string      `json:"name"`
	Seed       uint64      `json:"seed"`
	Reps       int         `json:"reps"`
	Knobs      []Knob      `json:"knobs"`
	Points     [][]float64 `json:"points,omitempty"`
	Shard      Shard       `json:"shard"`
	Metrics    []string    `json:"metrics"`
	Shares     []string    `json:"shares"`
	Histograms []string    `json:"histograms"`
}

type filePoint struct {
	Point      *int     `json:"point"`
	Histograms []string `json:"histograms"`
}

type fileRun struct {
	Run    *int              `json:"run"`
	Seed   *uint64           `json:"seed"`
	Values []json.RawMessage `json:"values"`
}

// parseValue reads a run's value of a metric: a number, "NaN" (reported,
// no value) or null (not reported: absent).
func parseValue(b []byte) (float64, error) {
	switch s := string(b); s {
	case "null":
		return absent, nil
	case `"NaN"`:
		return math.NaN(), nil
	default:
		v, err := strconv.ParseFloat(s, 64)
		switch {
		case s[0] == '"' || s[0] == '[' || s[0] == '{' || s == "true" || s == "false":
			return 0, fmt.Errorf("want a number, \"NaN\" or null")
		case err != nil:
			return 0, fmt.Errorf("must be finite (NaN for no value)")
		}
		return v, nil
	}
}

func appendValue(b []byte, v float64) []byte {
	switch {
	case isAbsent(v):
		return append(b, "null"...)
	case math.IsNaN(v):
		return append(b, `"NaN"`...)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// limitWriter refuses to write past MaxFileBytes, so no file is written
// that could not be read back, and stops when ctx is cancelled.
type limitWriter struct {
	ctx context.Context
	w   io.Writer
	n   int64
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if err := l.ctx.Err(); err != nil {
		return 0, err
	}
	if l.n += int64(len(p)); l.n > fileLimit {
		return 0, fmt.Errorf("the results file would pass %s (MaxFileBytes)", mib(fileLimit))
	}
	return l.w.Write(p)
}

// Encode writes the result as a results file.
func (r *Result) Encode(w io.Writer) error { return r.encode(context.Background(), w) }

func (r *Result) encode(ctx context.Context, w io.Writer) error {
	bw := bufio.NewWriter(&limitWriter{ctx: ctx, w: w})
	h := fileHeader{Format: format, Name: r.Spec.Name, Seed: r.Spec.Seed, Reps: r.Spec.Reps, Knobs: r.Spec.Knobs, Points: r.Spec.Points,
		Shard: r.Spec.Shard, Metrics: r.Metrics, Shares: r.Shares, Histograms: r.Histograms}
	for _, l := range []*[]string{&h.Metrics, &h.Shares, &h.Histograms} {
		if *l == nil {
			*l = []string{}
		}
	}
	head, err := json.MarshalIndent(h, "", " ")
	if err != nil {
		return err
	}
	bw.Write(head[:len(head)-2]) // all but "\n}"
	if err := r.encodeHists(bw); err != nil {
		return err
	}
	bw.WriteString("\n ],\n \"runs\": [")
	sep := "\n  "
	var line []byte
	for k, vals := range r.runs {
		if vals == nil {
			continue
		}
		p := r.Points[k/r.Spec.Reps]
		line = fmt.Appendf(line[:0], `%s{"run": %d, "seed": %d, "values": [`, sep, k, RunSeed(r.Spec.Seed, p.Values, k%r.Spec.Reps))
		for i, v := range vals {
			if i > 0 {
				line = append(line, ", "...)
			}
			line = appendValue(line, v)
		}
		line = append(line, "]}"...)
		if _, err := bw.Write(line); err != nil {
			return err
		}
		sep = ",\n  "
	}
	bw.WriteString("\n ]\n}\n")
	return bw.Flush()
}

// encodeHists writes each point's histograms, one point a line.
func (r *Result) encodeHists(bw *bufio.Writer) error {
	bw.WriteString(",\n \"point_histograms\": [")
	sep := "\n  "
	for p, row := range r.hists {
		if len(row) == 0 {
			continue
		}
		line := fmt.Appendf(nil, `%s{"point": %d, "histograms": [`, sep, p)
		for i, ph := range row {
			if i > 0 {
				line = append(line, ", "...)
			}
			b := []byte{}
			if ph != nil {
				var err error
				if b, err = ph.Encode(); err != nil {
					return fmt.Errorf("sweep: encoding a histogram: %w", err)
				}
			}
			line = strconv.AppendQuote(line, string(b)) // base64: nothing to escape
		}
		bw.Write(append(line, "]}"...))
		sep = ",\n  "
	}
	return nil
}

// WriteFile writes the results file at path.
func (r *Result) WriteFile(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := r.Encode(f); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

// FileName is the name of the result's file: NAME.json, or for a shard
// NAME.shard-i-of-n.json.
func (r *Result) FileName() string {
	if r.Spec.Shard.N > 1 {
		return ShardFileName(r.Spec.Name, r.Spec.Shard)
	}
	return r.Spec.Name + ".json"
}

// Save writes the results file into the folder dir (made if need be) as
// FileName, and gives its path. It writes nothing outside dir: the name is
// checked (Spec.Validate) and the file is made through an os.Root, which
// refuses to leave dir, even by a symbolic link. The file appears whole or
// not at all (written aside, then renamed), also when ctx stops it.
func (r *Result) Save(ctx context.Context, dir string) (string, error) {
	name := r.FileName()
	if msg := checkName(r.Spec.Name); msg != "" {
		return "", fmt.Errorf("sweep: %w", bad("Name", quote(r.Spec.Name), msg))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return "", err
	}
	defer root.Close()
	tmp := "." + name + ".partial"
	f, err := root.Create(tmp)
	if err != nil {
		return "", err
	}
	err = r.encode(ctx, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// Both names are checked, without separators: the rename stays in
		// dir, and replaces a symbolic link at name rather than following it.
		err = os.Rename(filepath.Join(dir, tmp), filepath.Join(dir, name))
	}
	if err != nil {
		root.Remove(tmp)
		return "", err
	}
	return filepath.Join(dir, name), nil
}

// ShardFileName is where a shard's results go: name.shard-i-of-n.json.
func ShardFileName(name string, s Shard) string {
	return fmt.Sprintf("%s.shard-%d-of-%d.json", name, s.I, s.N)
}
