package sweep

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"syscall"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// Reading a results file trusts nothing in it: the file may come from
// another machine, a crash, or someone's editor. The reader streams it
// (entry by entry, never the whole file in memory), bounds it
// (MaxFileBytes in all, maxEntry per header field, point or run), checks
// every field and value, and stops when ctx is cancelled.

// Decode reads a results file.
func Decode(rd io.Reader) (*Result, error) {
	r, err := decode(context.Background(), rd)
	if err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	return r, nil
}

// ReadFile reads the results file at path.
func ReadFile(path string) (*Result, error) { return ReadFileContext(context.Background(), path) }

// ReadFileContext reads the results file at path, stopping when ctx is
// cancelled, even while it waits on a pipe. Errors name the file, the
// field and the value.
func ReadFileContext(ctx context.Context, path string) (*Result, error) {
	// Non-blocking, so that opening a FIFO does not wait for a writer
	// (regular files ignore the flag); reads from a pipe then wait in the
	// runtime's poller, which the deadline below interrupts.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	defer f.Close()
	// Cancelling ctx ends a blocked read (a pipe, a fifo) at once; the
	// wall clock only stops reading a file, never a run.
	stop := context.AfterFunc(ctx, func() { f.SetReadDeadline(time.Now()) })
	defer stop()
	r, err := decode(ctx, f)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("sweep: %s: stopped: %w", path, context.Cause(ctx))
		}
		return nil, fmt.Errorf("sweep: %s: %w", path, err)
	}
	return r, nil
}

// limitReader bounds a results file and each of its entries, and stops
// when ctx is cancelled. Reads are at most readChunk bytes, so what the
// JSON decoder reads ahead of an entry is small.
type limitReader struct {
	ctx        context.Context
	r          io.Reader
	read, mark int64
}

const readChunk = 64 << 10

var errTooBig = errors.New("too big")

func (l *limitReader) Read(p []byte) (int, error) {
	if err := l.ctx.Err(); err != nil {
		return 0, err
	}
	if l.read >= fileLimit {
		return 0, fmt.Errorf("%w: the file passes %s (MaxFileBytes)", errTooBig, mib(fileLimit))
	}
	if l.read-l.mark > entryLimit+readChunk {
		return 0, fmt.Errorf("%w: an entry (a header field, a point, a run) passes %s", errTooBig, mib(entryLimit))
	}
	p = p[:min(len(p), readChunk, int(fileLimit-l.read))]
	n, err := l.r.Read(p)
	l.read += int64(n)
	return n, err
}

// fileDecoder checks the entries of one results file and files them.
type fileDecoder struct {
	h        fileHeader
	b        *builder
	share    []bool
	withHist []bool // by point: the file gave its histograms
}

func decode(ctx context.Context, rd io.Reader) (*Result, error) {
	lr := &limitReader{ctx: ctx, r: rd}
	dec := json.NewDecoder(lr)
	dec.DisallowUnknownFields()
	fail := func(where string, err error) error {
		var se *json.SyntaxError
		if errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return fmt.Errorf("%s: not a results file (%v, near byte %d)", where, err, dec.InputOffset())
		}
		return fmt.Errorf("%s: %w", where, err)
	}
	if err := delim(dec, '{'); err != nil {
		return nil, fail("the file", err)
	}
	var h fileHeader
	var d *fileDecoder
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fail("the file", err)
		}
		key, _ := tok.(string)
		if seen[key] {
			return nil, fmt.Errorf("%s: appears twice", key)
		}
		seen[key] = true
		lr.mark = lr.read
		switch key {
		case "point_histograms", "runs":
			if d == nil {
				if d, err = newFileDecoder(h, seen); err != nil {
					return nil, err
				}
			}
			if err := d.array(dec, lr, key, fail); err != nil {
				return nil, err
			}
		default:
			if d != nil {
				return nil, fmt.Errorf("%s: comes after the runs; a results file gives its header first", quote(key))
			}
			if err := h.field(dec, key); err != nil {
				return nil, fail(key, err)
			}
		}
	}
	if err := delim(dec, '}'); err != nil {
		return nil, fail("the file", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("the file: data after the results (near byte %d)", dec.InputOffset())
	}
	if !seen["runs"] {
		return nil, errors.New("runs: missing")
	}
	return d.finish()
}

func delim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("want %q, got %v", want, tok)
	}
	return nil
}

// field decodes one header field, found by its JSON name in fileHeader's
// tags, so the struct is the one list of the fields.
func (h *fileHeader) field(dec *json.Decoder, key string) error {
	v := reflect.ValueOf(h).Elem()
	for i := range v.NumField() {
		if name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ","); name == key {
			return dec.Decode(v.Field(i).Addr().Interface())
		}
	}
	return fmt.Errorf("not a field of a results file (%s)", format)
}

