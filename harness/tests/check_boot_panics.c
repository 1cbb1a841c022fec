/*
 * The hypervisor's named panics on machines it cannot run on, booted for real:
 * the direct-boot disk in Bochs with each CPU model and kernel below. Every run
 * must end by itself (within the 60 s timeout) with exactly the protocol lines
 * asserted here, and the harness must report the panic by name:
 *  - core_duo_t2400_yonah and atom_n270 have no long mode: boot/entry.S says so
 *    in 32-bit code (before it, they triple-faulted with no word);
 *  - ryzen has no VMX: kmain's check says so;
 *  - a panic after VMXON (a malformed budget= option, on corei7_skylake_x) is
 *    followed by the vmx-off line, whose VMREAD raised #UD: VMX was left;
 *  - a kernel a loader put 1 MiB above its link address stops with the
 *    load-address panic instead of running at the wrong place;
 *  - an NMI in the hypervisor (selftest=nmi sends one through the local APIC,
 *    after VMXON) is reported by the IDT's handler with the NMI status port,
 *    ends the run by the policy of docs/hardware.md, and VMX is left.
 * The runs go side by side (each about a second alone). Environment: VEXIT_KERNEL
 * (build/vexit.elf), VEXIT_BOCHSRC, VEXIT_KEEP_LOGS (optional: keep each run's
 * files in a directory of that name per case).
 */
#include <check.h>
#include <elf.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bochs_run.h"
#include "file_read.h"
#include "moved_kernel.h"
#include "protocol.h"
#include "run_suite.h"
#include "verdict.h"

/* A panic run takes about 1 s alone; a run that has not ended by itself by then hangs (never a pass). */
#define RUN_TIMEOUT_S 60
#define MOVED_BY 0x100000ull

#define VMX_OFF_LINE "VEXIT vmx-off vmcs=none vmclear=ok vmxoff=ok cr4.vmxe=0 vmread=ud"
#define NO_LONG_MODE "this CPU has no long mode (CPUID.80000001H:EDX.LM[bit 29] is 0): vexit is a 64-bit hypervisor"
#define NO_VMX "this CPU does not support VMX (CPUID.1:ECX.VMX[bit 5] is 0)"
#define LOAD_ADDRESS                                                                                    \
	"the kernel is linked to run at 1 MiB (0x100000) and was loaded elsewhere: load it at its ELF " \
	"physical addresses"

struct boot_case {
	const char *name;
	const char *cpu;
	const char *kernel_args;
	bool moved;             /* boot a copy of the kernel whose segments load MOVED_BY higher */
	const char *lines;      /* every protocol line of the run, in order; a line ending in '*' is a prefix */
	const char *text;       /* NULL, or free text the capture must hold */
	const char *panic;      /* the panic the harness must report */
	struct bochs_run_opts o;
	struct bochs_run_result r;
};

static struct boot_case cases[] = {
	{ .name = "no_long_mode_yonah", .cpu = "core_duo_t2400_yonah",
	  .lines = "VEXIT protocol 1\nVEXIT panic " NO_LONG_MODE "\n", .panic = NO_LONG_MODE },
	{ .name = "no_long_mode_atom", .cpu = "atom_n270",
	  .lines = "VEXIT protocol 1\nVEXIT panic " NO_LONG_MODE "\n", .panic = NO_LONG_MODE },
	{ .name = "no_vmx_ryzen", .cpu = "ryzen", .lines = "VEXIT protocol 1\nVEXIT panic " NO_VMX "\n",
	  .panic = NO_VMX },
	{ .name = "panic_after_vmxon", .kernel_args = "budget=x",
	  .lines = "VEXIT protocol 1\n"
		   "VEXIT cpu vmx-revision=0x2b ept=yes ug=yes preemption-timer=yes watchdog=preemption-timer\n"
		   "VEXIT panic budget=x is not a decimal number of ticks\n" VMX_OFF_LINE "\n",
	  .panic = "budget=x is not a decimal number of ticks" },
	{ .name = "nmi_in_the_hypervisor", .kernel_args = "selftest=nmi",
	  .lines = "VEXIT protocol 1\n"
		   "VEXIT cpu vmx-revision=0x2b ept=yes ug=yes preemption-timer=yes watchdog=preemption-timer\n"
		   "VEXIT panic exception NMI at rip=0x*\n" VMX_OFF_LINE "\n",
	  .text = "\nhypervisor exception NMI (vector 2) error=0x0\n", .panic = "exception NMI at rip=0x" },
	{ .name = "wrong_load_address", .moved = true, .lines = "VEXIT protocol 1\nVEXIT panic " LOAD_ADDRESS "\n",
	  .panic = LOAD_ADDRESS },
};
#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static char tmp_dir[64];

/* The protocol lines of a capture ("VEXIT ..." at the start of a line), each ending in \n. */
static char *protocol_lines(const char *s)
{
	size_t n = strlen(s);
	char *out = calloc(n + 1, 1), *o = out;
	for (const char *p = s; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
		if (strncmp(p, "VEXIT ", 6) == 0) {
			memcpy(o, p, len);
			o += len;
		}
		p += len;
	}
	return out;
}

