#!/bin/sh
# make bench: kvm-unit-tests' vmexit, each test's figure under vexit beside the same kernel's on bare
# Bochs, and the difference, what running under vexit adds to one iteration (README, "Benchmarks").
#
#   bench/vmexit-table.sh VEXIT_CFG BARE_CFG VEXIT_LOGS BARE_LOGS
#
# VEXIT_CFG (bench/vmexit.cfg) lists the tests (`args`) and the TSC scale (`tscscale`) of the run
# under vexit, whose logs (vexit-run --keep-logs) are in VEXIT_LOGS; BARE_CFG (bench/vmexit-bare.cfg)
# has one entry per test run bare (`args` one test name), logs in BARE_LOGS. Every figure is the
# kernel's own line, `TEST N` (N = TSC ticks per iteration, whole): under vexit in the protocol
# (`VEXIT console vmexit TEST N`, divided back by the scale), bare on COM1 as the kernel wrote it.
# Each test must have printed exactly one figure where it ran: a test missing or printed twice
# fails, with what its run printed last. A test of VEXIT_CFG that BARE_CFG does not list is shown
# bare as `-` with the reason below; any other such test fails.
set -eu
[ $# -eq 4 ] || { echo "usage: $0 VEXIT_CFG BARE_CFG VEXIT_LOGS BARE_LOGS" >&2; exit 2; }
vexit_cfg=$1 bare_cfg=$2 vexit_logs=$3 bare_logs=$4
set -- "$vexit_logs"/*/serial.txt
[ -f "$1" ] || { echo "make bench: no run of vmexit under vexit in $vexit_logs" >&2; exit 1; }
set -- "$bare_logs"/*/serial.txt
[ -f "$1" ] || { echo "make bench: no run of vmexit on bare Bochs in $bare_logs" >&2; exit 1; }

awk '
function fail(msg) { print "make bench: " msg; failed = 1 }
function last_lines(file,   n, i, line, keep) {
	n = 0
	while ((getline line < file) > 0) { sub(/\r$/, "", line); keep[++n % 6] = line }
	close(file)
	for (i = (n > 6 ? n - 5 : 1); i <= n; i++) print "    | " keep[i % 6]
}
{ sub(/\r$/, "") }
role == "vexit_cfg" && /^args = / { for (i = 3; i <= NF; i++) tests[++n_tests] = $i }
role == "vexit_cfg" && /^tscscale = / { scale = $3 }
role == "bare_cfg" && /^args = / {
	if (NF != 3) fail(FILENAME ": each bare entry runs one test, not \"" $0 "\"")
	bare_listed[$3] = 1
}
role == "vexit" && $1 == "VEXIT" && $2 == "console" && $3 == "vmexit" && NF == 5 && $5 ~ /^[0-9]+$/ {
	vexit_n[$4]++; vexit[$4] = $5 / scale
}
role == "bare" && NF == 2 && ($1 in bare_listed) && $2 ~ /^[0-9]+$/ { bare_n[$1]++; bare[$1] = $2; has_figure[FILENAME] = 1 }
role == "bare" && FNR == 1 { bare_files[++n_bare_files] = FILENAME }
END {
	if (!n_tests || !scale) fail(vexit_cfg_name ": no args or no tscscale")
	# Not run bare, and why (the same kernel bare stops there).
	why["vmcall"] = "VMCALL outside VMX operation is #UD (SDM 31.3): bare, the kernel dies there"
	for (i = 1; i <= n_tests; i++) {
		t = tests[i]
		if (vexit_n[t] != 1) fail("vmexit " t " printed " (vexit_n[t] ? vexit_n[t] " figures" : "no figure") " under vexit")
		if (t in bare_listed) {
			if (bare_n[t] != 1) {
				fail("vmexit " t " printed " (bare_n[t] ? bare_n[t] " figures" : "no figure") " on bare Bochs" (bare_n[t] ? "" : "; the bare runs with no figure ended:"))
				for (k = 1; k <= n_bare_files; k++)
					if (!(bare_files[k] in has_figure)) { print "  " bare_files[k] ":"; last_lines(bare_files[k]) }
			}
		} else if (!(t in why))
			fail("vmexit " t " is not run bare (" bare_cfg_name ") and there is no reason for it here")
	}
	for (t in bare_listed) {
		for (i = 1; i <= n_tests && tests[i] != t; i++) ;
		if (i > n_tests) fail(bare_cfg_name " runs " t " bare, which " vexit_cfg_name " does not run under vexit")
	}
	if (failed) exit 1
	printf "vmexit.flat (kvm-unit-tests), Bochs ticks per iteration: under vexit (its TSC ran x%d, divided back),\n", scale
	printf "on bare Bochs (no hypervisor; one Bochs run per test), and the difference, what vexit adds:\n"
	printf "vmexit %-20s %12s %11s %11s\n", "test", "under vexit", "bare Bochs", "difference"
	for (i = 1; i <= n_tests; i++) {
		t = tests[i]
		if (t in bare_listed)
			printf "vmexit %-20s %12.2f %11d %11.2f\n", t, vexit[t], bare[t], vexit[t] - bare[t]
		else
			printf "vmexit %-20s %12.2f %11s %11s   bare: %s\n", t, vexit[t], "-", "-", why[t]
	}
}' vexit_cfg_name="$vexit_cfg" bare_cfg_name="$bare_cfg" \
	role=vexit_cfg "$vexit_cfg" role=bare_cfg "$bare_cfg" role=vexit "$vexit_logs"/*/serial.txt \
	role=bare "$@"
