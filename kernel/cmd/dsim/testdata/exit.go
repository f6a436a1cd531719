package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Println("leaving with 3")
	os.Exit(3)
}
