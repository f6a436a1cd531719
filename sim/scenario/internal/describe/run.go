package describe

import (
	"context"
	"errors"
	"fmt"

	"dsim/sim"
	"dsim/sim/scenario"
	"dsim/sim/service"
)

// Run is every scenario's RunContext: a nil ctx is the background one,
// cfg is validated, then its defaults are filled and run runs it.
func Run[C, R any](ctx context.Context, cfg C, validate func(C) error, fill func(C) C,
	run func(context.Context, C) (R, error)) (R, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := validate(cfg); err != nil {
		var zero R
		return zero, err
	}
	return run(ctx, fill(cfg))
}

// RunSystem runs the service system of a scenario whose knob table is
// knobs. When the run stops at a component's bound (a *service.LimitError),
// advice, given that bound, says in the scenario's terms what it means and
// which knob to change; "" keeps the component's own words. Any other
// failure of the run, and an interrupt that came after its last event, is
// named with the scenario, so that a cancelled run never gives a result.
func RunSystem(ctx context.Context, knobs *scenario.Table, sys *service.System, advice func(*service.LimitError) string) error {
	err := sys.Run(ctx)
	var lim *service.LimitError
	var run *sim.Error
	switch {
	case err == nil:
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("%s: %w", knobs.Scenario(), err)
		}
		return nil
	case errors.As(err, &lim) && errors.As(err, &run) && advice != nil:
		if why := advice(lim); why != "" {
			run.Err = fmt.Errorf("%s: %s", knobs.Scenario(), why)
		}
		return err
	case errors.As(err, &run):
		return fmt.Errorf("%s: %w", knobs.Scenario(), err)
	}
	return err
}
