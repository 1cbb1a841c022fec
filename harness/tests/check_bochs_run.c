/*
 * Check tests of running Bochs (harness/lib/bochs_run.c), with stand-in Bochs
 * scripts in harness/tests/fake-bochs/ that hang, crash, print garbage, stop
 * half way or never exit: each must give its named end within timeout + 5 s,
 * and no process of the run may survive it.
 */
#include <check.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "bochs_run.h"
#include "direct_boot_fixture.h"
#include "frozen_clock.h"
#include "protocol.h"
#include "run_suite.h"
#include "test_files.h"
#include "verdict.h"

static char fake[PATH_MAX];
static char work[64];
static struct bochs_run_result r;

static const char *fake_bochs(const char *name)
{
	const char *dir = getenv("VEXIT_FAKE_BOCHS_DIR");
	snprintf(fake, sizeof(fake), "%s/%s", dir && *dir ? dir : "harness/tests/fake-bochs", name);
	return fake;
}

static struct bochs_run_opts opts(const char *name, unsigned timeout_s)
{
	strcpy(work, "/tmp/check_bochs_run.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(work));
	const char *prog = fake_bochs(name);
	/* The stand-ins ignore the image and the configuration, but they must exist. */
	return (struct bochs_run_opts){ .bochs = prog, .iso = prog, .bochsrc = prog, .timeout_s = timeout_s,
					.grace_s = 1, .work_dir = work, .stream_fd = -1 };
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void assert_pids_dead(void)
{
	test_assert_pids_dead(work);
}

static void teardown(void)
{
	bochs_run_result_free(&r);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", work);
	(void)!system(cmd);
}

START_TEST(test_good_run)
{
	struct bochs_run_opts o = opts("good", 30);
	ck_assert_int_eq(bochs_run(&o, &r), 0);
	ck_assert_int_eq(r.end, BOCHS_RUN_EXITED);
	ck_assert_int_eq(r.code, 1);
	ck_assert_ptr_nonnull(strstr(r.serial, "VEXIT end\n"));
	ck_assert_uint_eq(r.serial_len, strlen(r.serial));
	ck_assert_ptr_nonnull(strstr(r.bochs_tail, "args: -q -unlock -f "));
	ck_assert_ptr_nonnull(strstr(r.bochs_tail, "shutdown requested"));
	/* The ISO, in the CD drive, boots; the disk the bochsrc names is blank. */
	ck_assert_ptr_nonnull(strstr(r.bochs_tail, "boot: cdrom, cd /"));
	ck_assert_ptr_nonnull(strstr(r.bochs_tail, "(inserted), disk /"));
	struct run_report rep;
	protocol_parse(r.serial, r.serial_len, &rep);
	ck_assert(rep.end_seen);
	ck_assert_uint_eq(rep.n_guests, 1);
	run_report_free(&rep);
	char how[256];
	bochs_run_describe(&r, &o, how, sizeof(how));
	ck_assert_ptr_nonnull(strstr(how, "Bochs exited with code 1"));
	assert_pids_dead();
}
END_TEST

START_TEST(test_hang_is_killed_at_timeout)
{
	struct bochs_run_opts o = opts("hang", 1);
	double t0 = now_s();
	ck_assert_int_eq(bochs_run(&o, &r), 0);
	double took = now_s() - t0;
	ck_assert_int_eq(r.end, BOCHS_RUN_TIMED_OUT);
	ck_assert_msg(took < 1 + 5, "took %.1f s for a 1 s timeout", took);
	ck_assert_msg(took >= 0.9, "gave up after %.2f s, before the 1 s timeout", took);
	ck_assert_ptr_nonnull(strstr(r.serial, "VEXIT guest-begin a"));
	char how[256];
	bochs_run_describe(&r, &o, how, sizeof(how));
	ck_assert_ptr_nonnull(strstr(how, "timed out after 1 s"));
	assert_pids_dead();
}
END_TEST

START_TEST(test_crash_is_named)
{
	struct bochs_run_opts o = opts("crash", 30);
	ck_assert_int_eq(bochs_run(&o, &r), 0);
	ck_assert_int_eq(r.end, BOCHS_RUN_SIGNALED);
	ck_assert_int_eq(r.code, SIGSEGV);
	ck_assert_ptr_nonnull(strstr(r.bochs_tail, "about to crash"));
	char how[256];
	bochs_run_describe(&r, &o, how, sizeof(how));
	ck_assert_ptr_nonnull(strstr(how, "signal 11"));
}
END_TEST

START_TEST(test_garbage_has_no_protocol)
{
	struct bochs_run_opts o = opts("garbage", 30);
	ck_assert_int_eq(bochs_run(&o, &r), 0);
	ck_assert_int_eq(r.end, BOCHS_RUN_EXITED);
	ck_assert_uint_ge(r.serial_len, 4096);
	struct run_report rep;
	struct strlist problems = { 0 }, none = { 0 };
	protocol_parse(r.serial, r.serial_len, &rep);
	ck_assert_uint_ge(verdict_run(&rep, &none, &problems), 1);
	ck_assert_str_eq(problems.v[0], "no 'VEXIT protocol' line: the hypervisor never started talking");
	run_report_free(&rep);
	strlist_free(&problems);
}
END_TEST

START_TEST(test_half_run_is_truncated)
{
	struct bochs_run_opts o = opts("half", 30);
	ck_assert_int_eq(bochs_run(&o, &r), 0);
	ck_assert_int_eq(r.end, BOCHS_RUN_EXITED);
	ck_assert_int_eq(r.code, 0);
	struct run_report rep;
	struct strlist problems = { 0 }, names = { 0 };
	strlist_addf(&names, "a");
	protocol_parse(r.serial, r.serial_len, &rep);
	verdict_run(&rep, &names, &problems);
	ck_assert(strlist_find(&problems, "truncated run: no 'VEXIT end' line") >= 0);
	ck_assert(!run_report_guest(&rep, "a")->ended);
	run_report_free(&rep);
	strlist_free(&problems);
	strlist_free(&names);
}
END_TEST

START_TEST(test_lingering_bochs_is_killed_after_grace)
{
	struct bochs_run_opts o = opts("linger", 60);
	double t0 = now_s();
	ck_assert_int_eq(bochs_run(&o, &r), 0);
	double took = now_s() - t0;
	ck_assert_int_eq(r.end, BOCHS_RUN_LINGERED);
	ck_assert_msg(took < 1 + 5, "took %.1f s for a 1 s grace", took);
	ck_assert_ptr_nonnull(strstr(r.serial, "VEXIT end\n"));
	assert_pids_dead();
}
END_TEST

START_TEST(test_missing_bochs_is_named)
{
	struct bochs_run_opts o = opts("good", 30);
	o.bochs = "/nonexistent/bochs";
	ck_assert_int_eq(bochs_run(&o, &r), -1);
	ck_assert_int_eq(r.end, BOCHS_RUN_NOT_STARTED);
	ck_assert_ptr_nonnull(strstr(r.error, "cannot run '/nonexistent/bochs'"));
	ck_assert_ptr_nonnull(strstr(r.error, "No such file"));
	ck_assert_str_eq(r.serial, "");
}
END_TEST

START_TEST(test_missing_inputs_are_named)
{
	struct bochs_run_opts o = opts("good", 30);
	o.iso = "/nonexistent/vexit.iso";
	ck_assert_int_eq(bochs_run(&o, &r), -1);
	ck_assert_ptr_nonnull(strstr(r.error, "boot image /nonexistent/vexit.iso"));
	bochs_run_result_free(&r);
	o = opts("good", 30);
	o.bochsrc = "/nonexistent/ci.bochsrc";
	ck_assert_int_eq(bochs_run(&o, &r), -1);
	ck_assert_ptr_nonnull(strstr(r.error, "bochsrc /nonexistent/ci.bochsrc"));
	bochs_run_result_free(&r);
	o = opts("good", 0);
	ck_assert_int_eq(bochs_run(&o, &r), -1);
	ck_assert_ptr_nonnull(strstr(r.error, "timeout"));
}
END_TEST

START_TEST(test_direct_boot_writes_the_disk_it_boots)
{
	struct bochs_run_opts o = opts("good", 30);
	o.iso = NULL;
	test_kernel_write(work, "kernel.elf");
	test_write_file(work, "g.elf", "guest", 5);
	char kernel[128], guest[128], disk[128];
	snprintf(kernel, sizeof(kernel), "%s/kernel.elf", work);
	snprintf(guest, sizeof(guest), "%s/g.elf", work);
	struct direct_boot_module m = { .path = guest, .name = "g" };
	o.kernel = kernel;
	o.kernel_args = "budget=7";
	o.modules = &m;
	o.n_modules = 1;
	ck_assert_int_eq(bochs_run(&o, &r), 0);
	ck_assert_int_eq(r.end, BOCHS_RUN_EXITED);
	/* No CD: the disk boots, and on it are the kernel, its command line and the guest. */
	snprintf(disk, sizeof(disk), "%s/boot-disk.img", work);
	char want[256];
	snprintf(want, sizeof(want), "boot: disk, cd none (ejected), disk %s\n", disk);
	ck_assert_msg(strstr(r.bochs_tail, want) != NULL, "%s", r.bochs_tail);
	struct boot_disk d;
	boot_disk_read(disk, &d);
	ck_assert_msg(d.parse_error == NULL, "%s", d.parse_error);
	ck_assert_str_eq(d.info.cmdline, "budget=7");
	ck_assert_uint_eq(d.info.n_modules, 1);
	ck_assert_str_eq(d.info.modules[0].cmdline, "g");
	ck_assert_mem_eq(boot_disk_at(&d, d.info.modules[0].start), "guest", 5);
	boot_disk_free(&d);
	assert_pids_dead();
}
END_TEST

START_TEST(test_direct_boot_of_a_bad_kernel_is_named)
{
	struct bochs_run_opts o = opts("good", 30);
	o.kernel = "/nonexistent/vexit.elf";
	ck_assert_int_eq(bochs_run(&o, &r), -1);
	ck_assert_int_eq(r.end, BOCHS_RUN_NOT_STARTED);
	ck_assert_str_eq(r.error, "direct boot: kernel /nonexistent/vexit.elf: No such file or directory");
	char how[512];
	bochs_run_describe(&r, &o, how, sizeof(how));
	ck_assert_ptr_nonnull(strstr(how, "direct boot: kernel /nonexistent/vexit.elf"));
}
END_TEST

START_TEST(test_stream_copies_the_capture)
{
	struct bochs_run_opts o = opts("slow", 30);
	char path[128];
	snprintf(path, sizeof(path), "%s/streamed", work);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	o.stream_fd = fd;
	ck_assert_int_eq(bochs_run(&o, &r), 0);
	close(fd);
	FILE *f = fopen(path, "r");
	char buf[1024];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	ck_assert_str_eq(buf, r.serial);
	ck_assert_ptr_nonnull(strstr(buf, "VEXIT end\n"));
}
END_TEST

/*
 * Bochs runs on a frozen host clock (frozen_clock.h): its LD_PRELOAD names, first, the shared
 * object written beside the run, whose gettimeofday() and time() stand still while time passes.
 * Without it, GRUB boots of one ISO did not repeat byte for byte (docs/external-kernels.md).
 */
START_TEST(test_bochs_runs_on_a_frozen_clock)
{
	struct bochs_run_opts o = opts("good", 30);
	ck_assert_int_eq(bochs_run(&o, &r), 0);
	char so[PATH_MAX + 32], want[PATH_MAX + 64];
	snprintf(so, sizeof(so), "%s/frozen-clock.so", r.dir);
	snprintf(want, sizeof(want), "preload: %s", so);
	ck_assert_msg(strstr(r.bochs_tail, want), "Bochs did not preload %s:\n%s", so, r.bochs_tail);

	void *h = dlopen(so, RTLD_NOW | RTLD_LOCAL);
	ck_assert_msg(h, "dlopen %s: %s", so, dlerror());
	int (*gtod)(struct timeval *, void *) = (int (*)(struct timeval *, void *))dlsym(h, "gettimeofday");
	time_t (*tm)(time_t *) = (time_t (*)(time_t *))dlsym(h, "time");
	ck_assert_ptr_nonnull(gtod);
	ck_assert_ptr_nonnull(tm);
	for (int i = 0; i < 2; i++) {
		struct timeval tv = { 1, 1 };
		time_t t = 1;
		ck_assert_int_eq(gtod(&tv, NULL), 0);
		ck_assert_int_eq(tv.tv_sec, FROZEN_CLOCK_SECONDS);
		ck_assert_int_eq(tv.tv_usec, 0);
		ck_assert_int_eq(tm(&t), FROZEN_CLOCK_SECONDS);
		ck_assert_int_eq(t, FROZEN_CLOCK_SECONDS);
		nanosleep(&(struct timespec){ 0, 30000000L }, NULL); /* the host's clock moves on */
	}
	dlclose(h);
}
END_TEST

/* A preload of the caller's own stays, after the frozen clock; a value that does not fit is refused. */
START_TEST(test_frozen_clock_keeps_the_callers_preload)
{
	char buf[32];
	ck_assert_str_eq(frozen_clock_preload("/r/c.so", NULL, buf, sizeof(buf)), "/r/c.so");
	ck_assert_str_eq(frozen_clock_preload("/r/c.so", "", buf, sizeof(buf)), "/r/c.so");
	ck_assert_str_eq(frozen_clock_preload("/r/c.so", "a.so b.so", buf, sizeof(buf)), "/r/c.so a.so b.so");
	ck_assert_ptr_null(frozen_clock_preload("/r/c.so", "a-preload-too-long-for-it.so", buf, sizeof(buf)));
}
END_TEST

START_TEST(test_temporary_directory_is_removed)
{
	struct bochs_run_opts o = opts("good", 30);
	o.work_dir = NULL;
	ck_assert_int_eq(bochs_run(&o, &r), 0);
	ck_assert(r.own_dir);
	char dir[PATH_MAX];
	strcpy(dir, r.dir);
	struct stat st;
	ck_assert_int_eq(stat(dir, &st), 0);
	bochs_run_result_free(&r);
	ck_assert_int_eq(stat(dir, &st), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bochs_run");
	TCase *tc = tcase_create("stand-ins");
	tcase_set_timeout(tc, 20);
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_good_run);
	tcase_add_test(tc, test_hang_is_killed_at_timeout);
	tcase_add_test(tc, test_crash_is_named);
	tcase_add_test(tc, test_garbage_has_no_protocol);
	tcase_add_test(tc, test_half_run_is_truncated);
	tcase_add_test(tc, test_lingering_bochs_is_killed_after_grace);
	tcase_add_test(tc, test_missing_bochs_is_named);
	tcase_add_test(tc, test_missing_inputs_are_named);
	tcase_add_test(tc, test_direct_boot_writes_the_disk_it_boots);
	tcase_add_test(tc, test_direct_boot_of_a_bad_kernel_is_named);
	tcase_add_test(tc, test_stream_copies_the_capture);
	tcase_add_test(tc, test_temporary_directory_is_removed);
	tcase_add_test(tc, test_bochs_runs_on_a_frozen_clock);
	tcase_add_test(tc, test_frozen_clock_keeps_the_callers_preload);
	suite_add_tcase(s, tc);
	return run_suite(s, CK_NORMAL);
}
