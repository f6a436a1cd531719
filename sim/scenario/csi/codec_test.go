package csi

import (
	"strings"
	"testing"
)

func TestCoerceFollowsTheConnectors(t *testing.T) {
	long, double, ts, str := mustType("long"), mustType("double"), mustType("timestamp"), mustType("string")
	dec := mustType("decimal(12,2)")
	cases := []struct {
		name     string
		v        value
		from, to ftype
		want     string // canon text of the result as the reader's type, or the error's start
		err      bool
	}{
		{"seconds cast to timestamp", value{i: 1_700_000_000}, long, ts, "2023-11-14T22:13:20.000000Z", false},
		{"milliseconds are out of range", value{i: 1_700_000_000_000}, long, ts, "1700000000000 read as seconds", true},
		{"double truncates into decimal", value{f: 19.99}, double, dec, "1998", false},
		{"exact doubles survive", value{f: 19.5}, double, dec, "1950", false},
		{"decimal overflow is loud", value{f: 1e12}, double, dec, "1e+12 overflows decimal(12,2)", true},
		{"timestamp to long is microseconds", value{i: 42}, ts, long, "42", false},
		{"decimal to timestamp is refused", value{i: 1}, dec, ts, "cannot cast decimal(12,2) to timestamp", true},
		{"long to string", value{i: 7}, long, str, "7", false},
	}
	for _, c := range cases {
		got, err := coerce(c.v, c.from, c.to, "utf-8", false)
		if c.err {
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("%s: error %v, want one starting %q", c.name, err, c.want)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		text := textOf(got, c.to)
		if c.to.k == kDecimal {
			text = textOf(value{i: got.i}, long)
		}
		if text != c.want {
			t.Errorf("%s: got %s, want %s", c.name, text, c.want)
		}
	}
}

func TestEncodings(t *testing.T) {
	b, lost := encode("José Łukasz", "latin-1")
	if lost != 'Ł' || string(b[:3]) != "Jos" || b[3] != 0xE9 || b[5] != '?' {
		t.Fatalf("latin-1 encode: % x, lost %q", b, lost)
	}
	if s, _ := decode(b, "utf-8", false); s != "Jos\uFFFD ?ukasz" {
		t.Errorf("utf-8 replace decode: %q", s)
	}
	if _, err := decode(b, "utf-8", true); err == nil || !strings.Contains(err.Error(), "0xE9 at offset 3") {
		t.Errorf("utf-8 strict decode: %v", err)
	}
	if s, _ := decode([]byte("é"), "latin-1", false); s != "Ã©" {
		t.Errorf("utf-8 read as latin-1: %q, want mojibake", s)
	}
	if b, lost := encode("naïve", "ascii"); string(b) != "na?ve" || lost != 'ï' {
		t.Errorf("ascii: %q %q", b, lost)
	}
}

func TestRegistryRules(t *testing.T) {
	v1 := OrdersV1()
	if p := compatibility(OrdersV2(), v1); len(p) != 0 {
		t.Errorf("an added optional field is compatible for a registry, got %v", p)
	}
	if p := compatibility(v1.With("amount", "double"), v1); len(p) != 1 || !strings.Contains(p[0], "amount: A writes double, B reads decimal(12,2)") {
		t.Errorf("double to decimal: %v", p)
	}
	if p := compatibility(v1.With("items", "long"), v1.With("items", "double")); len(p) != 0 {
		t.Errorf("long promotes to double: %v", p)
	}
	if p := compatibility(v1.With("amount", "decimal(10,2)"), v1); len(p) != 0 {
		t.Errorf("a narrower decimal widens: %v", p)
	}
	latin := v1
	latin.Encoding = "latin-1"
	if p := compatibility(latin, v1); len(p) != 1 {
		t.Errorf("encodings differ: %v", p)
	}
}
