#!/usr/bin/env bash
# Installs the Debian packages Lyceum needs when they are missing: libzmq (the bus), PostgreSQL
# (the embedded development and test database), pkg-config (to find libzmq), curl (the README),
# python3-zmq (examples/python-subscriber and the system test that runs it), wrk (the HTTP benchmarks),
# libphonenumber-dev (the leads service normalises phone numbers to E.164 with it).
set -euo pipefail

needed=(libzmq3-dev postgresql pkg-config curl python3-zmq wrk libphonenumber-dev)
missing=()
for package in "${needed[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing system packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "Run as root or install sudo to add: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