/* Whether the protocol lines `got` are those of `want`, where a want line ending in '*' is a prefix. */
static bool lines_match(const char *got, const char *want)
{
	while (*got && *want) {
		const char *g_nl = strchr(got, '\n'), *w_nl = strchr(want, '\n');
		if (!g_nl || !w_nl)
			return false;
		size_t g_len = (size_t)(g_nl - got), w_len = (size_t)(w_nl - want);
		bool prefix = w_len && want[w_len - 1] == '*';
		if (prefix ? g_len < w_len - 1 || memcmp(got, want, w_len - 1) != 0
			   : g_len != w_len || memcmp(got, want, w_len) != 0)
			return false;
		got = g_nl + 1;
		want = w_nl + 1;
	}
	return !*got && !*want;
}


START_TEST(test_boot_ends_with_its_named_panic)
{
	struct boot_case *c = &cases[_i];
	char how[1024];
	bochs_run_describe(&c->r, &c->o, how, sizeof(how));
	/* Ended by itself: not killed at the timeout, nor lingering after its last line. */
	ck_assert_msg(c->r.end == BOCHS_RUN_EXITED, "%s: %s", c->name, how);
	char *lines = protocol_lines(c->r.serial);
	ck_assert_msg(lines_match(lines, c->lines), "%s: the protocol lines were\n%s\nwant\n%s", c->name, lines,
		      c->lines);
	free(lines);
	if (c->text)
		ck_assert_msg(strstr(c->r.serial, c->text), "%s: no '%s' in the capture:\n%s", c->name, c->text,
			      c->r.serial);

	/* What the harness makes of it: the panic, by name, among the run's problems. */
	struct run_report rep;
	protocol_parse(c->r.serial, c->r.serial_len, &rep);
	struct strlist problems = { 0 }, none = { 0 };
	verdict_run(&rep, &none, &problems);
	char want[512];
	snprintf(want, sizeof(want), "the hypervisor panicked: %s", c->panic);
	bool named = false;
	for (size_t i = 0; i < problems.n; i++)
		named |= strncmp(problems.v[i], want, strlen(want)) == 0;
	char *said = strlist_join(&problems, " | ");
	ck_assert_msg(named, "%s: the harness said: %s", c->name, said);
	free(said);
	strlist_free(&problems);
	run_report_free(&rep);
}
END_TEST

int main(void)
{
	const char *kernel = getenv("VEXIT_KERNEL") && *getenv("VEXIT_KERNEL") ? getenv("VEXIT_KERNEL")
										: "build/vexit.elf";
	const char *bochsrc = getenv("VEXIT_BOCHSRC") && *getenv("VEXIT_BOCHSRC") ? getenv("VEXIT_BOCHSRC")
										  : "bochsrc/ci.bochsrc";
	const char *keep = getenv("VEXIT_KEEP_LOGS");
	strcpy(tmp_dir, "/tmp/check_boot_panics.XXXXXX");
	if (!mkdtemp(tmp_dir)) {
		perror("check_boot_panics: mkdtemp");
		return 1;
	}
	static char dirs[N_CASES][PATH_MAX];
	static bool done[N_CASES];
	for (size_t i = 0; i < N_CASES; i++) {
		struct boot_case *c = &cases[i];
		const char *image = c->moved ? moved_kernel(kernel, MOVED_BY, tmp_dir) : kernel;
		if (!image)
			return 1;
		c->o = (struct bochs_run_opts){
			.kernel = image,
			.kernel_args = c->kernel_args,
			.bochsrc = bochsrc,
			.timeout_s = RUN_TIMEOUT_S,
			.grace_s = 10,
			.stream_fd = -1,
			.cpu = c->cpu,
		};
		if (keep && *keep) {
			snprintf(dirs[i], sizeof(dirs[i]), "%s/%s", keep, c->name);
			mkdir(keep, 0777);
			mkdir(dirs[i], 0777);
			c->o.work_dir = dirs[i];
		}
		if (bochs_run_start(&c->o, &c->r) != 0) {
			fprintf(stderr, "check_boot_panics: %s: %s\n", c->name, c->r.error);
			return 1;
		}
		usleep(10000); /* Bochs's RFB ports: README, "Process handling" */
	}
	for (size_t left = N_CASES; left;) {
		left = 0;
		for (size_t i = 0; i < N_CASES; i++)
			if (!done[i] && !(done[i] = bochs_run_poll(&cases[i].o, &cases[i].r)))
				left++;
		usleep(20000);
	}

	for (size_t i = 0; i < N_CASES; i++) {
		char how[1024];
		bochs_run_describe(&cases[i].r, &cases[i].o, how, sizeof(how));
		printf("check_boot_panics: %s: %s\n", cases[i].name, how);
	}
	Suite *s = suite_create("boot_panics");
	for (size_t i = 0; i < N_CASES; i++) {
		TCase *tc = tcase_create(cases[i].name);
		tcase_add_loop_test(tc, test_boot_ends_with_its_named_panic, (int)i, (int)i + 1);
		suite_add_tcase(s, tc);
	}
	int rc = run_suite(s, CK_VERBOSE);
	for (size_t i = 0; i < N_CASES; i++)
		bochs_run_result_free(&cases[i].r);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
	(void)!system(cmd);
	return rc;
}
