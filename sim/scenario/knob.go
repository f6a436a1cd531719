package scenario

import (
	"slices"
	"strings"
	"time"
)

// Kind is what a knob holds, which decides its field's Go type, how its
// value is written and read, and the control a front end draws for it.
type Kind string

// The kinds of knob.
const (
	Number   Kind = "number"       // a float64 field: a rate, a share, a factor
	Count    Kind = "count"        // an int field: slots, retries, replicas
	Duration Kind = "duration"     // a time.Duration field
	Switch   Kind = "switch"       // a bool field
	Choice   Kind = "choice"       // a string field (usually a named string type) taking one of Choices
	Dist     Kind = "distribution" // a dist.Dist field, written in its text form: exp(500ms)
	// Text is a structured field with a text form of its own (a load
	// schedule "0s:10, 30s:50"): its type reads itself with UnmarshalText
	// and writes itself with MarshalText. Its rules are checked by the
	// scenario's Validate.
	Text Kind = "text"
)

// Knob is one configuration field of a scenario, declared once: its name
// (the Config field), kind, unit, default, valid range and a one-line doc.
// Defaults, validation, command-line flags, sweep knobs, the explorer's
// controls and the documented knob tables all come from it.
//
// Write knobs with the constructors (Num, Int, Dur, Bool, OneOf,
// Distribution) and refine them with the methods that return a changed
// copy (ZeroMeans, DerivedFrom, Alias).
type Knob struct {
	// Name is the Config field the knob sets; a field of a nested struct
	// is written with a dot: "Backoff.Base", "Trigger.Start".
	Name string
	Kind Kind
	// Unit names what a Number or Count counts ("req/s", "slots",
	// "share"). Some units let a value be written in another form: a rate
	// ("req/s", "calls/min") takes another period ("300/min"), a "share"
	// or "chance" a percentage, a size ("MB") another size ("2GB").
	// Durations and distributions carry their own units.
	Unit string
	// Doc says in one line what the knob does.
	Doc string
	// Default is the value Default() sets, in the field's own type:
	// float64, int, time.Duration, bool, or a string for a choice and a
	// distribution's text.
	Default any
	// Min and Max bound the value, in the field's own numbers (nanoseconds
	// for a duration; for a distribution, its mean in nanoseconds when it
	// is one of durations). Unused for switches and choices.
	Min, Max float64
	// Zero, when set, says what zero means for this field ("no retries",
	// "unbounded"): zero is then a valid value outside [Min, Max] and is
	// kept. When empty, a zero field takes Default (zero means default).
	Zero string
	// Derived, when set, says how the default is worked out from other
	// fields ("Duration/120"): zero is filled by the scenario's own code,
	// after the table's defaults.
	Derived string
	// Choices are the values a Choice knob takes.
	Choices []string
	// Aliases are other command-line names for the knob, such as the
	// short flags of earlier versions ("rate" for BaseRate).
	Aliases []string
	// DurationValues marks a distribution knob whose values are durations
	// (a latency, a service time); others are plain numbers.
	DurationValues bool
	// Only lists the conditions on other knobs under which this one has
	// an effect (the users experiment's population, the function's
	// memory): a front end warns when a user sets it and they do not all
	// hold. None: it always matters.
	Only []Condition
}

// Condition is a rule on another knob's value, as Table.Get writes it
// ("users", "on", "0", "0s"): that value is one of Values, or with Not,
// none of them. A condition with Any instead holds when any of its
// alternatives does (a trigger's window matters with a spike, a capacity
// drop or a slowdown); alternatives do not nest.
type Condition struct {
	Field  string
	Values []string
	Not    bool
	Any    []Condition
}

// With is the condition that field has one of values.
func With(field string, values ...string) Condition {
	return Condition{Field: field, Values: values}
}

// Without is the condition that field has none of values.
func Without(field string, values ...string) Condition {
	return Condition{Field: field, Values: values, Not: true}
}

// String reads as the condition: "Experiment=users", "Users≠0",
// "Pattern=spike|ramp or Slowdown≠1".
func (c Condition) String() string {
	if len(c.Any) > 0 {
		parts := make([]string, len(c.Any))
		for i, a := range c.Any {
			parts[i] = a.String()
		}
		return strings.Join(parts, " or ")
	}
	op := "="
	if c.Not {
		op = "≠"
	}
	return c.Field + op + strings.Join(c.Values, "|")
}

// Num declares a float64 knob with its unit, default and range [min, max].
func Num(name, unit, doc string, def, min, max float64) Knob {
	return Knob{Name: name, Kind: Number, Unit: unit, Doc: doc, Default: def, Min: min, Max: max}
}

// Int declares an int knob with its unit, default and range [min, max].
func Int(name, unit, doc string, def, min, max int) Knob {
	return Knob{Name: name, Kind: Count, Unit: unit, Doc: doc, Default: def, Min: float64(min), Max: float64(max)}
}

