package service

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
)

func run(t testing.TB, sys *System) {
	t.Helper()
	if err := sys.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestWiringErrors(t *testing.T) {
	exp := dist.MustParse("exp(10ms)")
	for _, tc := range []struct {
		name  string
		build func(*System)
		want  string
	}{
		{"empty", func(s *System) {}, "no components"},
		{"missing", func(s *System) {
			s.Add(&Source{Name: "load", Target: "app", Rate: 1}, &Server{Name: "api", Slots: 1, Service: exp})
		}, `Source "load" calls "app": no component has that name (have "load", "api")`},
		{"cycle", func(s *System) {
			s.Add(&Source{Name: "load", Target: "a", Rate: 1},
				&Server{Name: "a", Slots: 1, Service: exp, Calls: []string{"b"}},
				&Server{Name: "b", Slots: 1, Service: exp, Calls: []string{"c"}},
				&Client{Name: "c", Target: "a"})
		}, "calls go round in a cycle: a -> b -> c -> a"},
		{"self", func(s *System) {
			s.Add(&Source{Name: "load", Target: "a", Rate: 1}, &Server{Name: "a", Slots: 1, Service: exp, Calls: []string{"a"}})
		}, "cycle: a -> a"},
		{"load as target", func(s *System) {
			s.Add(&Source{Name: "load", Target: "other", Rate: 1}, &Source{Name: "other", Target: "load", Rate: 1})
		}, `calls "other", a Source, which makes calls and takes none`},
		{"duplicate", func(s *System) {
			s.Add(&Source{Name: "x", Target: "x", Rate: 1}, &Server{Name: "x", Slots: 1, Service: exp})
		}, `Server "x": Name="x" is taken by Source "x"`},
		{"no name", func(s *System) { s.Add(&Server{Slots: 1, Service: exp}) }, "a Server has no Name"},
		{"no target", func(s *System) { s.Add(&Source{Name: "load", Rate: 1}) }, `Source "load": Target="": names no component`},
		{"slots", func(s *System) { s.Add(&Server{Name: "app", Service: exp}) }, `service: Server "app": Slots=0: must be between 1 and 1000000`},
		{"fault target", func(s *System) {
			s.Add(&Source{Name: "load", Target: "app", Rate: 1}, &Server{Name: "app", Slots: 1, Service: exp})
			s.Schedule(Fault{Target: "ap", Kind: Crash})
		}, `Fault[0] (crash of "ap"): Target="ap": no component has that name`},
		{"fault kind", func(s *System) {
			s.Add(&Source{Name: "load", Target: "app", Rate: 1}, &Server{Name: "app", Slots: 1, Service: exp})
			s.Schedule(Fault{Target: "app", Kind: Flush})
		}, "a Server cannot have a flush fault"},
		{"fault factor", func(s *System) {
			s.Add(&Source{Name: "load", Target: "app", Rate: 1}, &Server{Name: "app", Slots: 1, Service: exp})
			s.Schedule(Fault{Target: "app", Kind: Slowdown, Factor: 0.5})
		}, "Factor=0.5: must be between 1 and 1000"},
	} {
		s := New(Config{})
		tc.build(s)
		err := s.Run(context.Background())
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "service: ") {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestOneSystemEach(t *testing.T) {
	app := &Server{Name: "app", Slots: 1, Service: dist.MustParse("exp(10ms)")}
	a, b := New(Config{}), New(Config{})
	a.Add(&Source{Name: "load", Target: "app", Rate: 1}, app)
	b.Add(app)
	if err := b.Check(); err == nil || !strings.Contains(err.Error(), "belongs to another system") {
		t.Errorf("shared component: %v", err)
	}
	run(t, a)
	if err := a.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "has run already") {
		t.Errorf("second run: %v", err)
	}
}

func TestMaxCalls(t *testing.T) {
	sys := New(Config{Duration: time.Minute, MaxCalls: 1000})
	sys.Add(&Source{Name: "load", Target: "app", Rate: 100}, &Server{Name: "app", Slots: 1, Service: dist.MustParse("1s")})
	err := sys.Run(context.Background())
	var lim *LimitError
	var se *sim.Error
	if !errors.As(err, &lim) || !errors.As(err, &se) || lim.Value != 1000 || !strings.Contains(err.Error(), "Config.MaxCalls=1000") {
		t.Fatalf("got %v", err)
	}
}
