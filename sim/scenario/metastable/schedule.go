package metastable

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Step is one piece of a Schedule: from At on, requests arrive at Rate per
// second, until the next step.
type Step struct {
	At   time.Duration
	Rate float64
}

// Schedule is the load of the "schedule" pattern: steps in increasing time
// order. Its text form, for flags and the explorer, lists at:rate pairs:
// "20s:50, 30s:15" is 50 req/s from 20s and 15 req/s from 30s.
type Schedule []Step

// String is the text form.
func (s Schedule) String() string {
	parts := make([]string, len(s))
	for i, st := range s {
		parts[i] = fmt.Sprintf("%v:%s", st.At, strconv.FormatFloat(st.Rate, 'g', -1, 64))
	}
	return strings.Join(parts, ", ")
}

// MarshalText writes the text form.
func (s Schedule) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads the text form; the steps are checked by Validate.
func (s *Schedule) UnmarshalText(text []byte) error {
	var out Schedule
	for i, part := range strings.Split(string(text), ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if len(out) >= maxSteps {
			return fmt.Errorf("at most %d steps", maxSteps)
		}
		at, rate, ok := strings.Cut(part, ":")
		if !ok {
			return fmt.Errorf("step %d %q: want at:rate, such as 20s:50", i+1, part)
		}
		d, err := time.ParseDuration(strings.TrimSpace(at))
		if err != nil {
			return fmt.Errorf("step %d %q: the time %q is not a duration such as 20s", i+1, part, at)
		}
		r, err := strconv.ParseFloat(strings.TrimSpace(rate), 64)
		if err != nil {
			return fmt.Errorf("step %d %q: the rate %q is not a number of requests per second", i+1, part, rate)
		}
		out = append(out, Step{At: d, Rate: r})
	}
	*s = out
	return nil
}

// validate checks the steps: increasing times from 0, rates in range.
func (s Schedule) validate() error {
	prev := time.Duration(-1)
	for i, st := range s {
		field := fmt.Sprintf("Schedule[%d]", i)
		switch {
		case st.At < 0 || st.At <= prev:
			return bad(field+".At", st.At, "steps must be in increasing time order, from 0")
		case st.At > 1000*time.Hour:
			return bad(field+".At", st.At, "must be at most 1000h")
		case !(st.Rate >= 0) || st.Rate > 1e6:
			return bad(field+".Rate", st.Rate, "requests per second must be between 0 and 1e+06")
		}
		prev = st.At
	}
	return nil
}
