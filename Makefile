# The two commands a new user runs (as root, on a fresh Debian 12 machine):
#   make demo   set everything up, start the local stack and run the demo
#   make test   set everything up, start the local stack and run every test
# Every target does its own set-up; a second run reuses what is there.

SHELL := /bin/bash
LOCAL := deploy/local
SWIFT := $(LOCAL)/swift.sh
CONFIG ?= debug

.PHONY: help setup build up down status lint test demo bench fuzz faults backup restore clean

help:
	@echo "make demo | test | bench | faults | fuzz | lint | setup | build | up | down | status | backup | restore TIME=... | clean"

setup:
	@bash $(LOCAL)/setup.sh

build: setup
	@$(SWIFT) build -c $(CONFIG)

up: setup
	@bash $(LOCAL)/stack.sh up

down:
	@bash $(LOCAL)/stack.sh down

status:
	@bash $(LOCAL)/stack.sh status

# swift-format with the checked-in .swift-format: `make test` fails on any difference;
# `swift-format format --in-place -r <folders>` fixes the layout.
FORMATTED := Package.swift Services Shared Tests Benchmarks
lint: setup
	@PATH=/opt/swift/usr/bin:$$PATH swift-format lint --strict --recursive $(FORMATTED) \
		|| { echo "swift-format found the above; fix with: swift-format format --in-place --recursive $(FORMATTED)"; exit 1; }

# Tests run several at once (KK_TEST_WIDTH, default 6: see deploy/local/test.sh); the fault
# run, whose replicas load every core, runs alone afterwards. Then the demo runs once more as
# a smoke test of the whole product as a newcomer starts it (its daemons are stopped
# afterwards; the stack stays up).
test: setup lint up
	@$(SWIFT) build --build-tests
	@bash $(LOCAL)/test.sh --skip PipelineFaultTests
	@echo "== the fault run, alone"
	@KK_TEST_WIDTH=1 bash $(LOCAL)/test.sh --filter PipelineFaultTests
	@echo "== smoke test: make demo on the same build"
	@bash $(LOCAL)/stack.sh stop-services
	@bash $(LOCAL)/demo.sh > .run/logs/demo-smoke.log 2>&1 || { tail -40 .run/logs/demo-smoke.log; echo "the demo failed; the whole output is in .run/logs/demo-smoke.log"; exit 1; }
	@bash $(LOCAL)/stack.sh stop-services
	@echo "the demo walked all three requests through the ten SOP steps (output: .run/logs/demo-smoke.log)"

# The fault run at scale (make test runs 200 requests, 5 kills, a 4 s outage): 1,000 requests,
# 20 SIGKILLs over every service, the gateway mid-send among them, a 10 s database outage while
# PDFs are delivered, the broker lost and brought back empty, the Graph API stand-in failing
# about 10 % of its calls. A failure prints its seed: KK_FAULT_SEED=<seed> make faults repeats it.
faults: setup up
	@$(SWIFT) build --build-tests
	@KK_FAULT_REQUESTS=1000 KK_FAULT_KILLS=20 KK_FAULT_OUTAGE_SECONDS=10 KK_TEST_WIDTH=1 bash $(LOCAL)/test.sh --filter PipelineFaultTests

# The webhook routes in process with a million fuzzed bodies (make test sends a few thousand),
# on an optimised build with testing enabled (the test reaches the gateway's internal routes);
# a failure prints its seed: KK_FUZZ_SEED=<seed> make fuzz repeats the run.
FUZZ_BODIES ?= 1000000
fuzz: setup up
	@$(SWIFT) build -c release --build-tests -Xswiftc -enable-testing
	@KK_FUZZ_ROUTER_BODIES=$(FUZZ_BODIES) KK_TEST_CONFIG=release KK_TEST_WIDTH=1 bash $(LOCAL)/test.sh --filter WebhookRouteTests

# Backups of the local cluster with pgBackRest (deploy/local/backup.sh): the first sets
# backups up and takes a full one, later ones are incremental; every WAL segment is archived
# in between. `make restore TIME='2026-12-02 14:00:00+07'` puts the cluster back as it was
# then (the data as it is is moved aside, not deleted); `backup.sh info` shows what is kept.
backup: setup up
	@bash $(LOCAL)/backup.sh auto

restore: setup
	@test -n "$(TIME)" || { echo "usage: make restore TIME='2026-12-02 14:00:00+07' (see: bash $(LOCAL)/backup.sh info)"; exit 2; }
	@bash $(LOCAL)/stack.sh stop-services
	@bash $(LOCAL)/backup.sh restore --time "$(TIME)"

demo: setup build up
	@bash $(LOCAL)/demo.sh

bench: setup up
	@$(SWIFT) build -c release
	@source $(LOCAL)/env.sh && .build/release/kk-bench all
	@echo "== the WhatsApp reply, idle and with 50 applicants writing at once"
	@source $(LOCAL)/env.sh && .build/release/kk-bench reply
	@echo "== the whole SOP, applicants arriving open loop, officers acting at once through the officer API"
	@source $(LOCAL)/env.sh && for rate in 10 25 50 100 150; do \
	  .build/release/kk-bench pipeline --requests 300 --rate $$rate --officers 4 --officer-interval-ms 50 || exit 1; done
	@echo "== where the CPU goes at 50 requests/s: the same run, every process sampled (perf)"
	@source $(LOCAL)/env.sh && bash $(LOCAL)/profile.sh \
	  .build/release/kk-bench pipeline --requests 300 --rate 50 --officers 4 --officer-interval-ms 50
	@echo "== the same at 50 requests/s with three replicas of every service"
	@source $(LOCAL)/env.sh && .build/release/kk-bench pipeline --requests 300 --rate 50 --officers 4 --officer-interval-ms 50 \
	  --replicas kk-intake=3,kk-entry=3,kk-verify=3,kk-sign=3,kk-deliver=3,kk-archive=3

clean:
	@bash $(LOCAL)/stack.sh purge
	rm -rf .build .run
