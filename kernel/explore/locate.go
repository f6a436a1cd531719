package explore

import (
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"dsim/sim/scenario"
	"dsim/sim/scenario/registry"
)

// Locate finds the scenario of cfg, a Config value (or a pointer to one)
// of a scenario of the registry, and the page address's query that asks
// for it: the preset nearest to it (the fewest knobs differ), its seed and
// the knobs that differ, as the knob table writes them. exact reports
// whether the query gives cfg back exactly: a field set in Go only (not a
// knob, such as a list of steps) differing from the preset's, or a number
// finer than its text's six digits, is not carried.
func Locate(cfg any) (sc scenario.Scenario, query string, exact bool, err error) {
	for _, s := range registry.All() {
		if _, err := s.Copy(cfg); err == nil {
			sc = s
			break
		}
	}
	if sc.Knobs == nil {
		return sc, "", false, fmt.Errorf("explore: %T is not the Config of a scenario (want one of %s)", cfg, strings.Join(registry.Names(), ", "))
	}
	if err := sc.Validate(cfg); err != nil {
		return sc, "", false, err
	}
	preset, diff := nearestPreset(sc, cfg)
	q := url.Values{}
	if preset != "" {
		q.Set(paramPreset, preset)
	}
	q.Set(paramSeed, strconv.FormatUint(reflect.Indirect(reflect.ValueOf(cfg)).FieldByName("Seed").Uint(), 10))
	for _, k := range diff {
		text, _ := sc.Knobs.Get(cfg, k)
		knob, _ := sc.Knobs.Lookup(k)
		q.Set(knob.Flag(), text)
	}
	r := parseRequest(sc, q.Encode())
	if !r.ok() {
		return sc, "", false, fmt.Errorf("explore: %s: the knobs of this configuration do not read back: %s", sc.Name, strings.Join(append(r.general, mapValues(r.errs)...), "; "))
	}
	exact = reflect.DeepEqual(reflect.ValueOf(r.cfg).Elem().Interface(), reflect.Indirect(reflect.ValueOf(cfg)).Interface())
	return sc, r.query(), exact, nil
}

// nearestPreset is the preset (or "" for the defaults) from which the
// fewest knobs of cfg differ, and those knobs.
func nearestPreset(sc scenario.Scenario, cfg any) (string, []string) {
	best, bestDiff := "", knobsDiffering(sc, cfg, "")
	for _, p := range sc.Presets {
		if d := knobsDiffering(sc, cfg, p.Name); len(d) < len(bestDiff) {
			best, bestDiff = p.Name, d
		}
	}
	return best, bestDiff
}

func knobsDiffering(sc scenario.Scenario, cfg any, preset string) []string {
	base, err := sc.Preset(preset)
	if err != nil {
		return sc.Knobs.Names()
	}
	var diff []string
	for _, name := range sc.Knobs.Names() {
		a, _ := sc.Knobs.Get(cfg, name)
		b, _ := sc.Knobs.Get(base, name)
		if a != b {
			diff = append(diff, name)
		}
	}
	return diff
}
