// Package pick holds what every scenario package does the same way:
// finding a preset by name and laying runs side by side. Scenarios never
// import each other; they share this instead. It is internal, so its type
// parameters never reach a script.
package pick

import (
	"fmt"
	"strings"

	"dsim/sim/metrics"
)

// Named returns the item of items whose name is name, or an error, prefixed
// with pkg, that lists the names there are.
func Named[T any](pkg string, items []T, name string, nameOf func(T) string) (T, error) {
	var names []string
	for _, it := range items {
		if nameOf(it) == name {
			return it, nil
		}
		names = append(names, nameOf(it))
	}
	var zero T
	return zero, fmt.Errorf("%s: unknown preset %q (want one of %s)", pkg, name, strings.Join(names, ", "))
}

// SideBySide starts a table with a column per run and returns it with a
// function that adds a row: a label and the cell each run gives.
func SideBySide[R any](names []string, results []R) (*metrics.Table, func(label string, cell func(R) any)) {
	t := metrics.NewTable("Side by side", append([]string{"metric"}, names...)...)
	return t, func(label string, cell func(R) any) {
		cells := []any{label}
		for _, r := range results {
			cells = append(cells, cell(r))
		}
		t.Add(cells...)
	}
}

// Names lists the names of items, in order: a label knob's labels.
func Names[T any](items []T, nameOf func(T) string) []string {
	ns := make([]string, len(items))
	for i, it := range items {
		ns[i] = nameOf(it)
	}
	return ns
}
