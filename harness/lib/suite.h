/*
 * A guest suite: the guest images a run should boot, their expectations, and
 * the verdicts once the run's capture is judged. Shared by the vexit-run CLI
 * and the check_guests Check program, so both judge a run the same way.
 */
#ifndef VEXIT_HARNESS_SUITE_H
#define VEXIT_HARNESS_SUITE_H

#include <stdbool.h>

#include "direct_boot.h"
#include "expect.h"
#include "manifest.h"
#include "protocol.h"
#include "strlist.h"
#include "verdict.h"
#include "verdict_external.h"

struct suite_guest {
	char *name;                       /* module name: the image's file name without .elf */
	char *image;                      /* path of the image */
	char *module;                     /* the module string: the name, then an external kernel's arguments */
	const struct manifest_entry *ext; /* an external kernel: its manifest entry (judged by it); else NULL */
	struct strlist boot_paths;        /* an external kernel's boot modules (manifest env, module): their files, */
	struct strlist boot_strings;      /* and their module strings for the hypervisor, `+NAME STRING` */
	struct expect_set expect;
	char *expect_error;               /* the image's expectations could not be read */
	enum verdict verdict;
	struct strlist why;               /* reasons for a FAIL or SKIP, each naming the guest */
	struct strlist notes;             /* shown whatever the verdict: e.g. our entry-failure rule beside Bochs's */
	const struct guest_report *report;  /* into the suite's run_report; NULL if never began */
	struct external_counts counts;    /* an external kernel's assertions (verdict_external.h) */
};

struct suite {
	struct suite_guest *guests;
	size_t n;
	struct strlist names;
	struct run_report run;
	struct strlist problems;          /* run-level problems (see verdict_run) */
	unsigned passed, failed, skipped;
};

/*
 * 0 if `name` can be a guest's name (include/vexit_abi.h: at most VEXIT_GUEST_NAME_MAX letters, digits,
 * '_', '-' or '.'); else -1 with a sentence in err naming it (its odd bytes escaped) and what is wrong.
 * suite_load refuses a directory holding an image whose name fails it.
 */
int guest_name_check(const char *name, char *err, size_t errlen);

/*
 * Load every *.elf in guests_dir (sorted by name), or only those matching the
 * comma-separated name patterns of `select` (select.h; a pattern matching no
 * image is an error). 0 on success, else -1
 * with a reason in err.
 */
int suite_load(struct suite *s, const char *guests_dir, const char *select, char *err, size_t errlen);
/*
 * The external kernels of manifest m whose names match `select` (as suite_load),
 * each entry's file under kernel_dir (a file given with a '/' in it as it is).
 * The suite points into m, which must outlive it. 0, or -1 with a reason in err.
 */
int suite_load_external(struct suite *s, const struct manifest *m, const char *kernel_dir, const char *select,
			char *err, size_t errlen);
/* The kernel command-line options the suite's external kernels need ("mem.NAME=64 budget.NAME=... [tscscale.NAME=N]"), maybe "". */
char *suite_kernel_options(const struct suite *s);
/* The guests as direct-boot modules (image, name), in suite order, each external kernel's boot modules
 * after it; *n of them. The array points into the suite; the caller frees the array. */
struct direct_boot_module *suite_boot_modules(const struct suite *s, size_t *n);
/* Judge a capture; run_problem (may be NULL) is how the Bochs run went wrong, if it did. */
void suite_judge(struct suite *s, const char *capture, size_t len, const char *run_problem);
/* Every guest passed or was skipped, and the run itself had no problem. */
bool suite_ok(const struct suite *s);
/* Put the guests in this order (order[i]: the index of the guest that goes i-th), before a run. */
void suite_reorder(struct suite *s, const size_t *order);
void suite_free(struct suite *s);

#endif
