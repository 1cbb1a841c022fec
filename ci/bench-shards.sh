#!/bin/sh
# Wall time of the full guest suite with 1 and with 2 parallel shards, interleaved
# (1, 2, 1, 2, ...) so that a noisy host hurts both alike. Usage: ci/bench-shards.sh [pairs]
# Needs `make all` first. Prints every run, then the median and the best of each.
set -eu
cd "$(dirname "$0")/.."
pairs=${1:-10}
BOOT=${BOOT:---kernel build/vexit.elf}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
i=0
while [ "$i" -lt "$pairs" ]; do
	for j in 1 2; do
		start=$(date +%s.%N)
		build/harness/vexit-run $BOOT --guests build/guests --jobs "$j" >/dev/null
		end=$(date +%s.%N)
		t=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
		echo "jobs=$j $t" | tee -a "$out"
	done
	i=$((i + 1))
done
for j in 1 2; do
	grep "^jobs=$j " "$out" | cut -d' ' -f2 | sort -n |
		awk -v j="$j" '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
			printf "jobs=%s: median %.2f s, best %.2f s over %d runs\n", j, m, v[1], NR }'
done
