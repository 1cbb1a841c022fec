/*
 * The guest suite under Check: one Bochs run of the whole suite (made once, in
 * main, before the tests fork), then one Check test case per guest test, named
 * after it, plus a "run" test case for the run as a whole (protocol version,
 * no panic, complete output, no leaked pages).
 *
 * Environment (set by `make check`, which runs this four times): VEXIT_KERNEL (direct
 * boot of that kernel ELF, direct_boot.h, with the command line VEXIT_KERNEL_ARGS)
 * or else VEXIT_ISO (the GRUB image),
 * VEXIT_GUESTS_DIR, VEXIT_BOCHSRC, VEXIT_TIMEOUT (seconds), VEXIT_TESTS (optional
 * name patterns), VEXIT_KEEP_LOGS (optional), VEXIT_CPU (optional Bochs CPU model),
 * VEXIT_NO_SKIP (when set, a skipped guest fails: for a run that selects guests
 * which must run, as the watchdog run of `make check` does), VEXIT_SCREEN (when
 * set, the run has no COM1: the debugger stops Bochs at the kernel's power_off and
 * dumps the VGA text screen, and that screen is judged instead of a COM1 capture).
 */
#include <check.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bochs_run.h"
#include "elf_symbol.h"
#include "file_read.h"
#include "protocol.h"
#include "run_suite.h"
#include "screen_dump.h"
#include "select.h"
#include "suite.h"
#include "suite_oracle.h"

static struct suite suite;
static bool no_skip;

static char *joined(const struct strlist *l)
{
	return strlist_join(l, " | ");
}

START_TEST(test_run_is_complete)
{
	ck_assert_msg(suite.problems.n == 0, "%s", joined(&suite.problems));
}
END_TEST

START_TEST(test_guest)
{
	const struct suite_guest *g = &suite.guests[_i];
	if (g->verdict == VERDICT_SKIP)
		fprintf(stderr, "check_guests: %s skipped: %s\n", g->name, g->why.n ? g->why.v[0] : "");
	ck_assert_msg(g->verdict != VERDICT_FAIL, "%s", joined(&g->why));
	ck_assert_msg(!no_skip || g->verdict != VERDICT_SKIP, "skipped in a run where it must run: %s",
		      joined(&g->why));
}
END_TEST

static struct bochs_run_opts base; /* the suite's run, for the loader test */

/*
 * Direct boot only: the real Bochs boots a disk whose memory image lies past its
 * end (a wrapper script breaks it). The loader must say so on COM1 as a protocol
 * panic and end the run, not hang or boot half a kernel.
 */
START_TEST(test_loader_names_a_failed_disk_read)
{
	const char *fakes = getenv("VEXIT_FAKE_BOCHS_DIR");
	char wrapper[PATH_MAX];
	snprintf(wrapper, sizeof(wrapper), "%s/bad-disk-read", fakes && *fakes ? fakes : "harness/tests/fake-bochs");
	struct bochs_run_opts o = base;
	o.bochs = wrapper;
	o.work_dir = NULL;
	o.timeout_s = 60;
	o.n_modules = 1;
	struct bochs_run_result r;
	ck_assert_int_eq(bochs_run(&o, &r), 0);
	char how[1024];
	bochs_run_describe(&r, &o, how, sizeof(how));
	/* A hang ends at the timeout (BOCHS_RUN_TIMED_OUT), not by Bochs exiting: no wall-clock bound here. */
	ck_assert_msg(r.end == BOCHS_RUN_EXITED, "%s", how);
	struct run_report rep;
	protocol_parse(r.serial, r.serial_len, &rep);
	ck_assert_msg(rep.panic && strcmp(rep.panic, "direct boot: BIOS disk read (INT 13h AH=42h) failed") == 0,
		      "capture: '%s'", r.serial);
	run_report_free(&rep);
	bochs_run_result_free(&r);
}
END_TEST

#define SCREEN_COLS 80
#define SCREEN_ROWS 25
#define BOCHS_OUT_MAX (64u << 20)

/* The screen run: stop where the kernel powers off, and dump the text screen. */
static char *screen_commands(const char *kernel)
{
	uint64_t addr;
	char err[1024];
	if (elf_symbol_address(kernel, "power_off", &addr, err, sizeof(err))) {
		fprintf(stderr, "check_guests: %s\n", err);
		exit(1);
	}
	return screen_dump_commands(addr, SCREEN_COLS, SCREEN_ROWS);
}

/* Judge what the screen showed, in place of the (empty) COM1 capture. */
static void take_screen(struct bochs_run_result *r)
{
	char path[PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/bochs.out", r->dir);
	size_t len;
	char *out = file_read(path, BOCHS_OUT_MAX, &len);
	char *text = out ? screen_dump_text(out, SCREEN_COLS, SCREEN_ROWS) : NULL;
	free(out);
	free(r->serial);
	r->serial = text ? text : strdup("");
	r->serial_len = strlen(r->serial);
	printf("check_guests: the screen at power-off:\n%s", text ? text : "(no dump of the screen in bochs.out)\n");
}

static const char *env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);
	return v && *v ? v : fallback;
}

