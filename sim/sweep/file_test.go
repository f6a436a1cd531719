package sweep_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/sweep"
)

// tiny is a cheap model with every kind of report: a share, a percentage,
// a plain number, a metric only some runs report, and a latency histogram.
func tiny(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
	r := rand.New(rand.NewPCG(seed, 1))
	l := metrics.NewLatency("latency", sim.Second)
	for i := 0; i < 300; i++ {
		l.Record(sim.Time(i)*sim.Millisecond, sim.Time(r.ExpFloat64()*p.Get("load")*float64(sim.Millisecond)))
	}
	l.Close(300 * sim.Millisecond)
	m := sweep.NewMetrics().
		Share("slow", r.IntN(2) == 1).
		Set("goodput (%)", 100*r.Float64()).
		Set("amplification", 1+r.Float64()).
		Latency("latency", l)
	if seed%3 == 0 {
		m.Set("retries", float64(r.IntN(10)))
	}
	if seed%5 == 0 {
		m.Set("nothing", math.NaN()) // reported, with no value
	}
	return m, nil
}

func tinySpec(shard sweep.Shard) sweep.Spec {
	return sweep.Spec{Name: "tiny", Seed: 11, Reps: 4, Workers: 2, Shard: shard,
		Knobs: []sweep.Knob{{Name: "load", Values: []float64{1, 5, 20}, Unit: "ms"}, {Name: "mode", Labels: []string{"a", "b"}}}}
}

