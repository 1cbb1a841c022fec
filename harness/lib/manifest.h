/*
 * The manifest of external kernels (docs/external-kernels.md), modelled on
 * kvm-unit-tests' unittests.cfg: one [name] section per kernel, then
 * `key = value` lines:
 *   file = msr.flat              the kernel, relative to the kernel directory (KUT_DIR)
 *   args = -t 1                  its arguments (its command line is "name args")
 *   env = NR_CPUS=1 TEST_DEVICE=0  an environment module: one KEY=VALUE a line (kvm-unit-tests' lib/argv.c)
 *   module = FILE [ARGS]         a boot module: the file (under the kernel directory), its string "FILE ARGS"
 *   mem = 128                    guest memory in MiB (default 128; 2 MiB steps up to 1024)
 *   budget = 500000000           guest ticks before the hypervisor stops it (default below)
 *   cost = 3                     a sharding hint, as a guest's `cost` (default 1)
 *   long = <why>                 a long kernel: make external runs it, make check leaves it out
 *                                (vexit-run --no-long), saying why
 *   tscscale = 256               its TSC runs 256 times the host's (the CPU's TSC scaling; default 1:
 *                                not scaled): make bench's vmexit, whose loops run for 2^30 TSC ticks
 *   end = --- DONE: 0 ---        a console line that ends the kernel when it has no exit port
 *   bare-aid = keep-apic-enabled  booted bare (vexit-run --bare), Bochs's debugger steps over the WRMSR
 *                                that disables its APIC (bare_aid.h); under vexit it changes nothing
 *   fail = <prefix>: <reason>    a FAIL: line beginning with <prefix> is expected, for <reason>
 *   skip = <prefix>: <reason>    a SKIP: line beginning with <prefix> is expected, for <reason>
 *   needs = <feature>: <reason>  what vexit does not virtualize yet that the kernel cannot do without
 *   stops = <stop> <field=value>...  with needs: where the kernel stops today
 * `#` starts a comment line. fail, skip, env and module may repeat: the env lines make one module,
 * the kernel's first, then come the `module` lines' in order (at most MANIFEST_MAX_MODULES in all).
 */
#ifndef VEXIT_HARNESS_MANIFEST_H
#define VEXIT_HARNESS_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include "strlist.h"

#define MANIFEST_DEFAULT_MEM_MIB 128 /* the hypervisor's VM_MEM_EXTERNAL_DEFAULT */
#define MANIFEST_MAX_MODULES 8 /* the hypervisor's MB1_MAX_MODULES */
#define MANIFEST_ENV_STRING "env" /* the environment module's string */
#define MANIFEST_DEFAULT_BUDGET 500000000ull

struct manifest_allow {
	char *prefix, *reason;
};

/* A `module` line: the file, and the module's string for the kernel (the whole value). */
struct manifest_module {
	char *file, *string;
};

struct manifest_entry {
	char *name, *file, *args;
	char *env;                          /* NULL, or the environment module's text: KEY=VALUE lines */
	struct manifest_module *modules;    /* the `module` lines, in order */
	size_t n_modules;
	unsigned long long mem_mib, budget, cost, tsc_scale;
	char *end_line;     /* NULL: the exit port (or power-off) is the only end */
	bool bare_keep_apic; /* bare-aid = keep-apic-enabled */
	char *needs, *stops; /* NULL when the kernel needs nothing vexit lacks */
	char *long_why;      /* `long = <why>`: NULL, or why only make external runs it (vexit-run --no-long) */
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
/* Apply one `key = value` line to entry e (vexit-run --env, --module): NULL, or what is wrong. */
const char *manifest_entry_set(struct manifest_entry *e, const char *key, const char *value);
/* How many boot modules e gives its kernel: the environment's, then the files'. */
size_t manifest_module_count(const struct manifest_entry *e);
const struct manifest_entry *manifest_find(const struct manifest *m, const char *name);
void manifest_free(struct manifest *m);
/*
 * Take the kernels marked `long` out of m, in order, appending "name: why" for each to `left`
 * (vexit-run --no-long: make check leaves them to make external). How many it took out.
 */
size_t manifest_leave_long(struct manifest *m, struct strlist *left);

#endif