// Dur declares a time.Duration knob with its default and range [min, max].
func Dur(name, doc string, def, min, max time.Duration) Knob {
	return Knob{Name: name, Kind: Duration, Doc: doc, Default: def, Min: float64(min), Max: float64(max)}
}

// Bool declares a switch with its default.
func Bool(name, doc string, def bool) Knob {
	return Knob{Name: name, Kind: Switch, Doc: doc, Default: def}
}

// OneOf declares a choice among choices, with its default.
func OneOf(name, doc, def string, choices ...string) Knob {
	return Knob{Name: name, Kind: Choice, Doc: doc, Default: def, Choices: choices}
}

// Distribution declares a dist.Dist knob of durations whose default is the
// text def ("exp(500ms)") and whose mean must lie in [min, max].
func Distribution(name, doc, def string, min, max time.Duration) Knob {
	return Knob{Name: name, Kind: Dist, Doc: doc, Default: def, Min: float64(min), Max: float64(max), DurationValues: true}
}

// Textual declares a structured knob whose type has a text form (it
// implements encoding.TextMarshaler and, by pointer, TextUnmarshaler);
// example shows the form in the documentation. Its default is empty.
func Textual(name, doc, example string) Knob {
	return Knob{Name: name, Kind: Text, Doc: doc, Default: "", Unit: example}
}

// ZeroMeans returns k with zero as a value of its own, meaning what: zero
// is then kept rather than replaced by the default.
func (k Knob) ZeroMeans(what string) Knob {
	k.Zero = what
	return k
}

// DerivedFrom returns k with a default worked out by the scenario from
// other fields, described by how ("Duration/120").
func (k Knob) DerivedFrom(how string) Knob {
	k.Derived = how
	return k
}

// OnlyWith returns k marked as having an effect only when the knob field
// has one of values (as Table.Get writes them: "users", "on", "0s").
func (k Knob) OnlyWith(field string, values ...string) Knob {
	k.Only = append(slices.Clone(k.Only), Condition{Field: field, Values: values})
	return k
}

// OnlyWithout returns k marked as having an effect only when the knob
// field has none of values ("0": a count left at none).
func (k Knob) OnlyWithout(field string, values ...string) Knob {
	k.Only = append(slices.Clone(k.Only), Condition{Field: field, Values: values, Not: true})
	return k
}

// OnlyWithEither returns k marked as having an effect only when at least
// one of alternatives holds (With, Without): a condition ANDed with the
// knob's others.
func (k Knob) OnlyWithEither(alternatives ...Condition) Knob {
	k.Only = append(slices.Clone(k.Only), Condition{Any: slices.Clone(alternatives)})
	return k
}

// Alias returns k with more command-line names.
func (k Knob) Alias(names ...string) Knob {
	k.Aliases = append(append([]string(nil), k.Aliases...), names...)
	return k
}

// Flag is the knob's command-line name: its field path in lower case with
// words joined by dashes ("Backoff.Base" is backoff-base, "BaseRate" is
// base-rate).
func (k Knob) Flag() string { return flagName(k.Name) }

// Labelled reports whether a sweep gives the knob Labels (texts) rather
// than Values (numbers): choices, distributions and texts.
func (k Knob) Labelled() bool { return k.Kind == Choice || k.Kind == Dist || k.Kind == Text }

// zeroFills reports whether a zero field takes the default.
func (k Knob) zeroFills() bool {
	return k.Zero == "" && k.Derived == "" && k.Kind != Switch && k.Kind != Text
}

// ranged reports whether the knob has a numeric range.
func (k Knob) ranged() bool {
	return k.Kind == Number || k.Kind == Count || k.Kind == Duration || k.Kind == Dist
}

func flagName(name string) string {
	var b []byte
	prevLower := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '.' || c == '_' || c == '-':
			if len(b) > 0 && b[len(b)-1] != '-' {
				b = append(b, '-')
			}
			prevLower = false
			continue
		case c >= 'A' && c <= 'Z':
			// A capital starts a word after a lower-case letter, or before
			// one when it ends an acronym ("CVRatio" is cv-ratio).
			nextLower := i+1 < len(name) && name[i+1] >= 'a' && name[i+1] <= 'z'
			if len(b) > 0 && b[len(b)-1] != '-' && (prevLower || nextLower && i > 0 && name[i-1] >= 'A' && name[i-1] <= 'Z') {
				b = append(b, '-')
			}
			c += 'a' - 'A'
			prevLower = false
		default:
			prevLower = c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		}
		b = append(b, c)
	}
	return string(b)
}

// normal folds a knob or flag name for lookup: case, dashes, dots and
// underscores do not matter, so -BaseRate, -base-rate and -baserate are one.
func normal(name string) string {
	b := make([]byte, 0, len(name))
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '.' || c == '_' || c == '-':
			continue
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return string(b)
}