func runTiny(t testing.TB, shard sweep.Shard) *sweep.Result {
	t.Helper()
	res, err := sweep.Run(context.Background(), tinySpec(shard), tiny)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func encode(t testing.TB, r *sweep.Result) string {
	t.Helper()
	var b bytes.Buffer
	if err := r.Encode(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// same compares everything a result shows.
func same(t testing.TB, what string, got, want *sweep.Result) {
	t.Helper()
	if got.Table().Text() != want.Table().Text() || got.LatencyTable("latency").Text() != want.LatencyTable("latency").Text() ||
		fmt.Sprint(got.Metrics, got.Shares, got.Histograms) != fmt.Sprint(want.Metrics, want.Shares, want.Histograms) {
		t.Fatalf("%s:\n%v\n%v\nwant:\n%v\n%v", what, got.Table(), got.LatencyTable("latency"), want.Table(), want.LatencyTable("latency"))
	}
}

func TestFileRoundTripAndShards(t *testing.T) {
	whole := runTiny(t, sweep.Shard{})
	if fmt.Sprint(whole.Metrics) != "[slow goodput (%) amplification retries nothing]" || fmt.Sprint(whole.Shares) != "[slow]" {
		t.Fatalf("metrics %q, shares %q", whole.Metrics, whole.Shares)
	}
	back, err := sweep.Decode(strings.NewReader(encode(t, whole)))
	if err != nil {
		t.Fatal(err)
	}
	same(t, "read back", back, whole)
	if encode(t, back) != encode(t, whole) {
		t.Error("a file read back and written again differs")
	}
	// Shards in any order merge into the whole, files or not.
	var parts []*sweep.Result
	for i := 1; i <= 5; i++ {
		p, err := sweep.Decode(strings.NewReader(encode(t, runTiny(t, sweep.Shard{I: i, N: 5}))))
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, p)
	}
	merged, err := sweep.Merge(parts[3], parts[1], parts[4], parts[0], parts[2])
	if err != nil {
		t.Fatal(err)
	}
	same(t, "merged", merged, whole)
	if encode(t, merged) != encode(t, whole) {
		t.Error("the merged file differs from the single run's")
	}
	// Merge leaves its parts as they were.
	again, err := sweep.Merge(parts...)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "merged twice", again, whole)
}

// hostile gives, for a real shard's file, edits and the error each must
// give: the field and the value, never a panic or a silent answer.
func TestHostileFiles(t *testing.T) {
	good := encode(t, runTiny(t, sweep.Shard{I: 2, N: 3}))
	firstRun := good[strings.Index(good, `  {"run"`):]
	firstRun = strings.TrimSuffix(firstRun[:strings.Index(firstRun, "\n")], ",")
	nth := func(s, sub string, n int) int { // index of the n-th sub in s (from 1)
		i := -1
		for ; n > 0; n-- {
			j := strings.Index(s[i+1:], sub)
			if j < 0 {
				t.Fatalf("no %q", sub)
			}
			i += 1 + j
		}
		return i
	}
	values := func(n int, with string) string { // the n-th run's values replaced
		i := nth(good, `, "values": [`, n) + len(`, "values": [`)
		j := i + strings.Index(good[i:], "]")
		return good[:i] + with + good[j:]
	}
	cases := []struct{ name, file, want string }{
		{"more values than metrics", values(1, "1, 2, 3, 4, 5, 6, 7"), "runs[0]: values: 7 values for 4 metrics"},
		{"no metrics", noMetrics(good), "runs[0]: values: 4 values for 0 metrics"},
		{"a share not a metric", strings.Replace(good, `"slow",`+"\n  ", "", 1), `shares[0]="slow": not one of the metrics`},
		{"an unknown field", strings.Replace(good, `"metrics": [`, `"x": 1, "metrics": [`, 1), `sweep: x: not a field of a results file (dsim-sweep/2)`},
		{"path in the name", strings.Replace(good, `"name": "tiny"`, `"name": "../../x"`, 1), `Name="../../x": want letters, digits`},
		{"separator in the name", strings.Replace(good, `"name": "tiny"`, `"name": "a/b"`, 1), `Name="a/b"`},
		{"a percentage over 100", values(1, "1, 12345"), `runs[0]: run 1: metric "goodput (%)"=12345: a percentage`},
		{"a negative percentage", values(2, "0, -0.5"), `metric "goodput (%)"=-0.5`},
		{"a share of 0.5", values(1, "0.5"), `metric "slow"=0.5: a share (Metrics.Share) must be 0 or 1`},
		{"infinity", values(1, "1, 1e999"), `runs[0]: values[1]="1e999" ("goodput (%)"): must be finite`},
		{"a string", values(1, `"1"`), `values[0]="\"1\"" ("slow"): want a number`},
		{"a run twice", strings.Replace(good, firstRun, firstRun+",\n"+firstRun, 1), "runs[1]: run 1: given twice"},
		{"a run outside", strings.Replace(good, `{"run": 1,`, `{"run": 100000,`, 1), "runs[0]: run=100000: outside the sweep's 24 runs"},
		{"another shard's run", strings.Replace(good, `{"run": 1,`, `{"run": 2,`, 1), "runs[0]: run=2: not a run of shard 2/3"},
		{"a negative run", strings.Replace(good, `{"run": 1,`, `{"run": -1,`, 1), "run=-1: outside"},
		{"a wrong seed", regexp.MustCompile(`"run": 1, "seed": [0-9]+`).ReplaceAllString(good, `"run": 1, "seed": 12345`), "runs[0]: seed=12345: run 1's seed is 10864939367540667702"},
		{"no seed", strings.Replace(good, firstRun, `  {"run": 1, "values": []}`, 1), "runs[0]: seed: missing"},
		{"reps 2^62", strings.Replace(good, `"reps": 4`, `"reps": 4611686018427387904`, 1), "Reps=4611686018427387904: must be 1..1000000 (MaxRuns)"},
		{"reps 0", strings.Replace(good, `"reps": 4`, `"reps": 0`, 1), "Reps=0"},
		{"shard 5/3", strings.Replace(good, `"i": 2`, `"i": 5`, 1), "Shard=5/3"},
		{"format 1", strings.Replace(good, "dsim-sweep/2", "dsim-sweep/1", 1), `format="dsim-sweep/1": want "dsim-sweep/2"`},
		{"an unknown field in a run", strings.Replace(good, `{"run": 1,`, `{"run": 1, "x": 1,`, 1), `runs[0]: json: unknown field "x"`},
		{"a field twice", strings.Replace(good, `"reps": 4,`, `"reps": 4, "reps": 4,`, 1), "reps: appears twice"},
		{"the header after the runs", strings.Replace(good, "\n}\n", `, "points": [[1, 0]]}`, 1), `"points": comes after the runs`},
		{"no runs", good[:strings.Index(good, `,`+"\n"+` "runs"`)] + "}", "runs: missing"},
		{"cut short", good[:len(good)/2], "not a results file"},
		{"data after", good + "{}", "data after the results"},
		{"not JSON", "\x00\x00\x00", "the file: not a results file"},
		{"empty", "", "not a results file"},
		{"a control character", strings.Replace(good, `"amplification"`, `"amp\u001b[31m"`, 1), `a name holds control characters`},
		{"a metric twice", strings.Replace(good, `"amplification"`, `"slow"`, 1), `metrics[2]="slow": appears twice`},
		{"an infinite knob value", strings.Replace(good, "    1,", "    1e999,", 1), "knobs: json: cannot unmarshal number 1e999"},
		{"knob values twice", strings.Replace(good, "    5,", "    1,", 1), `Knobs[0].Values[1]=1: appears twice`},
		{"a bad histogram", strings.Replace(good, `"histograms": ["HISTF`, `"histograms": ["HISTX`, 1), `point_histograms[0]: histograms[0] ("latency"): encoding not supported`},
		{"a histogram of another range", strings.Replace(good, `{"point": 1, "histograms": ["`, `{"point": 1, "histograms": ["`+otherHist(t)+`", "`, 1),
			`point_histograms[1]: histograms: 2 for 1 histogram names`},
		{"another range", strings.Replace(good, `{"point": 1, "histograms": ["`, `{"point": 1, "histograms": ["`+otherHist(t)+`"], "x": ["`, 1),
			`point_histograms[1]: json: unknown field "x"`},
		{"another geometry", regexp.MustCompile(`\{"point": 1, "histograms": \["[^"]*"\]\}`).ReplaceAllString(good, `{"point": 1, "histograms": ["`+otherHist(t)+`"]}`),
			`point_histograms[1]: histogram "latency" covers 1..1000 ns with 2 digits; want 1000..3600000000000 with 3 (metrics.Latency)`},
		{"a point twice", strings.Replace(good, `{"point": 1,`, `{"point": 0, "histograms": []}, {"point": 1,`, 1), "point_histograms[1]: point=0: appears twice"},
		{"histograms without runs", strings.Replace(good, `"point_histograms": [`, `"point_histograms": [{"point": 23, "histograms": []},`, 1), "point=23: outside the sweep's 6 points"},
		{"histograms without runs", noRuns(good), "point_histograms: point 0 has histograms but none of its runs is in the file"},
	}
	for _, c := range cases {
		if c.file == good {
			t.Errorf("%s: the edit did not apply", c.name)
			continue
		}
		_, err := sweep.Decode(strings.NewReader(c.file))
		if err == nil || !strings.HasPrefix(err.Error(), "sweep: ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}

// otherHist is a histogram metrics.Latency cannot make: another range.
func otherHist(t testing.TB) string {
	h := hdr.NewPacked(1, 1000, 2)
	h.RecordValue(10)
	b, err := h.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func noMetrics(s string) string {
	s = regexp.MustCompile(`"metrics": \[[^\]]*\]`).ReplaceAllString(s, `"metrics": []`)
	return regexp.MustCompile(`"shares": \[[^\]]*\]`).ReplaceAllString(s, `"shares": []`)
}

func noRuns(s string) string {
	return regexp.MustCompile(`(?s)"runs": \[.*\n \]`).ReplaceAllString(s, `"runs": []`)
}

// An endless stream, a huge entry or a cancelled context stop the reader
// with an error naming the limit.
func TestReadingIsBounded(t *testing.T) {
	restore := sweep.SetLimits(sweep.MaxMemory, 1<<30, 64<<10)
	endless := io.MultiReader(strings.NewReader(`{"name": "`), endlessReader('a'))
	if _, err := sweep.Decode(endless); err == nil || !strings.Contains(err.Error(), "an entry (a header field, a point, a run) passes 64.0 KiB") {
		t.Errorf("a huge entry: %v", err)
	}
	restore()
	defer sweep.SetLimits(sweep.MaxMemory, 1<<20, 1<<30)()
	spaces := io.MultiReader(strings.NewReader(`{`), endlessReader(' '))
	if _, err := sweep.Decode(spaces); err == nil || !strings.Contains(err.Error(), "the file passes 1.0 MiB (MaxFileBytes)") {
		t.Errorf("an endless file: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := sweep.ReadFileContext(ctx, "/dev/zero")
	if err == nil || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if _, err := sweep.ReadFile("/dev/zero"); err == nil || !strings.Contains(err.Error(), "/dev/zero: the file: not a results file") {
		t.Errorf("/dev/zero: %v", err)
	}
}

type endlessReader byte

func (e endlessReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(e)
	}
	return len(p), nil
}

// Merge refuses parts that do not add up to one sweep, naming them.
func TestMergeRefusesMismatchedParts(t *testing.T) {
	shard := func(i int, change func(*sweep.Spec), edit func(string) string) *sweep.Result {
		spec := tinySpec(sweep.Shard{I: i, N: 3})
		if change != nil {
			change(&spec)
		}
		r, err := sweep.Run(context.Background(), spec, tiny)
		if err != nil {
			t.Fatal(err)
		}
		file := encode(t, r)
		if edit != nil {
			file = edit(file)
		}
		if r, err = sweep.Decode(strings.NewReader(file)); err != nil {
			t.Fatal(err)
		}
		return r
	}
	swap := func(s string) string { // the names of two metrics swapped, not their values
		s = strings.Replace(s, `"goodput (%)"`, `"X"`, 1)
		s = strings.Replace(s, `"amplification"`, `"goodput (%)"`, 1)
		return strings.Replace(s, `"X"`, `"amplification"`, 1)
	}
	points := func(v float64) func(*sweep.Spec) {
		return func(s *sweep.Spec) { s.Points = [][]float64{{1, 0}, {v, 1}} }
	}
	cases := []struct {
		name  string
		parts []*sweep.Result
		want  string
	}{
		{"swapped names", []*sweep.Result{shard(1, nil, nil), shard(2, nil, swap)}, `metrics "amplification" and "goodput (%)" come in one order in part 2 and in the other in part 1`},
		{"another seed", []*sweep.Result{shard(1, nil, nil), shard(2, func(s *sweep.Spec) { s.Seed = 12 }, nil)}, "part 2 is not from the same sweep as part 1: it has seed 12, not 11"},
		{"other points", []*sweep.Result{shard(1, points(5), nil), shard(2, points(20), nil)}, "it has points[1] [20 1], not [5 1]"},
		{"points and a grid", []*sweep.Result{shard(1, nil, nil), shard(2, points(5), nil)}, "2 explicit points, not 0"},
		{"other knobs", []*sweep.Result{shard(1, nil, nil), shard(2, func(s *sweep.Spec) { s.Knobs[0].Unit = "s" }, nil)}, "it has knobs[0]"},
		{"a shard twice", []*sweep.Result{shard(1, nil, nil), shard(1, nil, nil)}, "part 1 and part 2 are both shard 1/3"},
		{"a run twice", []*sweep.Result{shard(1, nil, nil), shard(1, func(s *sweep.Spec) { s.Shard = sweep.Shard{I: 1, N: 1} }, nil)}, "part 2: run 0: also in an earlier part"},
		{"a share and not", []*sweep.Result{shard(1, nil, nil), shard(2, nil, func(s string) string {
			return strings.Replace(s, "\"shares\": [\n  \"slow\"\n ]", `"shares": []`, 1)
		})}, `metric "slow" is not a share in part 2 but a share in part 1`},
	}
	for _, c := range cases {
		_, err := sweep.Merge(c.parts...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}
