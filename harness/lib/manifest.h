/*
 * The manifest of external kernels (docs/external-kernels.md), modelled on
 * kvm-unit-tests' unittests.cfg: one [name] section per kernel, then
 * `key = value` lines:
 *   file = msr.flat              the kernel, relative to the kernel directory (KUT_DIR)
 *   args = -t 1                  its arguments (its command line is "name args")
 *   mem = 64                     guest memory in MiB (default 64; 2 MiB steps up to 1024)
 *   budget = 500000000           guest ticks before the hypervisor stops it (default below)
 *   cost = 3                     a sharding hint, as a guest's `cost` (default 1)
 *   end = --- DONE: 0 ---        a console line that ends the kernel when it has no exit port
 *   fail = <prefix>: <reason>    a FAIL: line beginning with <prefix> is expected, for <reason>
 *   skip = <prefix>: <reason>    a SKIP: line beginning with <prefix> is expected, for <reason>
 *   needs = <feature>: <reason>  what vexit does not virtualize yet that the kernel cannot do without
 *   stops = <stop> <field=value>...  with needs: where the kernel stops today
 * `#` starts a comment line. fail and skip may repeat.
 */
#ifndef VEXIT_HARNESS_MANIFEST_H
#define VEXIT_HARNESS_MANIFEST_H

#include <stddef.h>

#define MANIFEST_DEFAULT_MEM_MIB 64
#define MANIFEST_DEFAULT_BUDGET 500000000ull

struct manifest_allow {
	char *prefix, *reason;
};

struct manifest_entry {
	char *name, *file, *args;
	unsigned long long mem_mib, budget, cost;
	char *end_line;     /* NULL: the exit port (or power-off) is the only end */
	char *needs, *stops; /* NULL when the kernel needs nothing vexit lacks */
	struct manifest_allow *fails, *skips;
	size_t n_fails, n_skips;
};

struct manifest {
	struct manifest_entry *v;
	size_t n;
};

/* Parse a manifest's text. 0, or -1 with "line N: what is wrong" in err (and *m freed). */
int manifest_parse(const char *text, struct manifest *m, char *err, size_t errlen);
/* Read and parse a file. 0, or -1 with the reason in err. */
int manifest_read(const char *path, struct manifest *m, char *err, size_t errlen);
/* One entry for one kernel file and its arguments (vexit-run --external): name = the file's base name. */
void manifest_single(struct manifest *m, const char *file, const char *args);
const struct manifest_entry *manifest_find(const struct manifest *m, const char *name);
void manifest_free(struct manifest *m);

#endif
