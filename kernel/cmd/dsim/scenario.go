package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"dsim/kernel/display"
	"dsim/sim/metrics"
	"dsim/sim/scenario"
	"dsim/sim/scenario/registry"
	"dsim/sim/viz"
)

// scenarioArgs is a scenario command line: the common flags and the knob
// settings in the order given.
type scenarioArgs struct {
	preset, out string
	seed        *uint64
	help        bool
	knobs       [][2]string // name, text
}

// parseScenarioArgs reads -preset, -seed, -out, -h and -KNOB value (or
// -KNOB=value; a switch alone means on). A flag given twice is an error,
// so that "-preset a -preset b" cannot silently keep one of them.
func parseScenarioArgs(s scenario.Scenario, args []string) (scenarioArgs, error) {
	a := scenarioArgs{out: "out"}
	seen := map[string]bool{}
	lastSwitch := ""
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if !strings.HasPrefix(arg, "-") || arg == "-" || arg == "--" {
			if lastSwitch != "" && i > 0 && args[i-1] == lastSwitch {
				return a, fmt.Errorf("%w: %s is a switch: alone it means on, or it takes on or off (%s off); not %q", errUsage, lastSwitch, lastSwitch, arg)
			}
			return a, fmt.Errorf("%w: unexpected arguments %q (knobs are flags: %s)", errUsage, args[i:], exampleFlag(s))
		}
		lastSwitch = ""
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if name == "h" || name == "help" {
			a.help = true
			continue
		}
		k, isKnob := s.Knobs.Lookup(name)
		key := strings.ToLower(name)
		if isKnob {
			key = k.Name
		}
		if seen[key] {
			return a, fmt.Errorf("%w: -%s is given twice", errUsage, name)
		}
		seen[key] = true
		if !hasValue {
			switch {
			case isKnob && k.Kind == scenario.Switch:
				value, lastSwitch = "on", arg
				if i+1 < len(args) && isSwitchWord(args[i+1]) {
					value = args[i+1]
					i++
				}
			case i+1 < len(args):
				value = args[i+1]
				i++
				if looksLikeFlag(value) && !(isKnob && (k.Kind == scenario.Number || k.Kind == scenario.Count)) {
					return a, fmt.Errorf("%w: -%s: missing value (got the flag %s); write it as %s", errUsage, name, value, exampleFlag(s))
				}
			default:
				return a, fmt.Errorf("%w: -%s needs a value", errUsage, name)
			}
		}
		switch key {
		case "preset":
			a.preset = value
		case "out":
			a.out = value
		case "seed":
			n, err := strconv.ParseUint(value, 10, 64)
			if err != nil {
				return a, fmt.Errorf("%w: -seed %s: want a whole number from 0 to %d", errUsage, value, uint64(1<<64-1))
			}
			a.seed = &n
		default:
			if !isKnob {
				hint := ""
				if f := s.Knobs.SuggestFlag(name, "preset", "seed", "out"); f != "" {
					hint = ": did you mean " + f + "?"
				}
				return a, fmt.Errorf("%w: %s: unknown flag -%s%s (dsim %s -h lists the knobs)", errUsage, s.Name, name, hint, s.Name)
			}
			a.knobs = append(a.knobs, [2]string{k.Name, value})
		}
	}
	return a, nil
}

// looksLikeFlag reports whether a value is a flag: a dash then a letter
// (-out), not a negative number (-1s, -3).
func looksLikeFlag(v string) bool {
	name := strings.TrimLeft(v, "-")
	return name != v && name != "" && (name[0] >= 'a' && name[0] <= 'z' || name[0] >= 'A' && name[0] <= 'Z')
}

// exampleFlag is one of the scenario's own knobs with its default, to show
// how a knob is written: "-duration 1m".
func exampleFlag(s scenario.Scenario) string {
	knobs := s.Knobs.Knobs()
	for _, k := range knobs {
		if k.Kind == scenario.Duration && k.Derived == "" {
			return "-" + k.Flag() + " " + k.DefaultText()
		}
	}
	return "-" + knobs[0].Flag() + " " + knobs[0].DefaultText()
}

func isSwitchWord(s string) bool {
	switch strings.ToLower(s) {
	case "on", "off", "true", "false", "yes", "no", "1", "0":
		return true
	}
	return false
}

