package cache

import (
	"context"
	"math"
)

// Che is Che's approximation of an LRU cache's hit ratio when requests
// are independent draws from a fixed popularity (the independent
// reference model): an entry stays for a characteristic time T after its
// last use, the same for every key, so key i is in the cache with
// probability 1 − e^(−p_i T). T solves Σ_i (1 − e^(−p_i T)) = C, the
// capacity, and the hit ratio is Σ_i p_i (1 − e^(−p_i T)) (Che, Tung and
// Wang, IEEE JSAC 2002; why it is so accurate: Fricker, Robert and
// Roberts, ITC 2012).
type Che struct {
	HitRatio float64
	// Requests is T in requests: an entry is evicted after about this
	// many requests for other keys since its last use.
	Requests float64
}

// zipf is the popularity of N keys under Zipf's law, with keys of nearly
// the same probability grouped: the sums Che needs then cost a pass over
// the groups, a few thousand, not over the keys.
type zipf struct {
	p, n []float64 // each group's probability per key, and its keys
}

// groupRatio is how far the probabilities within a group may differ: a
// part in a thousand, far below what a simulation can tell apart.
const groupRatio = 1.001

func newZipf(keys int, skew float64) zipf {
	var z zipf
	sum := 0.0
	for a := 1; a <= keys; {
		b := max(a+1, int(float64(a)*groupRatio))
		b = min(b, keys+1)
		w := 0.0
		for i := a; i < b; i++ {
			w += math.Pow(float64(i), -skew)
		}
		z.p = append(z.p, w/float64(b-a))
		z.n = append(z.n, float64(b-a))
		sum += w
		a = b
	}
	for i := range z.p {
		z.p[i] /= sum
	}
	return z
}

// held is the expected number of keys held at characteristic time t, and
// its derivative.
func (z zipf) held(t float64) (h, dh float64) {
	for i, p := range z.p {
		e := math.Exp(-p * t)
		h += z.n[i] * (1 - e)
		dh += z.n[i] * p * e
	}
	return h, dh
}

func (z zipf) hits(t float64) float64 {
	h := 0.0
	for i, p := range z.p {
		h += z.n[i] * p * (1 - math.Exp(-p*t))
	}
	return h
}

// CheApprox is Che's approximation for an LRU cache of capacity entries
// over keys keys of Zipf popularity skew. A cache of every key hits
// always. Cost: about ten passes over a few thousand groups of keys.
func CheApprox(keys int, skew float64, capacity int) Che {
	if keys < 1 || capacity < 1 {
		return Che{}
	}
	if capacity >= keys {
		return Che{HitRatio: 1, Requests: math.Inf(1)}
	}
	z := newZipf(keys, skew)
	// held is increasing and concave in t, so Newton's method from below
	// the root (t = C: every key held at most p_i t) climbs to it without
	// overshooting.
	c := float64(capacity)
	t := c
	for i := 0; i < 200; i++ {
		h, dh := z.held(t)
		if c-h < 1e-9*c || dh == 0 {
			break
		}
		t += (c - h) / dh
	}
	return Che{HitRatio: z.hits(t), Requests: t}
}

// CheCurve is Che's hit ratio against the cache's size as a share of the
// keys, at points sizes between a part in ten thousand and the whole key
// space, for a figure. Cost: a pass over the groups of keys per point.
func CheCurve(ctx context.Context, keys int, skew float64, points int) (size, hit []float64) {
	if keys < 2 || points < 2 {
		return nil, nil
	}
	z := newZipf(keys, skew)
	// The curve is parametric in T: held(T) is the size, hits(T) the hit
	// ratio; T from one request to far past the last key's.
	lo, hi := 0.0, math.Log(50/z.p[len(z.p)-1])
	for i := 0; i < points; i++ {
		if ctx.Err() != nil {
			return nil, nil
		}
		t := math.Exp(lo + (hi-lo)*float64(i)/float64(points-1))
		h, _ := z.held(t)
		size = append(size, h/float64(keys))
		hit = append(hit, z.hits(t))
	}
	return size, hit
}
