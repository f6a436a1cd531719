package cache

import (
	"fmt"
	"slices"
	"strings"

	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/grade"
	"dsim/sim/scenario/internal/show"
)

// ExerciseSeeds are the seeds every exercise is checked over, so that an
// answer right by the luck of one seed is not called right.
func ExerciseSeeds() []uint64 { return []uint64{1, 2, 3, 4, 5} }

// Remedies are the flush presets the first exercise asks about: which of
// them lets the flushed cache warm again?
func Remedies() []string {
	return []string{"flush-storm", "flush-no-retries", "flush-budget", "flush-coalesce"}
}

// outcomes remembers the verdicts of the presets over the exercise
// seeds: the runs are deterministic, and a student checks an answer more
// than once.
var outcomes grade.Memo[[]Outcome]

// recovers runs a preset on every exercise seed and reports whether the
// run was healthy at the end on each (Stable or Recovered), with the
// outcomes.
func recovers(name string) (bool, []string, error) {
	got, err := presetOutcomes(name)
	if err != nil {
		return false, nil, err
	}
	all := true
	var texts []string
	for _, o := range got {
		all = all && (o == Stable || o == Recovered)
		texts = append(texts, o.String())
	}
	return all, texts, nil
}

func presetOutcomes(name string) ([]Outcome, error) {
	return outcomes.Get(name, func() ([]Outcome, error) {
		cfg, err := PresetConfig(name)
		if err != nil {
			return nil, err
		}
		var got []Outcome
		for _, seed := range ExerciseSeeds() {
			cfg.Seed = seed
			res, err := Run(cfg)
			if err != nil {
				return nil, err
			}
			got = append(got, res.Verdict().Outcome)
		}
		return got, nil
	})
}

// CheckRemedies checks a prediction of which of Remedies let the cache
// warm again after the flush: the names of those that do, on every seed.
func CheckRemedies(recover []string) scenario.Check {
	if len(recover) == 0 {
		return scenario.Checkf(false, "list the presets you predict recover, from %s, then run the cell", strings.Join(Remedies(), ", "))
	}
	for _, name := range recover {
		if !slices.Contains(Remedies(), name) {
			return scenario.Checkf(false, "%q is not one of %s", name, strings.Join(Remedies(), ", "))
		}
	}
	var right []string
	var rows []string
	for _, name := range Remedies() {
		ok, outcomes, err := recovers(name)
		if err != nil {
			return scenario.Checkf(false, "%v", err)
		}
		if ok {
			right = append(right, name)
		}
		rows = append(rows, fmt.Sprintf("%s: %s", name, strings.Join(outcomes, ", ")))
	}
	evidence := fmt.Sprintf("over seeds %v, %s", ExerciseSeeds(), strings.Join(rows, "; "))
	got := slices.Clone(recover)
	slices.Sort(got)
	got = slices.Compact(got)
	want := slices.Clone(right)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		return scenario.Checkf(false, "not that set; run each preset and read its verdict (%d seeds each)", len(ExerciseSeeds()))
	}
	return scenario.Checkf(true, "the remedies that keep the database's load under its capacity (no retries, a retry budget) let it answer in time, and every answer in time fills the cache; %s", evidence)
}

// ExplainCoalesce checks the answer to: with coalescing, the clients'
// attempts mostly wait for a fetch in flight instead of querying the
// database; why does the cache still stay cold?
//
//	a: coalescing makes each miss wait longer, so more clients time out
//	b: the first reads of distinct keys alone nearly fill the database, so its queue stays long and every answer comes after the clients waiting for it gave up
//	c: a coalesced miss is counted as a miss even when its fetch fills the cache
//
// The evidence is the flush-coalesce preset over the seeds.
func ExplainCoalesce(choice string) scenario.Check {
	const key = "b"
	cfg, err := PresetConfig("flush-coalesce")
	if err != nil {
		return scenario.Checkf(false, "%v", err)
	}
	holds := true
	var busy, cold, merged []string
	for _, seed := range ExerciseSeeds() {
		cfg.Seed = seed
		res, err := Run(cfg)
		if err != nil {
			return scenario.Checkf(false, "%v", err)
		}
		l, ok := res.loop()
		if !ok {
			return scenario.Checkf(false, "flush-coalesce seed %d: the run is too short to measure its tail", seed)
		}
		holds = holds && l.dbIn >= busyShare*l.capacity && l.hit < coldShare*l.warm && res.Unfilled > 0
		busy = append(busy, fmt.Sprintf("%.0f%%", 100*l.dbIn/l.capacity))
		cold = append(cold, fmt.Sprintf("%.0f%%", 100*l.hit))
		merged = append(merged, fmt.Sprintf("%.0f%%", 100*show.Ratio(res.Coalesced, res.Attempts)))
	}
	evidence := fmt.Sprintf("over seeds %v after the flush, %s of attempts waited for a fetch in flight, yet the database ran at %s of its capacity, "+
		"the hit ratio stayed at %s, and the answers came after the clients had given up, filling nothing; coalescing merged the retries of each key, not the first reads of distinct keys, which alone (%.0f/s) nearly fill a database of %.0f/s",
		ExerciseSeeds(), strings.Join(merged, " "), strings.Join(busy, " "), strings.Join(cold, " "), cfg.Rate, cfg.dbCapacity())
	return choose(choice, key, "abc", evidence, holds)
}

// choose grades a multiple-choice answer and gives the evidence when it
// is right; holds says whether the runs bear the key out on every seed.
func choose(choice, key, options, evidence string, holds bool) scenario.Check {
	choice = strings.ToLower(strings.TrimSpace(choice))
	letters := strings.Join(strings.Split(options, ""), ", ")
	switch {
	case choice == "":
		return scenario.Checkf(false, "set choice to one of the letters %s, then run the cell", letters)
	case len(choice) != 1 || !strings.Contains(options, choice):
		return scenario.Checkf(false, "%q is not one of the letters %s", choice, letters)
	case choice != key:
		return scenario.Checkf(false, "the runs do not bear %s out; look again at the database's load and the hit ratio after the flush", choice)
	case !holds:
		return scenario.Checkf(false, "the expected answer does not hold on every seed here: %s", evidence)
	}
	return scenario.Checkf(true, "%s", evidence)
}
