package main

import (
	"fmt"
	"time"

	"dsim/sim/scenario/metastable"
)

// A run of 200 virtual hours: compiled code, stopped by -timeout through
// the context the engine watches.
func main() {
	c, _ := metastable.PresetConfig("recovery")
	c.Duration = 200 * time.Hour
	c.Window = time.Minute
	r, err := metastable.Run(c)
	fmt.Println(r != nil, err)
}
