package csi_test

import (
	"fmt"

	"dsim/sim/scenario/csi"
)

// The producer encodes text in Latin-1 and the consumer decodes UTF-8: no
// error anywhere, and the checker finds every order whose text is not
// ASCII corrupted.
func Example() {
	cfg, _ := csi.PresetConfig("encoding")
	res, err := csi.Run(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("errors seen:", res.Errors)
	fmt.Println("corrupted:", res.Silents, "of", len(res.Orders))
	fmt.Println(res.Explain().Group)
	fmt.Println(res.Failed()[0].Why)
	// Output:
	// errors seen: 0
	// corrupted: 1194 of 3038
	// text = Latin-1 letters or text = letters beyond Latin-1
	// customer: A wrote "Antonín Dvořák", B read "Anton�n Dvo?�k" (A encodes latin-1, which has no 'ř': it wrote '?')
}

// A schema registry checks structure: it passes an added optional field
// that a write-read test shows is dropped.
func ExampleCheck() {
	cfg, _ := csi.PresetConfig("version-skew")
	res, _ := csi.Run(cfg)
	for _, c := range res.Checks[:2] {
		fmt.Println(c.Name, "caught:", c.Caught)
	}
	// Output:
	// write-read test caught: true
	// schema registry caught: false
}
