# kubeplay: the two quick-start commands are `make serve` and `make test`.
# Every target installs what it needs first (scripts/ensure-tools.sh: a fast no-op when present).

PORT ?= 8080
HOST ?= 127.0.0.1
# trunk must find the pinned wasm-opt (npm binaryen) before any other on PATH.
export PATH := $(CURDIR)/e2e/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export TRUNK_SKIP_VERSION_CHECK := true
# CI runs every submission in a fresh clone: keep build artifacts outside it so that a warm
# machine rebuilds only what changed.
ifdef CI
export CARGO_TARGET_DIR ?= $(HOME)/.cache/kubeplay/target
endif

.PHONY: serve test test-native test-wasm test-e2e build build-subpath size bench bench-browser bench-packets bench-start tools tools-test

## serve: build the playground and serve it on http://$(HOST):$(PORT)/ (PORT=... to change)
serve: tools
	@echo "kubeplay: building; the playground will be at http://$(HOST):$(PORT)/"
	trunk serve --address $(HOST) --port $(PORT)

## test: every test tier (native, browser components, end to end), then a pass/fail summary
test: tools-test
	@scripts/test-all.sh

test-native:
	cargo test --workspace --exclude kubeplay-web

test-wasm: tools-test
	cargo test -p kubeplay-web --target wasm32-unknown-unknown

## build: the release site in dist/ (PUBLIC_URL=/path/ to host it under a subpath, see docs/hosting.md)
PUBLIC_URL ?= /
build: tools
	trunk build --release --public-url $(PUBLIC_URL)

## build-subpath: the release site for hosting under /kubeplay/, in dist-subpath/ (tested end to end)
build-subpath: tools
	trunk build --release --public-url /kubeplay/ --dist dist-subpath

test-e2e: build build-subpath
	cd e2e && node --test

## size: build the release site and print the transfer size of each file (raw and gzip)
size: build
	@scripts/size-report.sh dist

## bench: the criterion benchmarks of kubeplay-core
bench:
	cargo bench -p kubeplay-core

## bench-browser: the browser benchmark page (web-bench/) in release, timed in headless Chromium
bench-browser: tools-test
	trunk build --release --config web-bench/Trunk.toml
	node e2e/bench-browser.mjs dist-bench

## bench-start: the release site opened 5 times: time to drawn and to interactive, and the longest frame after an edit
bench-start: build
	node e2e/bench-start.mjs dist

## bench-packets: the site in release, opened as ?bench=packets: frames per second with 50 packets in flight
bench-packets: build
	node e2e/bench-packets.mjs dist

tools:
	@scripts/ensure-tools.sh build

tools-test:
	@scripts/ensure-tools.sh test
