# Tributary — two set-up commands for a fresh Debian machine:
#   make demo   installs what is missing, builds release, runs the relay's demo
#   make test   installs what is missing, builds with tests (failing on warnings from our code), runs `swift test`
#   make fuzz   builds the libFuzzer targets in Fuzz/ and fuzzes each briefly (CI runs it after the tests)
SHELL := /bin/bash
APT_PACKAGES := liblmdb-dev libsecp256k1-dev libssl-dev zlib1g-dev libjemalloc-dev pkgconf
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: deps demo test build bench fuzz clean

deps:
	@missing=""; for pkg in $(APT_PACKAGES); do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@command -v $(SWIFT) >/dev/null || { echo "swift toolchain not found (install Swift 6.1+ from swift.org)"; exit 1; }

build: deps
	$(SWIFT) build

# Builds everything with the tests, fails on any warning from our own Sources/ or Tests/, then runs the tests.
test: deps
	@set -o pipefail; $(SWIFT) build --build-tests 2>&1 | tee .build-test.log
	@if grep -E "^$(CURDIR)/(Sources|Tests)/.*: warning:" .build-test.log; then \
	  echo "warnings in our own code (listed above)"; exit 1; fi
	$(SWIFT) test

# The relay crawling a simulated PDS network on loopback, with a live view; Ctrl-C stops it.
# Options go in DEMO_ARGS, e.g. make demo DEMO_ARGS="--duration 60 --rate 500".
DEMO_ARGS ?=
demo: deps
	$(SWIFT) build -c release --product tributary
	.build/release/tributary demo $(DEMO_ARGS)

bench: deps
	cd Benchmarks && $(SWIFT) package --disable-sandbox benchmark

# libFuzzer targets (Fuzz/, docs/hardening.md): builds them with -sanitize=fuzzer,address, writes their seed corpora,
# fuzzes each for FUZZ_SECONDS and fails on any finding. CI uses a debug build (quicker to compile); campaigns use
# release (faster to run): `Fuzz/fuzz.sh run <target> <seconds> <runs>`.
FUZZ_SECONDS ?= 30
FUZZ_CONFIG ?= release
fuzz: deps
	FUZZ_CONFIG=$(FUZZ_CONFIG) SWIFT=$(SWIFT) Fuzz/fuzz.sh ci $(FUZZ_SECONDS)

clean:
	rm -rf .build .build-test.log Benchmarks/.build Fuzz/.build Fuzz/.work
