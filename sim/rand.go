package sim

import (
	"dsim/sim/internal/hash"
	"math/rand/v2"
)

// Stream returns the random stream called name under the root seed.
//
// Streams are independent by construction: each is a PCG generator whose
// state is derived from (seed, name) alone. Adding a new stream, or drawing
// more numbers from one, never shifts the numbers another stream yields, so
// a change to one component of a model leaves the randomness of the others
// untouched. The same (seed, name) always gives the same sequence.
func Stream(seed uint64, name string) *rand.Rand {
	h := hash.String(name)
	return rand.New(rand.NewPCG(hash.Mix(seed^0x6a09e667f3bcc909), hash.Mix(seed+h)))
}
