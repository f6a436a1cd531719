// Package explore is dsim's explorer: every scenario of the registry as a
// web page of controls, re-run on every change. It is a front end: nothing
// in sim/ knows of it, and a scenario gets its page from its knob table
// alone.
//
// # Pages
//
//	/                    the scenarios, with their presets
//	/s/NAME?QUERY        a scenario's page: a control per knob, the preset and
//	                     the seed; the verdict, the summary and the figures
//	/api/run/NAME?QUERY  the same run as JSON, for the page's script
//	/api/compare/NAME?a=QUERY&b=QUERY  two runs side by side (Scenario.Compare)
//
// The query holds the preset, the seed and every knob that differs from
// the preset, by its flag (preset=storm&seed=1&retry-budget=0.1), so an
// address reproduces its run exactly; the page rewrites its address to
// that canonical form after each change, with pin=QUERY when a run is
// pinned beside it.
//
// Controls come from the knob table: a slider over a ladder of values for
// a number, a count or a duration (by factors of 1, 1.2, 1.5, 2, ..., 9 per
// decade when the range spans more than a hundredfold, by even steps
// otherwise; zero first when zero means something), with a text box for
// any value between; a select for a choice, a switch, a text box for a
// distribution or a text. Every value goes through Table.Set, and Validate
// checks the whole; an error is shown beside the control it names (or above
// the controls), and nothing runs. A knob the configuration ignores
// (Table.Ignored: the breaker's window without a breaker) is greyed out,
// with the reason beneath it and as its tooltip; it can still be set. The
// page draws the reason, and each run's JSON carries it (ignored, by flag).
//
// Figures are gonum/plot's SVG, inline and scaled to their box; the page's
// script adds, from viz.Figure.Frame, the value of every line under the
// pointer and a label on each shaded window. A pinned run stays beside the
// next, with the scenario's comparison table and figure below.
//
// # Limits
//
// The server is meant to be shared with a classroom, so every request is
// bounded: the query to 16 KB (a knob's text to 4 KB, by the knob table),
// the request's headers to 64 KB and its reading to 10 s; at most
// Limits.Runs runs at once (one per CPU), a request waiting Limits.Wait
// (2 s) for a slot before it is told the explorer is busy; each run to
// Limits.RunTime (20 s) of wall time, and to the scenario's own limits
// (event budget, horizon, queue bounds); a run no page has asked after for
// 5 s is stopped. Finished runs, and their errors, are kept in an LRU
// cache by their canonical query, bounded by count (64) and by the bytes
// of their pages (64 MB). A panic in a handler or a model answers 500 with
// one line; no answer carries a Go trace.
//
// A run longer than a moment shows its progress (the share of its virtual
// time and the events so far, from sim.Host's Progress): the page polls,
// each request waiting up to 0.4 s for the run.
//
// # In a notebook
//
// kernel/display.Explore starts a Server on loopback in the notebook
// cell's process, with Options.Done set, and shows its page in a frame;
// see there.
package explore
