// Package registry lists dsim's scenarios, in the order the course teaches
// them. The front ends loop over it: the dsim command (dsim NAME, dsim
// presets), sweeps by name, the explorer, the symbol tables scripts see.
// Adding a scenario is one package and one line here (see package
// scenario's doc for the recipe).
package registry

import (
	"fmt"
	"strings"

	"dsim/sim/scenario"
	"dsim/sim/scenario/balance"
	"dsim/sim/scenario/cache"
	"dsim/sim/scenario/clocks"
	"dsim/sim/scenario/crdt"
	"dsim/sim/scenario/csi"
	"dsim/sim/scenario/elastic"
	"dsim/sim/scenario/messaging"
	"dsim/sim/scenario/metastable"
	"dsim/sim/scenario/queueing"
	"dsim/sim/scenario/quorum"
	"dsim/sim/scenario/scaling"
)

// All returns every scenario's descriptor, in teaching order.
func All() []scenario.Scenario {
	return []scenario.Scenario{
		queueing.Scenario(),
		metastable.Scenario(),
		clocks.Scenario(),
		quorum.Scenario(),
		crdt.Scenario(),
		csi.Scenario(),
		balance.Scenario(),
		cache.Scenario(),
		scaling.Scenario(),
		elastic.Scenario(),
		messaging.Scenario(),
	}
}

// Names lists the scenarios' names, in teaching order.
func Names() []string {
	var names []string
	for _, s := range All() {
		names = append(names, s.Name)
	}
	return names
}

// Find returns the scenario called name, or an error listing the names
// and the nearest of them when one is near.
func Find(name string) (scenario.Scenario, error) {
	for _, s := range All() {
		if s.Name == name {
			return s, nil
		}
	}
	return scenario.Scenario{}, fmt.Errorf("unknown scenario %q (want one of %s)%s", name, strings.Join(Names(), ", "), scenario.DidYouMean(name, Names()))
}