// scenarioCmd runs one experiment of a scenario with knobs from flags,
// starting from a preset (or the defaults), and shows its summary,
// verdict and figures.
func scenarioCmd(ctx context.Context, s scenario.Scenario, args []string, stdout, stderr io.Writer) error {
	a, err := parseScenarioArgs(s, args)
	if err != nil {
		return err
	}
	base, err := s.Preset(a.preset)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	cfg, err := s.Copy(base)
	if err != nil {
		return err
	}
	if a.help {
		scenarioHelp(stdout, s, a.preset, cfg)
		return nil
	}
	if a.seed != nil {
		if err := s.Seed(cfg, *a.seed); err != nil {
			return err
		}
	}
	for _, kv := range a.knobs {
		if err := s.Knobs.Set(cfg, kv[0], kv[1]); err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
	}
	// A knob the chosen mode ignores runs anyway, with a word on why it
	// changes nothing.
	for _, kv := range a.knobs {
		if why, _ := s.Knobs.Ignored(cfg, kv[0]); why != "" {
			k, _ := s.Knobs.Lookup(kv[0])
			fmt.Fprintf(stderr, "dsim: warning: %s: -%s has no effect: %s\n", s.Name, k.Flag(), why)
		}
	}
	if err := s.Validate(cfg); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	start := time.Now()
	r, err := s.Run(ctx, cfg)
	if err != nil {
		return err
	}
	// An interrupt that came as the run returned still stops the command:
	// Ctrl-C never ends in a full result and exit status 0.
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: run interrupted: %w", s.Name, err)
	}
	display.SetOutDir(a.out)
	display.Show(r.Summary)
	// Some summaries end with the verdict already; say it once.
	if !strings.Contains(r.Summary.Text(), r.Verdict.String()) {
		fmt.Fprintln(stdout)
		display.Show(r.Verdict)
	}
	display.Show(presetNamed(r.Figures(), s.Name, a.preset))
	fmt.Fprintf(stderr, "(ran in %v of wall time)\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// presetNamed puts the preset into the figures' file names (as dsim demo
// does), so that runs of two presets into one -out directory keep both.
func presetNamed(figs []*viz.Figure, scenarioName, preset string) []*viz.Figure {
	if preset == "" {
		return figs
	}
	for _, f := range figs {
		rest, ok := strings.CutPrefix(f.Name, scenarioName+"-")
		if ok && !strings.HasPrefix(rest, preset+"-") {
			f.Name = scenarioName + "-" + preset + "-" + rest
		}
	}
	return figs
}

// scenarioHelp lists the scenario's presets and knobs, with the values the
// chosen preset gives them.
func scenarioHelp(w io.Writer, s scenario.Scenario, preset string, cfg any) {
	fmt.Fprintf(w, "dsim %s: %s\n\nUsage: dsim %s [-preset NAME] [-seed N] [-out DIR] [-KNOB VALUE ...]\n\n", s.Name, s.Purpose, s.Name)
	fmt.Fprintln(w, "Presets:")
	listPresets(w, s.Presets)
	from := "the defaults"
	if preset != "" {
		from = "preset " + preset
	}
	t := metrics.NewTable(fmt.Sprintf("Knobs (values from %s)", from), "flag", "unit", "value", "range", "what it sets")
	for _, k := range s.Knobs.Knobs() {
		v, _ := s.Knobs.Shown(cfg, k.Name)
		flag := "-" + k.Flag()
		for _, al := range k.Aliases {
			if al != k.Flag() {
				flag += ", -" + al
			}
		}
		doc := k.Doc
		if only := k.OnlyText(); only != "" {
			doc += " (" + only + ")"
		}
		t.Add(flag, k.UnitText(), v, k.RangeText(), doc)
	}
	t.Note("%s", flagForms(s.Knobs.Knobs()))
	t.Note("An explicit 0 is refused where zero would only mean the default; leave the flag out for the default.")
	fmt.Fprintln(w)
	fmt.Fprint(w, t.Text())
}

// flagForms says how flags are written, with examples from the scenario's
// own knobs, and only for the kinds of value it has.
func flagForms(knobs []scenario.Knob) string {
	note := "A knob's name works as a flag too"
	for _, k := range knobs {
		if strings.Contains(k.Flag(), "-") && !strings.Contains(k.Name, ".") {
			note += fmt.Sprintf(" (-%s is -%s)", k.Name, k.Flag())
			break
		}
	}
	forms := map[string]string{}
	for _, k := range knobs {
		switch {
		case k.Kind == scenario.Duration:
			forms["d"] = "durations: 1.5s, 250ms or seconds"
		case k.Kind == scenario.Dist && k.DurationValues:
			forms["x"] = "distributions: 200ms or 0.2 (a constant), exp(200ms), lognormal(200ms, 0.5)"
		case k.Kind == scenario.Dist && forms["x"] == "":
			forms["x"] = "distributions: 1.5 (a constant), lognormal(1, 0.25)"
		case strings.HasSuffix(k.Unit, "/s"):
			forms["r"] = "rates: 5 or 300/min"
		case strings.HasSuffix(k.Unit, "/min") && forms["r"] == "":
			forms["r"] = "rates: in the knob's unit, or 5/s"
		case k.Unit == "share" || k.Unit == "chance":
			forms["s"] = "shares and chances: 0.1 or 10%"
		case k.Unit == "MB":
			forms["b"] = "sizes: 512MB or 2GB (1 GB = 1024 MB)"
		case k.Kind == scenario.Switch && forms["w"] == "":
			forms["w"] = fmt.Sprintf("switches alone mean on (-%s) or take on/off", k.Flag())
		}
	}
	var parts []string
	for _, key := range []string{"d", "x", "r", "s", "b", "w"} {
		if f := forms[key]; f != "" {
			parts = append(parts, f)
		}
	}
	if len(parts) == 0 {
		return note + "."
	}
	rest := strings.Join(parts, "; ")
	return note + ". " + strings.ToUpper(rest[:1]) + rest[1:] + "."
}

// presetsCmd is dsim presets [SCENARIO...]: the presets of the scenarios
// named, or of every one.
func presetsCmd(names []string, w io.Writer) error {
	all := registry.All()
	if len(names) > 0 {
		all = nil
		for _, n := range names {
			s, err := registry.Find(n)
			if err != nil {
				return fmt.Errorf("%w: presets: %v", errUsage, err)
			}
			all = append(all, s)
		}
	}
	for i, s := range all {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s (dsim %s -preset NAME): %s\n", s.Name, s.Name, s.Purpose)
		listPresets(w, s.Presets)
	}
	return nil
}

// listPresets writes one preset a line, the descriptions in a column as
// wide as the longest name needs.
func listPresets(w io.Writer, presets []scenario.Preset) {
	width := 20
	for _, p := range presets {
		width = max(width, len(p.Name))
	}
	for _, p := range presets {
		fmt.Fprintf(w, "  %-*s %s\n", width, p.Name, p.Description)
	}
}
