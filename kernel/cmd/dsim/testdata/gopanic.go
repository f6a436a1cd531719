package main

import (
	"fmt"
	"time"
)

func main() {
	for i := 0; i < 3; i++ {
		go func(k int) {
			if k == 2 {
				panic(fmt.Sprintf("worker %d failed", k))
			}
		}(i)
	}
	time.Sleep(time.Hour)
}
