/*
 * The QEMU lane: vexit boots on a machine that is not Bochs, by every boot path
 * it has, and each run ends by itself. QEMU's TCG has no VMX, so each run must
 * print exactly the protocol lines up to the kernel's "no VMX" panic (or the 32-bit
 * entry's, for the runs it stops), then power the machine off through ACPI
 * (kernel/power.c; boot/early_power.c), within the timeout. One Check
 * test case per run, named after it:
 *   iso-{seabios,ovmf}-{pc,q35}  the hybrid ISO as a CD: GRUB BIOS and GRUB EFI
 *   stick-{seabios,ovmf}-q35     the same ISO as a hard disk, as written to a USB stick
 *   direct-seabios-{pc,q35}      the harness's direct-boot disk (direct_boot.h) and its loader
 *   nolm-seabios-pc              the direct-boot disk on a CPU without long mode (QEMU's qemu32)
 *   moved-seabios-q35            the direct-boot disk with a kernel loaded 3 MiB above its link address
 *                                (both: the 32-bit entry's panic, then its own ACPI power-off)
 *   screen-ovmf-q35              the ISO under UEFI on a machine without COM1: the lines must be on
 *                                the screen GRUB's framebuffer shows, read back from QEMU's
 *                                screendump at power-off (harness/lib/screen_pixels.h)
 * The runs are made once, in main, before the tests fork, a few at a time (one
 * per core), through the harness's Bochs runner with harness/qemu/qemu-boot as
 * its program (that script says why).
 *
 * Environment (set by `make check`): VEXIT_ISO, VEXIT_KERNEL, VEXIT_QEMU_BOOT
 * (the script), VEXIT_QEMU_RC (its options file), VEXIT_TIMEOUT (seconds per
 * run, default 120), VEXIT_KEEP_LOGS (optional: keep each run's files in DIR/<run>).
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bochs_run.h"
#include "file_read.h"
#include "moved_kernel.h"
#include "protocol.h"
#include "run_suite.h"
#include "screen_pixels.h"

/* Everything the kernel may print, in order: the protocol line, then its panic (NO_VMX unless the run says). */
#define PROTOCOL_LINE "VEXIT protocol 1"
#define NO_VMX "this CPU does not support VMX (CPUID.1:ECX.VMX[bit 5] is 0)"
#define NO_LONG_MODE "this CPU has no long mode (CPUID.80000001H:EDX.LM[bit 29] is 0): vexit is a 64-bit hypervisor"
#define LOAD_ADDRESS                                                                                    \
	"the kernel is linked to run at 1 MiB (0x100000) and was loaded elsewhere: load it at its ELF " \
	"physical addresses"
/* How far the moved run's kernel is loaded from its link address. */
#define MOVED_BY 0x300000ull
/* What kernel/power.c prints when it cannot power off through ACPI. */
#define NO_ACPI_OFF "no ACPI power-off"
/* After its panic line, how long a run may take to power off. */
#define GRACE_S 15

struct qemu_run {
	const char *name, *firmware, *machine, *iso_as;
	bool direct, screen;
	const char *cpu;   /* QEMU's -cpu; NULL: qemu64 */
	bool moved;        /* direct boot of a kernel loaded MOVED_BY above its link address (moved_kernel.h) */
	const char *panic; /* NULL: NO_VMX */
	struct bochs_run_opts opts;
	struct bochs_run_result result;
	bool started, done;
};

/* The slow UEFI runs first, so that they overlap the others. */
static struct qemu_run runs[] = {
	{ .name = "screen-ovmf-q35", .firmware = "ovmf", .machine = "q35", .iso_as = "cdrom", .screen = true },
	{ .name = "iso-ovmf-pc", .firmware = "ovmf", .machine = "pc", .iso_as = "cdrom", .direct = false },
	{ .name = "iso-ovmf-q35", .firmware = "ovmf", .machine = "q35", .iso_as = "cdrom", .direct = false },
	{ .name = "stick-ovmf-q35", .firmware = "ovmf", .machine = "q35", .iso_as = "disk", .direct = false },
	{ .name = "iso-seabios-pc", .firmware = "seabios", .machine = "pc", .iso_as = "cdrom", .direct = false },
	{ .name = "iso-seabios-q35", .firmware = "seabios", .machine = "q35", .iso_as = "cdrom", .direct = false },
	{ .name = "stick-seabios-q35", .firmware = "seabios", .machine = "q35", .iso_as = "disk", .direct = false },
	{ .name = "direct-seabios-pc", .firmware = "seabios", .machine = "pc", .iso_as = "cdrom", .direct = true },
	{ .name = "direct-seabios-q35", .firmware = "seabios", .machine = "q35", .iso_as = "cdrom", .direct = true },
	/* The 32-bit entry's panics, which power off through its 32-bit ACPI code (boot/early_power.c). */
	{ .name = "nolm-seabios-pc", .firmware = "seabios", .machine = "pc", .iso_as = "cdrom", .direct = true,
	  .cpu = "qemu32", .panic = NO_LONG_MODE },
	{ .name = "moved-seabios-q35", .firmware = "seabios", .machine = "q35", .iso_as = "cdrom", .direct = true,
	  .moved = true, .panic = LOAD_ADDRESS },
};
#define N_RUNS (sizeof(runs) / sizeof(runs[0]))

