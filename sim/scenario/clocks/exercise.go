package clocks

import (
	"fmt"
	"strings"
	"time"

	"dsim/sim/exercise"
	"dsim/sim/scenario/internal/grade"
)

// The lesson's exercises ask a student to predict, run and explain; these
// functions check the answers over ExerciseSeeds seeds, so that no answer
// rests on one lucky run, and say what the runs showed.

// ExerciseSeeds are the seeds every check runs.
func ExerciseSeeds() []uint64 { return []uint64{1, 2, 3, 4, 5} }

// Answer is a checked answer: whether it holds on every seed, and why
// (see package exercise).
type Answer = exercise.Answer

// SkewCandidates are the skews the first exercise offers.
func SkewCandidates() []time.Duration {
	return []time.Duration{time.Millisecond, 5 * time.Millisecond, 20 * time.Millisecond, 100 * time.Millisecond}
}

// LostAtSkew runs the lww-skew preset with the given Skew on every
// exercise seed and returns the writes physical stamps lost in each.
func LostAtSkew(skew time.Duration) ([]int, error) {
	cfg, err := PresetConfig("lww-skew")
	if err != nil {
		return nil, err
	}
	cfg.Skew = skew
	var lost []int
	for _, seed := range ExerciseSeeds() {
		cfg.Seed = seed
		res, err := Run(cfg)
		if err != nil {
			return nil, err
		}
		lost = append(lost, res.Order.LostPhysical)
	}
	return lost, nil
}

// CheckSkew checks a prediction of the smallest of SkewCandidates at
// which physical stamps lose a write in at least one of the seeds (the
// lww-skew preset, messages taking about 10ms).
func CheckSkew(prediction time.Duration) Answer {
	if prediction == 0 {
		return Answer{Why: "set prediction to one of " + grade.Durations(SkewCandidates()) + ", then run the cell"}
	}
	var rows []string
	smallest := time.Duration(0)
	for _, skew := range SkewCandidates() {
		lost, err := LostAtSkew(skew)
		if err != nil {
			return Answer{Why: err.Error()}
		}
		total := 0
		for _, n := range lost {
			total += n
		}
		if total > 0 && smallest == 0 {
			smallest = skew
		}
		rows = append(rows, fmt.Sprintf("±%v: %v", skew, lost))
	}
	evidence := fmt.Sprintf("writes lost per seed %v: %s", ExerciseSeeds(), strings.Join(rows, "; "))
	if prediction != smallest {
		return Answer{Why: fmt.Sprintf("the smallest skew that loses a write is not %v; run the preset at each skew and count (%d seeds each)", prediction, len(ExerciseSeeds()))}
	}
	return Answer{OK: true, Why: fmt.Sprintf("from ±%v on, two clocks are sometimes further apart than the time from one write, through a message, to a write that follows it. %s", smallest, evidence)}
}

// ExplainLostWrites checks the answer to: why does a write made after
// another lose to it under physical stamps?
//
//	a: the network delivered the messages out of order
//	b: the two clocks were further apart than the time from one write to the other
//	c: the later write's process had not yet received the earlier write
//
// The evidence is every lost write of the lww-skew preset over the seeds.
func ExplainLostWrites(choice string) Answer {
	const key = "b"
	cfg, err := PresetConfig("lww-skew")
	if err != nil {
		return Answer{Why: err.Error()}
	}
	lost, wider := 0, 0
	var gap, apart time.Duration
	for _, seed := range ExerciseSeeds() {
		cfg.Seed = seed
		res, err := Run(cfg)
		if err != nil {
			return Answer{Why: err.Error()}
		}
		for _, p := range res.lostPairs() {
			a, b := res.Events[p[0]], res.Events[p[1]]
			// The clocks' difference at b: how far a's clock was ahead of b's.
			d := (a.Clock - a.At) - (b.Clock - b.At)
			lost++
			gap += (b.At - a.At).Duration()
			apart += d.Duration()
			if d > b.At-a.At {
				wider++
			}
		}
	}
	if lost == 0 {
		return Answer{Why: "no write was lost on these seeds"}
	}
	evidence := fmt.Sprintf("in %d of %d lost writes over %d seeds, the earlier write's clock was ahead of the later one's by more than the time between them (on average %v ahead, %v between)",
		wider, lost, len(ExerciseSeeds()), (apart / time.Duration(lost)).Round(time.Millisecond), (gap / time.Duration(lost)).Round(time.Millisecond))
	return choose(choice, key, "abc", evidence, wider == lost)
}