// newFileDecoder checks the header, once it is whole.
func newFileDecoder(h fileHeader, seen map[string]bool) (*fileDecoder, error) {
	if h.Format != format {
		return nil, fmt.Errorf("format=%s: want %q (rerun the sweep with this dsim)", quote(h.Format), format)
	}
	for _, k := range []string{"name", "seed", "reps", "knobs", "shard", "metrics"} {
		if !seen[k] {
			return nil, fmt.Errorf("%s: missing (before the runs)", k)
		}
	}
	spec := Spec{Name: h.Name, Seed: h.Seed, Reps: h.Reps, Knobs: h.Knobs, Points: h.Points, Shard: h.Shard, Workers: 1}
	if err := spec.validate(); err != nil {
		return nil, err
	}
	d := &fileDecoder{h: h, share: make([]bool, len(h.Metrics))}
	if err := uniqueNames("metrics", h.Metrics); err != nil {
		return nil, err
	}
	if err := uniqueNames("histograms", h.Histograms); err != nil {
		return nil, err
	}
	if err := uniqueNames("shares", h.Shares); err != nil {
		return nil, err
	}
	for i, s := range h.Shares {
		j := find(h.Metrics, s)
		if j < 0 {
			return nil, fmt.Errorf("shares[%d]=%s: not one of the metrics", i, quote(s))
		}
		d.share[j] = true
	}
	points := spec.points()
	d.b = newBuilder(spec, points)
	d.withHist = make([]bool, len(points))
	return d, d.b.overMemory()
}

func uniqueNames(field string, names []string) error {
	if len(names) > MaxMetrics {
		return fmt.Errorf("%s: %d names; the limit is %d (MaxMetrics)", field, len(names), MaxMetrics)
	}
	seen := map[string]bool{}
	for i, n := range names {
		if msg := checkText(n, false); msg != "" {
			return fmt.Errorf("%s[%d]=%s: a name %s", field, i, quote(n), msg)
		}
		if seen[n] {
			return fmt.Errorf("%s[%d]=%s: appears twice", field, i, quote(n))
		}
		seen[n] = true
	}
	return nil
}

// array reads the points' histograms or the runs, entry by entry.
func (d *fileDecoder) array(dec *json.Decoder, lr *limitReader, key string, fail func(string, error) error) error {
	if err := delim(dec, '['); err != nil {
		return fail(key, err)
	}
	for i := 0; dec.More(); i++ {
		lr.mark = lr.read
		var err error
		if key == "runs" {
			var fr fileRun
			if err = dec.Decode(&fr); err == nil {
				err = d.run(fr)
			}
		} else {
			var fp filePoint
			if err = dec.Decode(&fp); err == nil {
				err = d.point(fp)
			}
		}
		if err != nil {
			return fail(fmt.Sprintf("%s[%d]", key, i), err)
		}
	}
	if err := delim(dec, ']'); err != nil {
		return fail(key, err)
	}
	return nil
}

func (d *fileDecoder) run(fr fileRun) error {
	spec, total := d.b.spec, len(d.b.runs)
	switch {
	case fr.Run == nil:
		return errors.New("run: missing")
	case *fr.Run < 0 || *fr.Run >= total:
		return fmt.Errorf("run=%d: outside the sweep's %d runs", *fr.Run, total)
	case !spec.Shard.has(*fr.Run):
		return fmt.Errorf("run=%d: not a run of shard %v", *fr.Run, spec.Shard)
	case fr.Seed == nil:
		return errors.New("seed: missing")
	case len(fr.Values) > len(d.h.Metrics):
		return fmt.Errorf("values: %d values for %d metrics", len(fr.Values), len(d.h.Metrics))
	}
	k := *fr.Run
	if want := RunSeed(spec.Seed, d.b.points[k/spec.Reps].Values, k%spec.Reps); *fr.Seed != want {
		return fmt.Errorf("seed=%d: run %d's seed is %d", *fr.Seed, k, want)
	}
	var r runReport
	for j, raw := range fr.Values {
		v, err := parseValue(raw)
		if err != nil {
			return fmt.Errorf("values[%d]=%s (%s): %v", j, quote(string(raw)), quote(d.h.Metrics[j]), err)
		}
		if !isAbsent(v) {
			r.names, r.values, r.share = append(r.names, d.h.Metrics[j]), append(r.values, v), append(r.share, d.share[j])
		}
	}
	if err := d.b.file(k, r, "this file", false); err != nil {
		return fmt.Errorf("run %d: %w", k, err)
	}
	return nil
}

func (d *fileDecoder) point(fp filePoint) error {
	switch {
	case fp.Point == nil:
		return errors.New("point: missing")
	case *fp.Point < 0 || *fp.Point >= len(d.b.points):
		return fmt.Errorf("point=%d: outside the sweep's %d points", *fp.Point, len(d.b.points))
	case d.withHist[*fp.Point]:
		return fmt.Errorf("point=%d: appears twice", *fp.Point)
	case len(fp.Histograms) > len(d.h.Histograms):
		return fmt.Errorf("histograms: %d for %d histogram names", len(fp.Histograms), len(d.h.Histograms))
	}
	d.withHist[*fp.Point] = true
	for j, s := range fp.Histograms {
		if s == "" {
			continue
		}
		h, err := hdr.DecodePacked([]byte(s))
		if err != nil {
			return fmt.Errorf("histograms[%d] (%s): %v", j, quote(d.h.Histograms[j]), err)
		}
		if err := d.b.addHist(*fp.Point, d.h.Histograms[j], h); err != nil {
			return err
		}
	}
	return d.b.overMemory()
}

// finish checks that every point with histograms has runs in the file:
// histograms come from runs.
func (d *fileDecoder) finish() (*Result, error) {
	reps := d.b.spec.Reps
	for p, ok := range d.withHist {
		if !ok {
			continue
		}
		n := 0
		for k := p * reps; k < (p+1)*reps; k++ {
			if d.b.runs[k] != nil {
				n++
			}
		}
		if n == 0 {
			return nil, fmt.Errorf("point_histograms: point %d has histograms but none of its runs is in the file", p)
		}
	}
	return d.b.finish()
}
