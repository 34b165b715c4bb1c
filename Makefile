# The two commands: `make dev` runs Lyceum, `make test` runs every test. Both install missing
# system packages first (libzmq3-dev, postgresql, pkg-config, curl, python3-zmq, libphonenumber-dev).
.PHONY: dev test build system-packages clean-data

system-packages:
	@scripts/install-system-packages.sh

build: system-packages
	swift build

dev: build
	.build/debug/lyceum dev

# At most 12 tests at once: each starts services and a database of its own, and with every test
# of the package in flight a 2-core machine starved (connections timed out, circuit breakers
# tripped). SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH from the environment overrides it.
test: system-packages
	SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=$${SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH:-12} swift test

clean-data:
	.build/debug/lyceum db destroy
