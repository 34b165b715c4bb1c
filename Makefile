# The two commands: `make dev` runs Lyceum, `make test` runs every test. Both install missing
# system packages first (libzmq3-dev, postgresql, pkg-config, curl, python3-zmq, libphonenumber-dev).
.PHONY: dev test build system-packages clean-data

system-packages:
	@scripts/install-system-packages.sh

build: system-packages
	swift build

dev: build
	.build/debug/lyceum dev

test: system-packages
	swift test

clean-data:
	.build/debug/lyceum db destroy