// lostPairs lists, for each write lost under physical stamps, the write
// it lost to (the latest one before it with a larger stamp) and itself.
func (r *Result) lostPairs() [][2]int {
	var pairs [][2]int
	for j, b := range r.writes {
		for i := j - 1; i >= 0; i-- {
			a := r.writes[i]
			if r.HappensBefore(a.event, b.event) && b.physical.less(a.physical) {
				pairs = append(pairs, [2]int{a.event, b.event})
				break
			}
		}
	}
	return pairs
}

// CheckBefore checks a student's vector-clock comparison: before(a, b)
// must report whether the event stamped a happens before the one stamped
// b, for every pair of events of the spacetime and sessions presets on
// each seed, against happens-before computed from the message trace.
func CheckBefore(before func(a, b []int) bool) Answer {
	if before == nil {
		return Answer{Why: "write the function before, then run the cell"}
	}
	pairs := int64(0)
	for _, name := range []string{"spacetime", "sessions"} {
		cfg, err := PresetConfig(name)
		if err != nil {
			return Answer{Why: err.Error()}
		}
		for _, seed := range ExerciseSeeds() {
			cfg.Seed = seed
			res, err := Run(cfg)
			if err != nil {
				return Answer{Why: err.Error()}
			}
			for i, a := range res.Events {
				for j, b := range res.Events {
					if i == j {
						continue
					}
					pairs++
					if got, want := before(a.Vector, b.Vector), res.HappensBefore(i, j); got != want {
						rel := "does not happen before"
						if want {
							rel = "happens before"
						}
						return Answer{Why: fmt.Sprintf("before(%v, %v) = %v, but %s %s %s (%s preset, seed %d)",
							a.Vector, b.Vector, got, res.Describe(i), rel, res.Describe(j), name, seed)}
					}
				}
			}
		}
	}
	return Answer{OK: true, Why: fmt.Sprintf("your comparison agrees with happens-before on all %d ordered pairs of events (2 presets, %d seeds each)", pairs, len(ExerciseSeeds()))}
}

// ExplainTokenWait checks the answer to: with session tokens no read is
// stale, but clients wait longer; why?
//
//	a: a token makes the message bigger, so it takes longer to arrive
//	b: a process that lacks a write the token names must fetch it before it answers
//	c: the client waits for every process to answer
//
// The evidence is the sessions and session-tokens presets over the seeds.
func ExplainTokenWait(choice string) Answer {
	const key = "b"
	var plain, tokens []string
	slower, pulled := 0, 0
	for _, seed := range ExerciseSeeds() {
		waits := [2]time.Duration{}
		for k, name := range []string{"sessions", "session-tokens"} {
			cfg, err := PresetConfig(name)
			if err != nil {
				return Answer{Why: err.Error()}
			}
			cfg.Seed = seed
			res, err := Run(cfg)
			if err != nil {
				return Answer{Why: err.Error()}
			}
			waits[k] = res.Sessions.MeanWait()
			if k == 1 && res.Sessions.Pulls > 0 {
				pulled++
			}
		}
		plain = append(plain, waits[0].Round(time.Millisecond).String())
		tokens = append(tokens, waits[1].Round(time.Millisecond).String())
		if waits[1] > waits[0] {
			slower++
		}
	}
	evidence := fmt.Sprintf("over %d seeds the mean wait went from [%s] to [%s] (longer in %d), and processes pulled missing writes in %d of them; message sizes do not count here, and each client waits for one process",
		len(ExerciseSeeds()), strings.Join(plain, " "), strings.Join(tokens, " "), slower, pulled)
	return choose(choice, key, "abc", evidence, slower == len(ExerciseSeeds()) && pulled == len(ExerciseSeeds()))
}

// choose grades a multiple-choice answer and gives the evidence when it
// is right; holds says whether the runs bear the key out on every seed,
// so that a change to the model that breaks the explanation shows.
func choose(choice, key, options, evidence string, holds bool) Answer {
	choice = strings.ToLower(strings.TrimSpace(choice))
	switch {
	case choice == "":
		return Answer{Why: "set choice to one of the letters " + strings.Join(strings.Split(options, ""), ", ") + ", then run the cell"}
	case len(choice) != 1 || !strings.Contains(options, choice):
		return Answer{Why: fmt.Sprintf("%q is not one of the letters %s", choice, strings.Join(strings.Split(options, ""), ", "))}
	case choice != key:
		return Answer{Why: fmt.Sprintf("the runs do not bear %s out; look again at what the numbers above show", choice)}
	case !holds:
		return Answer{Why: "the expected answer does not hold on every seed here: " + evidence}
	}
	return Answer{OK: true, Why: evidence}
}
