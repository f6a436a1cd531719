# dsim: the two commands people need are `make demo` and `make test`.
GO      ?= go
BIN     := bin
OUT     ?= out
PKGS    := ./...
# The test runner and summariser; ./... does not match a directory that
# starts with a dot, so it is named (and tested) by path.
TESTSUM := ./.ci/testsum
# How long make test fuzzes each target, and make fuzz.
TEST_FUZZTIME ?= 5s
FUZZTIME      ?= 60s

.PHONY: all build demo explore test quick soak fuzz deps vet fmt-check bench golden symbols symbols-check scripts-output repl notebook notebook-install notebook-browser clean

all: build

build:
	$(GO) build -o $(BIN)/dsim ./kernel/cmd/dsim

# The main job: the retry-storm lesson, summaries on stdout, figures under $(OUT)/.
demo: build
	$(BIN)/dsim demo -out $(OUT)

# Every lesson as a web page of controls, re-run on every change:
# http://127.0.0.1:8080/ (EXPLORE_ARGS='-addr 0.0.0.0:8080' shares it with
# a classroom). Ctrl-C stops it.
explore: build
	$(BIN)/dsim explore $(EXPLORE_ARGS)

# Every test: installs what the tests need (tmux, Chromium, Jupyter, GoNB),
# then formatting, vet, unit tests, examples, golden figures, the notebooks,
# the terminal and browser tests, and every fuzz target for $(TEST_FUZZTIME).
# Ends with a summary line; a skipped test fails it. The browser tests keep
# their screenshots: the live lesson in $(OUT)/lesson.png, every lesson
# exported to HTML in $(OUT)/lessons/ (NAME.html and NAME.png), opened from
# the lessons the notebook test executed into $(OUT)/executed/.
BROWSER_ENV = DSIM_SCREENSHOT=$(CURDIR)/$(OUT)/lesson.png DSIM_LESSON_PAGES=$(CURDIR)/$(OUT)/lessons \
	DSIM_EXECUTED_NOTEBOOKS=$(CURDIR)/$(OUT)/executed
test: deps fmt-check vet
	@mkdir -p $(OUT)/executed
	DSIM_TEST=full $(BROWSER_ENV) $(GO) run $(TESTSUM) -go $(GO) -fuzztime $(TEST_FUZZTIME) $(PKGS) $(TESTSUM)

# The quick run: nothing installed, no fuzzing, go test -short; the tests
# that need tooling or minutes skip, and the summary says so.
quick: fmt-check vet
	DSIM_TEST=quick $(GO) run $(TESTSUM) -go $(GO) $(PKGS) $(TESTSUM)

# The long runs: every correct reference node of the protocol lab
# (sim/lab) and Raft (sim/lab/raft) on 1,000 seeds with every kind of
# fault (make test runs 50); two-phase commit and sagas (sim/lab/txn) on
# 5,000 (make test runs 500 and 150).
soak:
	DSIM_SOAK=1 $(GO) test -count=1 -v -timeout 2h -run 'TestCorrectReferencesPassUnderTheNemesis|TestCounterPassesPNCounter' ./sim/lab
	DSIM_SOAK=1 $(GO) test -count=1 -v -timeout 2h -run 'TestRaftPassesUnderTheNemesis|TestRaftPassesTheTargetedNemeses' ./sim/lab/raft
	DSIM_SOAK=1 $(GO) test -count=1 -v -timeout 2h -run 'TestTwoPCAtomicUnderFaults|TestSagaAtomicInTheEnd' ./sim/lab/txn

# Every fuzz target for $(FUZZTIME) each (make fuzz FUZZTIME=10m), with the
# size of its corpus (testdata/fuzz and the build cache's entries).
fuzz:
	$(GO) run $(TESTSUM) -go $(GO) -fuzz-only -fuzztime $(FUZZTIME) $(PKGS)

vet:
	$(GO) vet $(PKGS) $(TESTSUM)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files --cached --others --exclude-standard '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# Benchmarks: events/s and the ratio to the bare heap are in the output.
bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

# Rewrite the golden files (figures, traces) after reviewing the change.
golden:
	$(GO) test ./sim/viz/... -update

# What the tests need beyond Go (tmux for the REPL's terminal test,
# Chromium for the browser test, the notebook tooling), installed from
# Debian's packages when missing; make test runs it first.
deps:
	bash .ci/deps

# Install Jupyter (Debian), GoNB v0.11.5 and goimports (into .tools/), and
# register the GoNB kernel for this repository; idempotent.
notebook-install:
	bash .ci/notebook-install

# From clone to a running lesson: install what is missing, then start the
# classic notebook server on the notebooks folder.
notebook: notebook-install
	cd notebooks && JUPYTER_DATA_DIR=$(CURDIR)/.tools/jupyter /usr/bin/jupyter notebook --notebook-dir=. $(NOTEBOOK_ARGS)

# The lessons in a real browser: an executed lesson in the notebook UI on
# loopback, and every lesson exported by nbconvert, in headless Chromium,
# every figure checked for drawn pixels; screenshots kept in $(OUT)/lesson.png
# and $(OUT)/lessons/.
notebook-browser: notebook-install
	@command -v chromium >/dev/null || bash .ci/deps
	@mkdir -p $(OUT)/executed
	DSIM_BROWSER_TEST=1 $(BROWSER_ENV) $(GO) test -count=1 -run 'TestLessonRendersInBrowser|TestLessonPagesShowFigures|TestBlankFiguresAreCaught' -v ./notebooks

# The interactive Go prompt over the library.
repl: build
	$(BIN)/dsim repl

# Regenerate the Yaegi symbol tables after an exported API changed (a test
# says when); symbols-check regenerates in memory and compares (a minute).
symbols:
	$(GO) generate ./kernel/symbols

symbols-check:
	$(GO) run ./kernel/symbols/gen -check -dir kernel/symbols

# Rewrite the // Output: blocks of scripts/ after reviewing the change.
scripts-output: build
	$(GO) test ./kernel/cmd/dsim -run TestScriptsMatchTheirOutput -update

clean:
	rm -rf $(BIN) $(OUT)
