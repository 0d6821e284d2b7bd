# netconform: see README.md. The two commands people use:
#   sudo make conformance   run the conformance suites against this machine's kernel
#   make test               unit tests, self-validation (lab parts need root), darwin build
# Overrides: make conformance CONFIG=file PROFILE=name OUT=dir LABELS='expr' CHECK=id REPEAT=n
#            make report IN='dir ...' OUT=dir

# sudo resets PATH to secure_path, which usually lacks Go: find it anyway.
GO ?= $(shell command -v go 2>/dev/null || echo /usr/local/go/bin/go)
CONFIG ?= ginkgo.yaml
PROFILE ?=
OUT ?=
LABELS ?=
CHECK ?=
REPEAT ?=
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo devel)
BIN := bin/netconform
# Everything but the suites: those run through `netconform run`, which the
# self-validation tests in cmd/netconform drive.
TEST_PKGS = $(shell $(GO) list ./... | grep -v /suites/)

.PHONY: all build conformance report test bench clean-lab clean dist

all: build

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/netconform

conformance: build
	./$(BIN) run --config '$(CONFIG)' $(if $(PROFILE),--profile '$(PROFILE)') $(if $(OUT),--out '$(OUT)') \
		$(if $(LABELS),--labels '$(LABELS)') $(if $(CHECK),--check '$(CHECK)') $(if $(REPEAT),--repeat '$(REPEAT)')

# Merge results of many releases: make report IN='out ci-artifacts/...' OUT=regression
IN ?= out
report: build
	./$(BIN) report --out '$(or $(OUT),regression)' $(IN)

test:
	$(GO) vet ./...
	GOOS=darwin GOARCH=arm64 $(GO) vet ./...
	GOOS=darwin GOARCH=arm64 $(GO) build ./...
	@# darwin test binaries must build too: compile them all, run none.
	GOOS=darwin GOARCH=arm64 $(GO) test -count=1 -exec /bin/true ./... >/dev/null
	$(GO) test -count=1 -timeout 20m $(TEST_PKGS)
	$(GO) tool actionlint .github/workflows/*.yml

bench:
	$(GO) test -run '^$$' -bench . -benchtime 50x -count 5 ./topology/

# Release tarballs that run without Go: dist/netconform-<version>-<os>-<arch>.tar.gz
# (README "Run without Go"). DIST_PLATFORMS='linux/amd64' builds one.
DIST_PLATFORMS ?= darwin/arm64 darwin/amd64 linux/amd64 linux/arm64
dist:
	$(GO) run ./distlayout/mkdist -go '$(GO)' -version '$(VERSION)' -out dist \
		-mtime "$$(git log -1 --format=%ct 2>/dev/null || echo 0)" $(DIST_PLATFORMS)

clean-lab: build
	./$(BIN) clean-lab

clean:
	rm -rf bin out
