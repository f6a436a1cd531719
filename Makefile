# dsim: the two commands people need are `make demo` and `make test`.
GO      ?= go
BIN     := bin
OUT     ?= out
PKGS    := ./...

.PHONY: all build demo test deps vet fmt-check bench golden symbols symbols-check scripts-output repl notebook notebook-install notebook-browser clean

all: build

build:
	$(GO) build -o $(BIN)/dsim ./kernel/cmd/dsim

# The main job: the retry-storm lesson, summaries on stdout, figures under $(OUT)/.
demo: build
	$(BIN)/dsim demo -out $(OUT)

# Every test: formatting, vet, unit tests, examples, golden figures.
test: fmt-check vet
	@if [ -n "$$CI" ]; then bash .ci/deps; fi
	$(GO) test -count=1 $(PKGS)

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files --cached --others --exclude-standard '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# Benchmarks: events/s and the ratio to the bare heap are in the output.
bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

# Rewrite the golden files (figures, traces) after reviewing the change.
golden:
	$(GO) test ./sim/viz/... -update

# What the tests need beyond Go (tmux for the REPL's terminal test),
# installed from Debian's packages when missing. CI runs it; elsewhere the
# tests that need these skip and say so.
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

# The lesson in a real browser: notebook server on loopback, an executed
# lesson in headless Chromium, the figure checked, a screenshot kept in
# $(OUT)/lesson.png.
notebook-browser: notebook-install
	@command -v chromium >/dev/null || bash .ci/deps
	@mkdir -p $(OUT)
	DSIM_BROWSER_TEST=1 DSIM_SCREENSHOT=$(CURDIR)/$(OUT)/lesson.png $(GO) test -count=1 -run TestLessonRendersInBrowser -v ./notebooks

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