static const char *env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);
	return v && *v ? v : fallback;
}

/* The capture's protocol lines ("VEXIT " at a line's start, carriage returns around it dropped), joined by '\n'. */
static char *protocol_lines(const char *s, size_t len)
{
	char *out = calloc(len + 1, 1);
	ck_assert_ptr_nonnull(out);
	size_t n = 0;
	for (const char *p = s, *end = s + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		while (p < e && *p == '\r')
			p++;
		while (e > p && e[-1] == '\r')
			e--;
		if (e - p >= 6 && memcmp(p, "VEXIT ", 6) == 0) {
			memcpy(out + n, p, (size_t)(e - p));
			n += (size_t)(e - p);
			out[n++] = '\n';
		}
		p = nl ? nl + 1 : end;
	}
	out[n] = '\0';
	return out;
}

/* How a run ended, in QEMU's name (the runner's own sentences name Bochs). */
static void describe(const struct qemu_run *q, char *buf, size_t len)
{
	const struct bochs_run_result *r = &q->result;
	switch (r->end) {
	case BOCHS_RUN_EXITED:
		snprintf(buf, len, "QEMU exited with code %d after %.1f s", r->code, r->seconds);
		break;
	case BOCHS_RUN_SIGNALED:
		snprintf(buf, len, "QEMU died of signal %d after %.1f s", r->code, r->seconds);
		break;
	case BOCHS_RUN_TIMED_OUT:
		snprintf(buf, len, "QEMU hung: killed at the timeout, %u s", q->opts.timeout_s);
		break;
	case BOCHS_RUN_LINGERED:
		snprintf(buf, len, "the kernel stopped but QEMU did not power off within %u s: killed", q->opts.grace_s);
		break;
	case BOCHS_RUN_NOT_STARTED:
		snprintf(buf, len, "QEMU not started: %s", r->error);
		break;
	}
}

/* A screen run: the screen at power-off shows exactly the lines, and QEMU quit after saving it. */
static void check_screen(const struct qemu_run *q, const char *want, const char *how)
{
	const struct bochs_run_result *r = &q->result;
	char path[PATH_MAX + 16], err[256] = "";
	snprintf(path, sizeof(path), "%s/screen.ppm", r->dir);
	size_t len = 0;
	char *ppm = file_read(path, 64u << 20, &len);
	ck_assert_msg(ppm != NULL, "%s: no screendump %s (the machine never powered off?): %s", q->name, path, how);
	char *text = screen_pixels_text((const unsigned char *)ppm, len, err, sizeof(err));
	free(ppm);
	ck_assert_msg(text != NULL, "%s: the screen is not the console's text: %s (%s)", q->name, err, how);
	ck_assert_msg(strcmp(text, want) == 0, "%s: the screen shows\n%s\nwant\n%s(%s)", q->name, text, want, how);
	free(text);
	ck_assert_msg(r->serial_len == 0, "%s: COM1 is absent, yet the capture has '%s'", q->name, r->serial);
	ck_assert_msg(r->end == BOCHS_RUN_EXITED && r->code == 0, "%s: QEMU did not quit after the screendump: %s",
		      q->name, how);
}

START_TEST(test_run)
{
	const struct qemu_run *q = &runs[_i];
	const struct bochs_run_result *r = &q->result;
	char how[2 * PATH_MAX + 512];
	describe(q, how, sizeof(how));
	ck_assert_msg(r->end != BOCHS_RUN_NOT_STARTED && r->end != BOCHS_RUN_TIMED_OUT, "%s: %s; capture: '%s'", q->name,
		      how, r->serial);

	char want[512];
	snprintf(want, sizeof(want), "%s\nVEXIT panic %s\n", PROTOCOL_LINE, q->panic ? q->panic : NO_VMX);
	if (q->screen) {
		check_screen(q, want, how);
		return;
	}
	char *got = protocol_lines(r->serial, r->serial_len);
	ck_assert_msg(strcmp(got, want) == 0, "%s: protocol lines\n%s\nwant\n%s(%s)", q->name, got, want, how);
	free(got);

	/* The harness's own parser (vexit-run --capture) reads the same capture the same way. */
	struct run_report rep;
	protocol_parse(r->serial, r->serial_len, &rep);
	ck_assert_msg(rep.version == 1 && rep.errors.n == 0 && rep.panic && rep.n_guests == 0,
		      "%s: the harness's parser reads version %d, %zu errors (%s), panic '%s'", q->name, rep.version,
		      rep.errors.n, rep.errors.n ? rep.errors.v[0] : "", rep.panic ? rep.panic : "(none)");
	run_report_free(&rep);

	ck_assert_msg(!strstr(r->serial, NO_ACPI_OFF), "%s: the kernel could not power off: '%s'", q->name,
		      r->serial);
	ck_assert_msg(r->end == BOCHS_RUN_EXITED && r->code == 0,
		      "%s: the run did not end by itself with an ACPI power-off: %s", q->name, how);
}
END_TEST

