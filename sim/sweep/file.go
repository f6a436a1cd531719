package sweep

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// fileFormat is a results file: the sweep's spec and the runs a shard
// made, metrics as numbers (null for none) and latency histograms in
// HdrHistogram's V2 compressed encoding (base64), which any HdrHistogram
// library reads.
type fileFormat struct {
	Format     string      `json:"format"`
	Name       string      `json:"name"`
	Seed       uint64      `json:"seed"`
	Reps       int         `json:"reps"`
	Knobs      []Knob      `json:"knobs"`
	Points     [][]float64 `json:"points,omitempty"`
	Shard      Shard       `json:"shard"`
	Metrics    []string    `json:"metrics"`
	Histograms []string    `json:"histograms,omitempty"`
	Shares     []string    `json:"shares,omitempty"`
	Runs       []fileRun   `json:"runs"`
}

type fileRun struct {
	Run    int        `json:"run"`
	Seed   uint64     `json:"seed"`
	Values []*float64 `json:"values"`
	Hists  []string   `json:"histograms,omitempty"`
}

const format = "dsim-sweep/1"

// Encode writes the result as a results file.
func (r *Result) Encode(w io.Writer) error {
	f := fileFormat{Format: format, Name: r.Spec.Name, Seed: r.Spec.Seed, Reps: r.Spec.Reps, Knobs: r.Spec.Knobs,
		Points: r.Spec.Points, Shard: r.Spec.Shard, Metrics: r.Metrics, Histograms: r.Histograms, Shares: r.Shares}
	for k, o := range r.runs {
		if o == nil {
			continue
		}
		fr := fileRun{Run: k, Seed: o.seed}
		for _, v := range o.values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				fr.Values = append(fr.Values, nil)
				continue
			}
			v := v
			fr.Values = append(fr.Values, &v)
		}
		for _, h := range o.hists {
			if h == nil {
				fr.Hists = append(fr.Hists, "")
				continue
			}
			b, err := h.Encode(hdr.V2CompressedEncodingCookieBase)
			if err != nil {
				return fmt.Errorf("sweep: encoding a histogram: %w", err)
			}
			fr.Hists = append(fr.Hists, string(b))
		}
		f.Runs = append(f.Runs, fr)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(f)
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
		return err
	}
	return f.Close()
}

// ShardFileName is where a shard's results go: name.shard-i-of-n.json.
func ShardFileName(name string, s Shard) string {
	return fmt.Sprintf("%s.shard-%d-of-%d.json", name, s.I, s.N)
}

// Decode reads a results file.
func Decode(rd io.Reader) (*Result, error) {
	var f fileFormat
	if err := json.NewDecoder(rd).Decode(&f); err != nil {
		return nil, fmt.Errorf("sweep: not a results file: %w", err)
	}
	if f.Format != format {
		return nil, fmt.Errorf("sweep: format %q, want %q", f.Format, format)
	}
	spec := Spec{Name: f.Name, Seed: f.Seed, Reps: f.Reps, Knobs: f.Knobs, Points: f.Points, Shard: f.Shard, Workers: 1}
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	r := newResult(spec, spec.points())
	r.Metrics, r.Histograms, r.Shares = f.Metrics, f.Histograms, f.Shares
	for _, fr := range f.Runs {
		if fr.Run < 0 || fr.Run >= len(r.runs) {
			return nil, fmt.Errorf("sweep: run %d is outside the sweep's %d runs", fr.Run, len(r.runs))
		}
		o := &runOut{seed: fr.Seed}
		for _, v := range fr.Values {
			if v == nil {
				o.values = append(o.values, math.NaN())
				continue
			}
			o.values = append(o.values, *v)
		}
		for _, s := range fr.Hists {
			if s == "" {
				o.hists = append(o.hists, nil)
				continue
			}
			h, err := hdr.Decode([]byte(s))
			if err != nil {
				return nil, fmt.Errorf("sweep: run %d: %w", fr.Run, err)
			}
			o.hists = append(o.hists, h)
		}
		r.runs[fr.Run] = o
	}
	return r, nil
}

// ReadFile reads the results file at path.
func ReadFile(path string) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// Merge combines the shards of one sweep into the result a single run
// gives: the same spec, every run once. Metric names are put back in the
// order a single run finds them: the order of first report by run index.
func Merge(parts ...*Result) (*Result, error) {
	if len(parts) == 0 {
		return nil, errors.New("sweep: nothing to merge")
	}
	first := parts[0]
	spec := first.Spec
	spec.Shard = Shard{}
	out := newResult(spec, spec.points())
	byRun := make([]*Metrics, len(out.runs))
	for i, p := range parts {
		if p.Spec.Name != spec.Name || p.Spec.Seed != spec.Seed || p.Spec.Reps != spec.Reps || len(p.runs) != len(out.runs) || fmt.Sprint(p.Spec.Knobs) != fmt.Sprint(spec.Knobs) {
			return nil, fmt.Errorf("sweep: part %d (%s, shard %v) is not from the same sweep as part 1 (%s)", i+1, p.Spec.Name, p.Spec.Shard, spec.Name)
		}
		for k, o := range p.runs {
			if o == nil {
				continue
			}
			if byRun[k] != nil {
				return nil, fmt.Errorf("sweep: run %d appears in two parts", k)
			}
			m := NewMetrics()
			for j, v := range o.values {
				switch {
				case math.IsNaN(v):
				case find(p.Shares, p.Metrics[j]) >= 0:
					m.Share(p.Metrics[j], v == 1)
				default:
					m.Set(p.Metrics[j], v)
				}
			}
			for j, h := range o.hists {
				if h != nil {
					m.hists = append(m.hists, namedHist{p.Histograms[j], h})
				}
			}
			byRun[k] = m
		}
	}
	// Added in run order, names come out in a single run's order.
	out.runs = make([]*runOut, len(out.runs))
	for k, m := range byRun {
		if m != nil {
			out.add(k, m)
		}
	}
	return out, nil
}
