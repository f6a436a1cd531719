package main

// A recursion without end: the worker runs out of stack, and dsim says so
// in one line.
func f(n int) int { return f(n+1) + 1 }

func main() { f(0) }
