package lab

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// FuzzDecode reads any bytes as a case file: an error or a case that
// validates and encodes back to a file that decodes to the same case.
// Never a panic.
func FuzzDecode(f *testing.F) {
	r, err := Run(Test{Workload: "broadcast", Node: "broadcast/noretry", Seed: 2, Duration: 2 * time.Second, Nemesis: Nemesis{Kinds: FaultKinds()}})
	if err != nil {
		f.Fatal(err)
	}
	var b bytes.Buffer
	if err := NewCase(r).Encode(&b); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add([]byte(`{"format":"dsim-lab-case/1","workload":"echo","node":"echo","faults":[{"kind":"crash","start":"1s","nodes":["n0"]}]}`))
	f.Add([]byte(`{"format":"dsim-lab-case/1","workload":"kafka","latency":"mix(0.9: exp(1ms), 0.1: 1s)","duration":"-1s"}`))
	f.Add([]byte(`{"format":"dsim-lab-case/1","workload":"lin-kv","faults":[{"kind":"partition","start":"1h","duration":"1ns","sides":[["n0"],[]]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Decode(bytes.NewReader(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "lab: ") {
				t.Fatalf("error without the package's prefix: %v", err)
			}
			return
		}
		if err := c.Test.withDefaults().validateData(); err != nil {
			t.Fatalf("decoded an invalid case: %v", err)
		}
		var out bytes.Buffer
		if err := c.Encode(&out); err != nil {
			t.Fatal(err)
		}
		c2, err := Decode(bytes.NewReader(out.Bytes()))
		if err != nil {
			t.Fatalf("a case's own encoding does not decode: %v\n%s", err, out.String())
		}
		var out2 bytes.Buffer
		c2.Encode(&out2)
		if out.String() != out2.String() {
			t.Fatalf("encoding is not stable:\n%s\n%s", out.String(), out2.String())
		}
	})
}
