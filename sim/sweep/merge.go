package sweep

import (
	"context"
	"errors"
	"fmt"
)

// Merge combines the shards of one sweep into the result a single run
// gives: the same spec, every run once, the metrics in the order a single
// run finds them. It refuses parts of different sweeps (name, seed, reps,
// knobs, points), a shard or a run given twice, a metric that is a share
// in one part and not in another, and parts that disagree on the order of
// their metrics (names swapped). The parts are not changed.
func Merge(parts ...*Result) (*Result, error) {
	if len(parts) == 0 {
		return nil, errors.New("sweep: nothing to merge")
	}
	var m merger
	for i, p := range parts {
		if err := m.add(p, fmt.Sprintf("part %d", i+1)); err != nil {
			return nil, fmt.Errorf("sweep: %w", err)
		}
	}
	return m.finish()
}

// MergeFiles reads the results files at paths (ReadFileContext) and merges
// them (Merge), one file at a time, so it holds the merged result and one
// file's. Errors name the file.
func MergeFiles(ctx context.Context, paths ...string) (*Result, error) {
	if len(paths) == 0 {
		return nil, errors.New("sweep: nothing to merge")
	}
	var m merger
	for _, path := range paths {
		p, err := ReadFileContext(ctx, path)
		if err != nil {
			return nil, err
		}
		if err := m.add(p, path); err != nil {
			return nil, fmt.Errorf("sweep: %w", err)
		}
	}
	return m.finish()
}

type merger struct {
	b      *builder
	first  string // the part whose spec the others must share
	shards map[Shard]string
}

func (m *merger) add(p *Result, src string) error {
	if m.b == nil {
		spec := p.Spec
		spec.Shard = Shard{}
		m.b, m.first, m.shards = newBuilder(spec, spec.points()), src, map[Shard]string{}
	} else if diff := m.b.spec.sameSweep(p.Spec); diff != "" {
		return fmt.Errorf("%s is not from the same sweep as %s: it has %s", src, m.first, diff)
	}
	if sh := p.Spec.Shard; sh.N > 1 {
		if at, ok := m.shards[sh]; ok {
			return fmt.Errorf("%s and %s are both shard %v", at, src, sh)
		}
		m.shards[sh] = src
	}
	if err := m.runs(p, src); err != nil {
		return err
	}
	for point, row := range p.hists {
		for j, h := range row {
			if h == nil {
				continue
			}
			if err := m.b.addHist(point, p.Histograms[j], h.Clone()); err != nil {
				return fmt.Errorf("%s: %w", src, err)
			}
		}
	}
	return m.b.overMemory()
}

// runs files p's runs, and the order of the metrics each first reports.
func (m *merger) runs(p *Result, src string) error {
	share := make([]bool, len(p.Metrics))
	for j, n := range p.Metrics {
		share[j] = find(p.Shares, n) >= 0
	}
	first := make([]int, len(p.Metrics)) // the first run of p reporting each metric
	for j := range first {
		first[j] = -1
	}
	for k, vals := range p.runs {
		if vals == nil {
			continue
		}
		var r runReport
		for j, v := range vals {
			if !isAbsent(v) {
				r.names, r.values, r.share = append(r.names, p.Metrics[j]), append(r.values, v), append(r.share, share[j])
				if first[j] < 0 {
					first[j] = k
				}
			}
		}
		if err := m.b.file(k, r, src, false); errors.Is(err, errTwice) {
			return fmt.Errorf("%s: run %d: also in an earlier part", src, k)
		} else if err != nil {
			return fmt.Errorf("%s: run %d: %w", src, k, err)
		}
	}
	// Two metrics first reported by the same run of p are in that run's
	// own order: the evidence order checks (see builder.order).
	for i := range p.Metrics {
		for j := i + 1; j < len(p.Metrics); j++ {
			if first[i] >= 0 && first[i] == first[j] {
				if err := m.b.order(m.b.ids[p.Metrics[i]], m.b.ids[p.Metrics[j]], src); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (m *merger) finish() (*Result, error) {
	r, err := m.b.finish()
	if err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	return r, nil
}
