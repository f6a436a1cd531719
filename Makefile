# dsim: the two commands people need are `make demo` and `make test`.
GO      ?= go
BIN     := bin
OUT     ?= out
PKGS    := ./...

.PHONY: all build demo test vet fmt-check bench golden clean

all: build

build:
	$(GO) build -o $(BIN)/dsim ./kernel/cmd/dsim

# The main job: the queueing lesson, summary on stdout, figures under $(OUT)/.
demo: build
	$(BIN)/dsim demo -out $(OUT)

# Every test: formatting, vet, unit tests, examples, golden figures.
test: fmt-check vet
	$(GO) test -count=1 $(PKGS)

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# Benchmarks: events/s and the ratio to the bare heap are in the output.
bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

# Rewrite the golden files (figures, traces) after reviewing the change.
golden:
	$(GO) test ./sim/viz/... -update

clean:
	rm -rf $(BIN) $(OUT)