int main(void)
{
	no_skip = getenv("VEXIT_NO_SKIP") && *getenv("VEXIT_NO_SKIP");
	const char *kernel = getenv("VEXIT_KERNEL") && *getenv("VEXIT_KERNEL") ? getenv("VEXIT_KERNEL") : NULL;
	struct bochs_run_opts o = {
		.kernel = kernel,
		.kernel_args = kernel && getenv("VEXIT_KERNEL_ARGS") && *getenv("VEXIT_KERNEL_ARGS") ?
				       getenv("VEXIT_KERNEL_ARGS") : NULL,
		.iso = kernel ? NULL : env_or("VEXIT_ISO", "build/vexit.iso"),
		.bochsrc = env_or("VEXIT_BOCHSRC", "bochsrc/ci.bochsrc"),
		.timeout_s = (unsigned)strtoul(env_or("VEXIT_TIMEOUT", "600"), NULL, 10),
		.grace_s = 10,
		.work_dir = getenv("VEXIT_KEEP_LOGS"),
		.stream_fd = -1,
		.cpu = getenv("VEXIT_CPU") && *getenv("VEXIT_CPU") ? getenv("VEXIT_CPU") : NULL,
	};
	char err[1024];
	if (suite_load(&suite, env_or("VEXIT_GUESTS_DIR", "build/guests"), getenv("VEXIT_TESTS"), err,
		       sizeof(err))) {
		fprintf(stderr, "check_guests: %s\n", err);
		return 1;
	}

	/*
	 * The kernel boots only the selected guests. Direct boot: only they are on the
	 * disk. GRUB: the ISO holds them all, and the harness tells GRUB at boot (select.h).
	 */
	struct direct_boot_module *modules = suite_boot_modules(&suite, &o.n_modules);
	o.modules = modules;
	char *selected = NULL;
	if (!kernel && getenv("VEXIT_TESTS") && *getenv("VEXIT_TESTS")) {
		selected = select_join(&suite.names);
		if (!selected) {
			fprintf(stderr, "check_guests: VEXIT_TESTS selects more guests than tests= can hold\n");
			return 1;
		}
		o.select = selected;
	}
	struct bochs_run_result r;
	char how[1024];
	bool screen = getenv("VEXIT_SCREEN") && *getenv("VEXIT_SCREEN");
	if (screen && !kernel) {
		fprintf(stderr, "check_guests: VEXIT_SCREEN needs VEXIT_KERNEL (a direct boot: the breakpoint is a kernel symbol)\n");
		return 1;
	}
	char *cmds = screen ? screen_commands(kernel) : NULL;
	o.debugger_cmds = cmds;
	bochs_run(&o, &r);
	if (screen)
		take_screen(&r);
	free(cmds);
	o.debugger_cmds = NULL;
	free(selected);
	base = o;
	suite_judge_run(&suite, &o, &r, how, sizeof(how));
	printf("check_guests: %s boot%s%s: %s\n", kernel ? "direct" : "GRUB", o.kernel_args ? ", kernel args " : "",
	       o.kernel_args ? o.kernel_args : "", how);
	for (size_t i = 0; i < suite.n; i++)
		for (size_t j = 0; j < suite.guests[i].notes.n; j++)
			printf("check_guests: %s: %s\n", suite.guests[i].name, suite.guests[i].notes.v[j]);
	if (suite.problems.n && r.bochs_tail[0])
		fprintf(stderr, "check_guests: the last lines Bochs printed:\n%s\n", r.bochs_tail);
	bochs_run_result_free(&r);

	Suite *s = suite_create("guests");
	TCase *run = tcase_create("run");
	tcase_add_test(run, test_run_is_complete);
	suite_add_tcase(s, run);
	/* Once: not again in a run with other kernel options or without COM1 (the loader's panic goes there). */
	if (kernel && !o.kernel_args && !screen && suite.n) {
		TCase *loader = tcase_create("loader");
		tcase_set_timeout(loader, 90);
		tcase_add_test(loader, test_loader_names_a_failed_disk_read);
		suite_add_tcase(s, loader);
	}
	for (size_t i = 0; i < suite.n; i++) {
		TCase *tc = tcase_create(suite.guests[i].name);
		tcase_add_loop_test(tc, test_guest, (int)i, (int)i + 1);
		suite_add_tcase(s, tc);
	}
	int rc = run_suite(s, CK_VERBOSE);
	free(modules);
	suite_free(&suite);
	return rc;
}
