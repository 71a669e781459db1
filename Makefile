# syscage — build, test and demo. `make demo` and `make test` are the two
# set-up commands of README.md: each installs what it needs first.

GO      ?= go
BIN     := bin/syscage
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.Version=$(VERSION)
# bin/syscage is linked statically (glibc and Debian's libseccomp.a): it
# starts about 0.6 ms sooner, since neither syscage nor the launcher it
# re-execs runs the dynamic loader (docs/performance.md), and it runs in any
# container image. osusergo and netgo keep glibc's NSS out; syscage looks
# up no users or hosts.
BUILD_FLAGS := -tags osusergo,netgo -ldflags '$(LDFLAGS) -linkmode external -extldflags "-static"'

.PHONY: all build static deps test test-unprivileged cross-arm64 vet demo clean bench fuzz

all: build

# deps installs the Debian packages when they are missing: with apt-get as
# root, otherwise it says what to install.
deps:
	@missing=""; \
	[ -e /usr/include/seccomp.h ] || missing="$$missing libseccomp-dev"; \
	command -v strace >/dev/null 2>&1 || missing="$$missing strace"; \
	command -v python3 >/dev/null 2>&1 || missing="$$missing python3"; \
	command -v gcc >/dev/null 2>&1 || missing="$$missing gcc"; \
	command -v runc >/dev/null 2>&1 || missing="$$missing runc"; \
	command -v crun >/dev/null 2>&1 || missing="$$missing crun"; \
	[ -x /bin/busybox ] || missing="$$missing busybox-static"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing:$$missing"; \
			DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
		else \
			echo "syscage needs these Debian packages:$$missing"; \
			echo "install them with: sudo apt-get install -y$$missing"; exit 1; \
		fi; \
	fi

build: deps
	$(GO) build $(BUILD_FLAGS) -o $(BIN) ./cmd/syscage

# static: bin/syscage-static, the name deploy/Dockerfile copies into the
# image; the same static binary as bin/syscage.
static: build
	cp $(BIN) bin/syscage-static

vet: deps
	$(GO) vet ./...
	@bad=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$bad" ]; then echo "gofmt needed: $$bad"; exit 1; fi

# test runs every test: unit tests, the compiled filter in a BPF VM, and the
# end-to-end tests that run real programs under bin/syscage (SYSCAGE_BIN:
# the binary make built; plain go test builds its own).
test: build vet
	SYSCAGE_BIN=$(abspath $(BIN)) $(GO) test -count=1 -timeout 15m ./...
	@$(MAKE) --no-print-directory test-unprivileged
	@$(MAKE) --no-print-directory cross-arm64

# cross-arm64 builds syscage for arm64 (cgo with Debian's cross compiler and
# libseccomp-dev:arm64), when they are installed; .ci/run installs them.
cross-arm64:
	@if command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 && [ -e /usr/lib/aarch64-linux-gnu/libseccomp.so ]; then \
		CGO_ENABLED=1 GOARCH=arm64 CC=aarch64-linux-gnu-gcc $(GO) build -o bin/syscage-arm64 ./cmd/syscage && \
		CGO_ENABLED=1 GOARCH=arm64 CC=aarch64-linux-gnu-gcc $(GO) build ./... && \
		echo "cross-arm64: every package builds for arm64 (bin/syscage-arm64)"; \
	else \
		echo "cross-arm64: not built (needs gcc-aarch64-linux-gnu and libseccomp-dev:arm64)"; \
	fi

# test-unprivileged runs the end-to-end suite again as nobody (uid and gid
# 65534, no groups), when make runs as root: syscage needs no privileges.
# The suite and the binary are built first, since nobody cannot use the Go
# build cache; the container test, which needs root for runc, says so and
# skips.
UNPRIV_DIR := /tmp/syscage-unprivileged
test-unprivileged: build
	@if [ "$$(id -u)" != 0 ]; then echo "test-unprivileged: already unprivileged, nothing to add"; exit 0; fi; \
	rm -rf $(UNPRIV_DIR) && mkdir -p $(UNPRIV_DIR) && \
	$(GO) test -c -o $(UNPRIV_DIR)/e2e.test ./cmd/syscage && \
	cp $(BIN) $(UNPRIV_DIR)/syscage && \
	chmod -R a+rX $(UNPRIV_DIR) && \
	cd cmd/syscage && \
	SYSCAGE_BIN=$(UNPRIV_DIR)/syscage TMPDIR=/tmp setpriv --reuid=65534 --regid=65534 --clear-groups \
		$(UNPRIV_DIR)/e2e.test -test.count=1 -test.timeout=10m; \
	status=$$?; rm -rf $(UNPRIV_DIR); exit $$status

# demo: the shipped config-missing scenario on cat. The file exists (the
# first cat prints it); under the scenario cat is told it does not, and says
# so. -P keeps the trace to the calls on that file.
DEMO_DIR := /tmp/syscage-demo
demo: build
	@mkdir -p $(DEMO_DIR) && printf 'listen: 127.0.0.1:8080\n' > $(DEMO_DIR)/app.yaml
	@echo '$$ cat $(DEMO_DIR)/app.yaml'
	@cat $(DEMO_DIR)/app.yaml
	@echo '$$ $(BIN) run -P $(DEMO_DIR)/app.yaml --scenario config-missing -- cat $(DEMO_DIR)/app.yaml'
	-@$(BIN) run -P $(DEMO_DIR)/app.yaml --scenario config-missing -- cat $(DEMO_DIR)/app.yaml; \
		echo "(exit status $$?)"

# bench measures syscage against native runs and strace, interleaved, and
# prints the table of docs/performance.md (issue 6). Targets that are missed
# say FAIL; only a broken run fails the target. Pass driver flags with
# BENCH_FLAGS, e.g. make bench BENCH_FLAGS='-long -rounds 9'.
BENCH_DIR   := testdata/bench
BENCH_OUT   := $(BENCH_DIR)/build
BENCH_FLAGS ?=
bench: build
	@mkdir -p $(BENCH_OUT)
	gcc -O2 -Wall -o $(BENCH_OUT)/openat $(BENCH_DIR)/c/openat.c
	gcc -O2 -Wall -o $(BENCH_OUT)/getpid $(BENCH_DIR)/c/getpid.c
	gcc -O2 -Wall -pthread -o $(BENCH_OUT)/openat_mt $(BENCH_DIR)/c/openat_mt.c
	gcc -O2 -Wall -pthread -o $(BENCH_OUT)/refsup $(BENCH_DIR)/c/refsup.c
	$(GO) run ./$(BENCH_DIR) -bin $(BENCH_OUT) -syscage $(BIN) -scenarios $(BENCH_DIR) $(BENCH_FLAGS)

# fuzz runs every fuzz target for FUZZTIME each (the seed corpora run in
# make test as ordinary tests).
FUZZTIME ?= 2m
FUZZ_TARGETS := ./decode:FuzzDecode ./inject:FuzzParse ./inject:FuzzParseWhen \
	./inject:FuzzParseInjectExpr ./policy:FuzzParseTrace
fuzz: deps
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "== $$pkg $$name ($(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	done

clean:
	rm -rf bin
