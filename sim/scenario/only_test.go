package scenario_test

import (
	"strings"
	"testing"

	"dsim/sim/scenario"
)

type modes struct {
	Seed    uint64
	Mode    string
	Users   int
	Think   float64
	Breaker bool
	Window  int
	Pause   float64
}

var modeKnobs = scenario.NewTable("modes", modes{}, nil,
	scenario.OneOf("Mode", "the study", "users", "users", "threads"),
	scenario.Int("Users", "users", "closed load", 0, 1, 100).ZeroMeans("open load").OnlyWith("Mode", "users"),
	scenario.Num("Think", "s", "think time", 1, 0.1, 10).OnlyWith("Mode", "users").OnlyWithout("Users", "0"),
	scenario.Bool("Breaker", "a breaker", false),
	scenario.Int("Window", "calls", "the breaker's window", 20, 1, 100).OnlyWith("Breaker", "on"),
	scenario.Num("Pause", "s", "a pause", 1, 0.1, 10).OnlyWithEither(scenario.With("Mode", "threads"), scenario.Without("Users", "0")).OnlyWithout("Breaker", "on"),
)

// A knob whose conditions do not hold says why it does nothing.
func TestIgnored(t *testing.T) {
	for _, tc := range []struct {
		set  map[string]string
		knob string
		want string
	}{
		{map[string]string{}, "Users", ""},
		{map[string]string{"Mode": "threads"}, "Users", "it matters only with Mode=users; here Mode=threads"},
		{map[string]string{}, "Think", "it matters only with Users≠0; here Users=0"},
		{map[string]string{"Users": "5"}, "Think", ""},
		{map[string]string{"Users": "5", "Mode": "threads"}, "think", "it matters only with Mode=users; here Mode=threads"},
		{map[string]string{}, "Window", "it matters only with Breaker=on; here Breaker=off"},
		{map[string]string{"Breaker": "yes"}, "window", ""},
		{map[string]string{}, "Mode", ""},
		{map[string]string{}, "Pause", "it matters only with Mode=threads or Users≠0; here Mode=users, Users=0"},
		{map[string]string{"Mode": "threads"}, "Pause", ""},
		{map[string]string{"Users": "3"}, "Pause", ""},
		{map[string]string{"Users": "3", "Breaker": "on"}, "Pause", "it matters only with Breaker≠on; here Breaker=on"},
	} {
		var c modes
		_ = modeKnobs.Defaults(&c)
		for k, v := range tc.set {
			if err := modeKnobs.Set(&c, k, v); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := modeKnobs.Ignored(c, tc.knob); err != nil || got != tc.want {
			t.Errorf("%v: Ignored(%s) = %q, %v; want %q", tc.set, tc.knob, got, err, tc.want)
		}
	}
	if _, err := modeKnobs.Ignored(modes{}, "nope"); err == nil {
		t.Error("an unknown knob: no error")
	}
}

// A condition on no knob, or on a value its knob never writes, is a
// mistake in the table, caught when it is made.
func TestBadConditionsPanic(t *testing.T) {
	for _, k := range []scenario.Knob{
		scenario.Int("Users", "users", "", 1, 1, 9).OnlyWith("Nope", "x"),
		scenario.Int("Users", "users", "", 1, 1, 9).OnlyWith("Mode", "people"),
		scenario.Int("Users", "users", "", 1, 1, 9).OnlyWith("Breaker", "true"),
		scenario.Int("Users", "users", "", 1, 1, 9).OnlyWith("Users", "1"),
		scenario.Int("Users", "users", "", 1, 1, 9).OnlyWith("Mode"),
		scenario.Int("Users", "users", "", 1, 1, 9).OnlyWithEither(scenario.With("Mode", "threads")),
		scenario.Int("Users", "users", "", 1, 1, 9).OnlyWithEither(scenario.With("Mode", "threads"), scenario.With("Breaker", "maybe")),
		scenario.Int("Users", "users", "", 1, 1, 9).OnlyWithEither(scenario.With("Mode", "threads"),
			scenario.Condition{Any: []scenario.Condition{scenario.With("Mode", "users"), scenario.With("Breaker", "on")}}),
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), "condition") {
					t.Errorf("%v: recovered %v", k.Only, r)
				}
			}()
			scenario.NewTable("bad", modes{}, []string{"Think: x", "Window: x"},
				scenario.OneOf("Mode", "", "users", "users", "threads"), scenario.Bool("Breaker", "", false), k)
		}()
	}
}

// Help and documentation say when a knob matters, in flags.
func TestOnlyText(t *testing.T) {
	for name, want := range map[string]string{
		"Mode":   "",
		"Users":  "only with -mode users",
		"Think":  "only with -mode users and -users other than 0",
		"Window": "only with -breaker on",
		"Pause":  "only with (either -mode threads, or -users other than 0) and -breaker other than on",
	} {
		k, _ := modeKnobs.Lookup(name)
		if got := k.OnlyText(); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if doc := modeKnobs.Doc().Markdown(); !strings.Contains(doc, "| the breaker's window (only with -breaker on) |") {
		t.Errorf("the documented table does not say when Window matters:\n%s", doc)
	}
}