static void setup_env(const struct qemu_run *q)
{
	setenv("VEXIT_QEMU_FIRMWARE", q->firmware, 1);
	setenv("VEXIT_QEMU_MACHINE", q->machine, 1);
	setenv("VEXIT_QEMU_ISO_AS", q->iso_as, 1);
	setenv("VEXIT_QEMU_SCREEN", q->screen ? "1" : "0", 1);
	setenv("VEXIT_QEMU_CPU", q->cpu ? q->cpu : "qemu64", 1);
}

/* Every run, at most `jobs` at once; the runner's environment is read when each starts (fork). */
static void run_all(unsigned jobs)
{
	size_t next = 0, done = 0, running = 0;
	while (done < N_RUNS) {
		while (next < N_RUNS && running < jobs) {
			struct qemu_run *q = &runs[next++];
			setup_env(q);
			q->started = bochs_run_start(&q->opts, &q->result) == 0;
			if (q->started)
				running++;
			else {
				q->done = true;
				done++;
			}
		}
		for (size_t i = 0; i < next; i++) {
			struct qemu_run *q = &runs[i];
			if (q->done || !bochs_run_poll(&q->opts, &q->result))
				continue;
			q->done = true;
			running--;
			done++;
			char how[2 * PATH_MAX + 512];
			describe(q, how, sizeof(how));
			fprintf(stderr, "check_qemu: %s: %s\n", q->name, how);
		}
		nanosleep(&(struct timespec){ 0, 20 * 1000 * 1000 }, NULL);
	}
}

int main(void)
{
	const char *keep = getenv("VEXIT_KEEP_LOGS");
	/* The moved kernel's copy lives here for the runs' time. */
	char tmp_dir[] = "/tmp/check_qemu.XXXXXX";
	if (!mkdtemp(tmp_dir)) {
		perror("check_qemu: mkdtemp");
		return 1;
	}
	static char dirs[N_RUNS][PATH_MAX];
	if (keep && *keep)
		mkdir(keep, 0755);
	for (size_t i = 0; i < N_RUNS; i++) {
		struct qemu_run *q = &runs[i];
		q->opts = (struct bochs_run_opts){
			.bochs = env_or("VEXIT_QEMU_BOOT", "harness/qemu/qemu-boot"),
			.bochsrc = env_or("VEXIT_QEMU_RC", "harness/qemu/qemu.rc"),
			.timeout_s = (unsigned)strtoul(env_or("VEXIT_TIMEOUT", "120"), NULL, 10),
			.grace_s = GRACE_S,
			.stream_fd = -1,
		};
		if (q->direct)
			q->opts.kernel = env_or("VEXIT_KERNEL", "build/vexit.elf");
		if (q->moved && !(q->opts.kernel = moved_kernel(q->opts.kernel, MOVED_BY, tmp_dir)))
			return 1;
		else
			q->opts.iso = env_or("VEXIT_ISO", "build/vexit.iso");
		if (keep && *keep) {
			snprintf(dirs[i], sizeof(dirs[i]), "%s/%s", keep, q->name);
			q->opts.work_dir = dirs[i];
		}
	}
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	run_all(cores > 0 ? (unsigned)cores : 1);

	Suite *s = suite_create("qemu");
	for (size_t i = 0; i < N_RUNS; i++) {
		TCase *tc = tcase_create(runs[i].name);
		tcase_add_loop_test(tc, test_run, (int)i, (int)i + 1);
		suite_add_tcase(s, tc);
	}
	int rc = run_suite(s, CK_VERBOSE);
	for (size_t i = 0; i < N_RUNS; i++)
		bochs_run_result_free(&runs[i].result);
	char moved[sizeof(tmp_dir) + 16];
	snprintf(moved, sizeof(moved), "%s/moved.elf", tmp_dir);
	unlink(moved);
	rmdir(tmp_dir);
	return rc;
}
