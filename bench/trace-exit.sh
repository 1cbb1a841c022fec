#!/bin/sh
# Print every instruction the CPU retired for one VM exit of the benchmark run: from the
# Nth arrival at the exit stub (VMCS HOST_RIP) to the VMRESUME that ends it, with a count.
# Run `make bench` first: it keeps the run's disk in build/bench/logs/. Usage:
#   bench/trace-exit.sh N        (N counts exits from 1; in exit_costs, exit 500 is a floor VMCALL, 1500 a CPUID)
set -eu
n=${1:?usage: bench/trace-exit.sh N}
build=${BUILD:-build}/bench
elf=$build/vexit.elf
dir=$(ls -d "$build"/logs/*/ 2>/dev/null | head -n 1)
[ -f "$elf" ] && [ -n "$dir" ] && [ -f "$dir/boot-disk.img" ] || { echo "trace-exit: run make bench first" >&2; exit 2; }
stub=$(nm "$elf" | awk '$3 == "vmx_exit_entry_point" { print "0x" $1 }')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{ echo "lb $stub"; i=1; while [ "$i" -lt "$n" ]; do echo c; i=$((i + 1)); done
  echo c; echo "trace on"; echo c; echo "trace off"; echo quit; } > "$tmp/cmds"
VEXIT_CPU=${VEXIT_CPU:-corei7_skylake_x} VEXIT_BOOT=disk VEXIT_ISO=none VEXIT_ISO_STATUS=ejected \
VEXIT_DISK="$dir/boot-disk.img" VEXIT_SELECT="$dir/select.img" VEXIT_SERIAL="$tmp/serial.txt" \
VEXIT_LOG="$tmp/bochs.log" timeout -k 2 300 bochs -q -unlock -f bochsrc/ci.bochsrc -rc "$tmp/cmds" \
	</dev/null > "$tmp/out" 2>&1 || true
# Debugger trace lines look like "(0).[tick] [0xPHYS] sel:addr (unk. ctxt): insn ; bytes".
grep '^(0)\.\[' "$tmp/out" | sed 's/^[^]]*\] \[[^]]*\] //; s/ (unk\. ctxt)//' |
	awk '{ print } /vmresume/ { exit }' > "$tmp/trace"
[ -s "$tmp/trace" ] || { echo "trace-exit: Bochs traced nothing (fewer than $n exits?)" >&2; exit 1; }
cat "$tmp/trace"
echo "trace-exit: $(wc -l < "$tmp/trace") instructions from exit $n to its VMRESUME"
