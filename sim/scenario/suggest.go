package scenario

// Suggestions for a mistyped name: the one place that decides what is
// close enough to offer, for knobs, flags, presets and scenarios alike.

// maxSuggestName bounds the names compared: the distance costs the product
// of the two lengths, and no knob or preset is longer.
const maxSuggestName = 64

// Closest returns the candidate nearest to name, or "" when none is near
// enough to be a likely slip of the keyboard. Case, dashes, dots and
// underscores do not count (-Timout, -timout and -tim-out are one), a
// swapped pair of letters costs one edit, and a name is near when it is
// at most a third of its letters (one to three) away, or, at three letters
// or more, the start of exactly one candidate ("dur" for duration). Ties
// go to the earlier candidate. Cost: O(len(name) × the candidates' total
// length).
func Closest(name string, candidates []string) string {
	groups := make([][]string, len(candidates))
	for i, c := range candidates {
		groups[i] = []string{c}
	}
	if i := closest(name, groups); i >= 0 {
		return candidates[i]
	}
	return ""
}

// closest is Closest over groups of names that stand for one thing (a
// knob's field name, flag and aliases): the index of the nearest group,
// or -1.
func closest(name string, groups [][]string) int {
	n := normal(name)
	if n == "" || len(n) > maxSuggestName {
		return -1
	}
	limit := min(max(len(n)/3, 1), 3)
	best, bestD := -1, limit+1
	prefix, prefixes := -1, 0
	for i, g := range groups {
		for _, c := range g {
			m := normal(c)
			if m == n {
				return i
			}
			if len(m) > maxSuggestName {
				continue
			}
			if d := distance(n, m); d < bestD && d < len(n) && d < len(m) {
				best, bestD = i, d
			}
			if len(n) >= 3 && len(m) > len(n) && m[:len(n)] == n && prefix != i {
				prefix, prefixes = i, prefixes+1
			}
		}
	}
	if best < 0 && prefixes == 1 {
		return prefix
	}
	return best
}

// DidYouMean is "; did you mean X?" with the candidate Closest finds, or ""
// when there is none: the tail of an error for an unknown name.
func DidYouMean(name string, candidates []string) string {
	if c := Closest(name, candidates); c != "" {
		return "; did you mean " + c + "?"
	}
	return ""
}

// distance is the optimal string alignment distance between a and b: the
// fewest insertions, deletions, substitutions and swaps of neighbours.
func distance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// groups lists each knob's names (field, flag, aliases), then each of
// extra alone.
func (t *Table) groups(extra []string) [][]string {
	gs := make([][]string, 0, len(t.knobs)+len(extra))
	for _, k := range t.knobs {
		gs = append(gs, append([]string{k.Name, k.Flag()}, k.Aliases...))
	}
	for _, e := range extra {
		gs = append(gs, []string{e})
	}
	return gs
}

// SuggestFlag returns the command-line flag ("-timeout") nearest to name
// among the knobs' names, flags and aliases and the extra flags a front
// end adds (preset, seed), as Closest judges; "" when none is near.
func (t *Table) SuggestFlag(name string, extra ...string) string {
	i := closest(name, t.groups(extra))
	switch {
	case i < 0:
		return ""
	case i < len(t.knobs):
		return "-" + t.knobs[i].Flag()
	}
	return "-" + extra[i-len(t.knobs)]
}

// suggestKnob is "; did you mean Field?" for the knob nearest to name, or "".
func (t *Table) suggestKnob(name string) string {
	if i := closest(name, t.groups(nil)); i >= 0 {
		return "; did you mean " + t.knobs[i].Name + "?"
	}
	return ""
}
