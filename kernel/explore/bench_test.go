package explore

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"dsim/sim/scenario/registry"
)

// knobChange asks the server for a run no cache holds (a new seed, as a
// page asks after any change) and returns the time to its answer: the
// query read by the knob table, the run, its figures drawn and the JSON
// written and read. A run that outlasts one request is followed, as the
// page polls, until it is done.
func knobChange(b *testing.B, client *http.Client, url string) time.Duration {
	start := time.Now()
	for {
		resp, err := client.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		var a runAnswer
		err = json.NewDecoder(resp.Body).Decode(&a)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		switch a.Status {
		case "done":
			return time.Since(start)
		case "running", "busy":
			continue
		}
		b.Fatalf("%s: %s %s %v", url, a.Status, a.Message, a.Errors)
	}
}

// BenchmarkKnobChange is the time from a knob change to its result, for
// every preset of every scenario (ms per change).
func BenchmarkKnobChange(b *testing.B) {
	base := startServer(b, New(Options{}))
	client := &http.Client{}
	for _, sc := range registry.All() {
		for _, p := range sc.Presets {
			b.Run(sc.Name+"/"+p.Name, func(b *testing.B) {
				var total time.Duration
				for i := 0; i < b.N; i++ {
					total += knobChange(b, client, fmt.Sprintf("%s/api/run/%s?preset=%s&seed=%d", base, sc.Name, p.Name, 1000+i))
				}
				b.ReportMetric(float64(total.Microseconds())/1e3/float64(b.N), "ms/change")
			})
		}
	}
}

// BenchmarkKnobChangeDistribution changes a knob once on every preset of
// every scenario per iteration and reports the distribution of the times
// over all presets: the median, the 90th percentile, the slowest, and the
// share under 300 ms.
func BenchmarkKnobChangeDistribution(b *testing.B) {
	base := startServer(b, New(Options{}))
	client := &http.Client{}
	type sample struct {
		name string
		d    time.Duration
	}
	var all []sample
	for i := 0; i < b.N; i++ {
		for _, sc := range registry.All() {
			for _, p := range sc.Presets {
				d := knobChange(b, client, fmt.Sprintf("%s/api/run/%s?preset=%s&seed=%d", base, sc.Name, p.Name, 2000+i))
				all = append(all, sample{sc.Name + "/" + p.Name, d})
			}
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].d < all[j].d })
	at := func(q float64) float64 { return float64(all[int(q*float64(len(all)-1))].d.Microseconds()) / 1e3 }
	under := 0
	for _, s := range all {
		if s.d < 300*time.Millisecond {
			under++
		}
	}
	b.ReportMetric(at(0.5), "p50-ms")
	b.ReportMetric(at(0.9), "p90-ms")
	b.ReportMetric(at(1), "max-ms")
	b.ReportMetric(100*float64(under)/float64(len(all)), "%under300ms")
	var slow []string
	for _, s := range all[max(0, len(all)-5):] {
		slow = append(slow, fmt.Sprintf("%s %v", s.name, s.d.Round(time.Millisecond)))
	}
	b.Logf("%d changes; slowest: %s", len(all), strings.Join(slow, ", "))
}
