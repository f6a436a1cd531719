// Package kernel is dsim's front ends: everything between a person and
// the library in sim/. Nothing in sim/ imports it.
//
//   - display: Show, the one call users learn: figures, tables and verdicts
//     as rich output in a notebook, as text and files elsewhere.
//   - interp: the script host behind dsim run and dsim repl, interpreted Go
//     (Yaegi) over the compiled library, with limits, cancellation and
//     error recovery.
//   - symbols: the generated tables of what scripts may import.
//   - script: what a script knows of its run (seed, arguments, context).
//   - explore: the explorer, every scenario of the registry as a web page
//     of controls re-run on every change (dsim explore, display.Explore).
//   - cmd/dsim: the command line: run, repl, merge, demo, presets, explore,
//     and one command per scenario of the registry.
//
// The name is historical (a notebook "kernel"); read it as "front ends".
package kernel
