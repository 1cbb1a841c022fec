#!/bin/sh
# Build the kvm-unit-tests x86 kernels that `make external` runs under vexit
# (docs/external-kernels.md), from a checkout: ci/build-kvm-unit-tests.sh DIR [COMMIT].
# DIR is cloned from the upstream repository when it does not exist yet (this needs network
# access); COMMIT defaults to the one ../shared/kvm-unit-tests was built from. Then:
#   make external KUT_DIR=DIR/x86
set -eu
dir=${1:?usage: ci/build-kvm-unit-tests.sh DIR [COMMIT]}
commit=${2:-1da1819e49fc4938985edca67df669099b4c87a7}
if [ ! -d "$dir/.git" ]; then
	git clone https://gitlab.com/kvm-unit-tests/kvm-unit-tests.git "$dir"
fi
cd "$dir"
git checkout -q "$commit"
./configure --arch=x86_64
make -j"$(nproc)"
ls x86/*.flat | wc -l | xargs echo "kernels built in $dir/x86:"
