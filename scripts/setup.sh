#!/usr/bin/env bash
# Sets up mynasim on Debian 12: installs exactly the apt packages it needs (only when one is missing,
# so re-running is fast), then configures and builds into build/. Run as root, or with sudo available.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/phase.sh
phase_reset
trap 'phase_end " (FAILED)"' EXIT

packages=(
    cmake ninja-build g++ pkg-config          # build
    libssl-dev openssl                        # OpenSSL 3 (EVP) and the openssl tool the tests use
    libyaml-cpp-dev                           # profiles
    libboost-dev libboost-test-dev            # Boost.Test
    libcli11-dev nlohmann-json3-dev           # CLI and JSON output
    clang-14 libclang-rt-14-dev               # libFuzzer targets and sanitizer runtimes
    lld                                       # a faster linker (cmake/build_speed.cmake)
    pcscd libpcsclite-dev vsmartcard-vpcd     # the real PC/SC path: private pcscd, vpcd reader driver
    opensc opensc-pkcs11 pcsc-tools           # interoperability tests: opensc-tool, pkcs15-tool, pkcs11-tool, pcsc_scan
    python3 python3-pyscard                   # a Python PC/SC client in the integration tests
    libsqlite3-dev libpugixml-dev             # the mock server: store and XML
    libzip-dev                                # bulk answers as .zip (and the reception reading them)
    libjpeg-dev                               # the card's face image: a real JPEG (drawn, or a profile's file, checked)
    chromium chromium-driver python3-selenium # the HTML report's test in a real (headless) browser
    python3-jsonschema                        # report.json checked against reports/report.schema.json
    libxml2-utils                             # xmllint: the file interface's XSD (docs/schema/) checked by another XML implementation
    pybind11-dev python3-dev python3-pytest   # the Python module (python/) and its pytest suite and plugin
)
install_missing() {
    local missing=() package sudo=""
    for package in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    ((${#missing[@]})) || return 0
    [[ $(id -u) == 0 ]] || sudo=sudo
    echo "setup: installing ${missing[*]}"
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
}
phase "setup: apt" install_missing

configure() { cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMYNASIM_WERROR=ON >/dev/null; }
phase "setup: configure" configure
phase "setup: build" cmake --build build --parallel
echo "setup: built build/mynasim and the Python module (PYTHONPATH=build/python /usr/bin/python3 -c 'import mynasim')"
