package service

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// MaxKeys bounds the key space of a load: its table takes 8 bytes a key.
const MaxKeys = 10_000_000

// Keys is the popularity of the keys a load asks for: key i of N (0 to
// N-1) with probability proportional to 1/(i+1)^Skew, Zipf's law; Skew 0
// is uniform. Web caches see Skew between about 0.6 and 1.2 (Breslau et
// al., "Web Caching and Zipf-like Distributions", INFOCOM 1999).
type Keys struct {
	N    int     // how many keys; 0: every request has key 0
	Skew float64 // Zipf's exponent s, 0 to 10; 0 is uniform
}

func (k Keys) validate(c Component, field string) error {
	switch {
	case k.N < 0 || k.N > MaxKeys:
		return bad(c, field+".N", k.N, fmt.Sprintf("must be between 0 and %d keys", MaxKeys))
	case !(k.Skew >= 0 && k.Skew <= 10):
		return bad(c, field+".Skew", k.Skew, "must be between 0 (uniform) and 10")
	}
	return nil
}

// Probability is the chance that a request asks for key i (Zipf's law
// normalised over the N keys), for theory beside a run. Cost: O(N).
func (k Keys) Probability(i int) float64 {
	if i < 0 || i >= k.N {
		return 0
	}
	sum := 0.0
	for j := 1; j <= k.N; j++ {
		sum += math.Pow(float64(j), -k.Skew)
	}
	return math.Pow(float64(i+1), -k.Skew) / sum
}

// sampler draws keys in O(1) by Walker's alias method (Vose's stable
// construction): one uniform index and one coin per draw.
type sampler struct {
	prob  []float32
	alias []int32
	n     int
}

func newSampler(k Keys) *sampler {
	s := &sampler{n: k.N}
	if k.N <= 1 || k.Skew == 0 {
		return s // uniform: no table
	}
	n := k.N
	w := make([]float64, n)
	sum := 0.0
	for i := range w {
		w[i] = math.Pow(float64(i+1), -k.Skew)
		sum += w[i]
	}
	s.prob, s.alias = make([]float32, n), make([]int32, n)
	small, large := make([]int32, 0, n), make([]int32, 0, n)
	for i := range w {
		w[i] *= float64(n) / sum
		if w[i] < 1 {
			small = append(small, int32(i))
		} else {
			large = append(large, int32(i))
		}
	}
	for len(small) > 0 && len(large) > 0 {
		l, g := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		s.prob[l], s.alias[l] = float32(w[l]), g
		w[g] += w[l] - 1
		if w[g] < 1 {
			large = large[:len(large)-1]
			small = append(small, g)
		}
	}
	// What is left is 1 up to rounding.
	for _, i := range large {
		s.prob[i], s.alias[i] = 1, i
	}
	for _, i := range small {
		s.prob[i], s.alias[i] = 1, i
	}
	return s
}

func (s *sampler) draw(r *rand.Rand) uint64 {
	if s.n <= 1 {
		return 0
	}
	i := r.IntN(s.n)
	if s.prob == nil || r.Float32() < s.prob[i] {
		return uint64(i)
	}
	return uint64(s.alias[i])
}
