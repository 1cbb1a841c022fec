/*
 * Check tests of the vexit-run CLI as a whole process, with stand-in Bochs
 * scripts (harness/tests/fake-bochs/): shards boot disjoint subsets, results
 * land in TAP and valid JUnit XML, the repeat check catches a nondeterministic
 * run, and each fault (hang, crash, garbage, half a run, no Bochs, no ROM)
 * gives its named failure within timeout + 5 s.
 *
 * Environment: VEXIT_RUN (the CLI, default build/harness/vexit-run).
 */
#include <check.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "direct_boot_fixture.h"
#include "elf_image.h"
#include "file_read.h"
#include "run_suite.h"
#include "test_files.h"

static char dir[64];
static char out[65536];
static int status;
static double took;
/* What run_cli boots: the ISO, or (direct_cli) the kernel, with --kernel. */
static bool direct_cli;

static void write_file(const char *name, const void *data, size_t len)
{
	test_write_file(dir, name, data, len);
}

static void setup(void)
{
	strcpy(dir, "/tmp/check_cli.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char sub[96];
	snprintf(sub, sizeof(sub), "%s/guests", dir);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	static const char done[] = "stop done";
	const char *names[] = { "guests/alpha.elf", "guests/beta.elf", "guests/gamma.elf", "guests/io_one.elf" };
	for (size_t i = 0; i < 4; i++) {
		struct elf_image im;
		elf_image_build(&im, ".vexit.expect", done, sizeof(done));
		write_file(names[i], im.bytes, im.len);
	}
	write_file("fake.iso", "iso", 3);
	test_kernel_write(dir, "kernel.elf");
	direct_cli = false;
	static const char rc[] = "romimage: file=$BXSHARE/BIOS-bochs-latest\n";
	write_file("ok.bochsrc", rc, sizeof(rc) - 1);
	static const char norom[] = "romimage: file=/nonexistent/BIOS-bochs-latest, address=0xfffe0000\n";
	write_file("norom.bochsrc", norom, sizeof(norom) - 1);
	unsetenv("FAKE_STOP");
	unsetenv("FAKE_NOISE");
	unsetenv("FAKE_LINES");
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	(void)!system(cmd);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run vexit-run with the stand-in `fake` and extra options; output in out, exit code in status. */
static void run_cli(const char *fake, const char *bochsrc, const char *args)
{
	const char *cli = getenv("VEXIT_RUN");
	const char *fakes = getenv("VEXIT_FAKE_BOCHS_DIR");
	char cmd[2048];
	snprintf(cmd, sizeof(cmd),
		 "%s %s %s/%s --guests %s/guests --bochsrc %s/%s --bochs %s/%s --logs %s/logs %s 2>&1",
		 cli && *cli ? cli : "build/harness/vexit-run", direct_cli ? "--kernel" : "--iso", dir,
		 direct_cli ? "kernel.elf" : "fake.iso", dir, dir, bochsrc,
		 fakes && *fakes ? fakes : "harness/tests/fake-bochs", fake, dir, args);
	double t0 = now_s();
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	size_t n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	int st = pclose(p);
	took = now_s() - t0;
	status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static const char *last_line(void)
{
	size_t n = strlen(out);
	while (n && out[n - 1] == '\n')
		out[--n] = '\0';
	char *nl = strrchr(out, '\n');
	return nl ? nl + 1 : out;
}

static char *read_in_dir(const char *name)
{
	char path[128];
	size_t len;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	char *s = file_read(path, 1u << 20, &len);
	ck_assert_msg(s != NULL, "%s was not written", path);
	return s;
}

START_TEST(test_shards_and_reports)
{
	run_cli("select", "ok.bochsrc", "--jobs 2 --cpu corei7_haswell_4770,core2_penryn_t9600 --repeat 2");
	ck_assert_msg(status == 0, "exit %d:\n%s", status, out);
	ck_assert_str_eq(last_line(), "guests: 8 passed, 0 failed, 0 skipped");
	ck_assert_ptr_nonnull(strstr(out, "2 shard(s)"));
	/* Logs of clean runs are not kept. */
	char path[128];
	snprintf(path, sizeof(path), "%s/logs/corei7_haswell_4770.s1", dir);
	ck_assert_int_ne(access(path, F_OK), 0);
}
END_TEST

START_TEST(test_kept_logs_show_the_shards)
{
	char args[256];
	snprintf(args, sizeof(args), "--jobs 2 --cpu core2_penryn_t9600 --keep-logs %s/kept", dir);
	run_cli("select", "ok.bochsrc", args);
	ck_assert_msg(status == 0, "exit %d:\n%s", status, out);
	char *a = read_in_dir("kept/core2_penryn_t9600.s1/fake-args");
	char *b = read_in_dir("kept/core2_penryn_t9600.s2/fake-args");
	/* Round robin over the sorted suite; each Bochs got the model and only its own shard. */
	ck_assert_str_eq(a, "core2_penryn_t9600 alpha,gamma\n");
	ck_assert_str_eq(b, "core2_penryn_t9600 beta,io_one\n");
	free(a);
	free(b);
}
END_TEST

START_TEST(test_direct_boot_shards_carry_their_own_guests)
{
	direct_cli = true;
	char args[256];
	snprintf(args, sizeof(args), "--jobs 2 --cpu core2_penryn_t9600 --keep-logs %s/kept --kernel-args budget=9", dir);
	run_cli("select", "ok.bochsrc", args);
	ck_assert_msg(status == 0, "exit %d:\n%s", status, out);
	ck_assert_str_eq(last_line(), "guests: 4 passed, 0 failed, 0 skipped");
	/* Each shard's disk holds only its guests (no tests= needed), and no CD is inserted. */
	char *a = read_in_dir("kept/core2_penryn_t9600.s1/fake-args");
	char *b = read_in_dir("kept/core2_penryn_t9600.s2/fake-args");
	char *boot = read_in_dir("kept/core2_penryn_t9600.s1/fake-boot");
	ck_assert_str_eq(a, "core2_penryn_t9600 alpha,gamma\n");
	ck_assert_str_eq(b, "core2_penryn_t9600 beta,io_one\n");
	ck_assert_str_eq(boot, "disk none (ejected)\n");
	free(a);
	free(b);
	free(boot);
	char disk[128];
	snprintf(disk, sizeof(disk), "%s/kept/core2_penryn_t9600.s2/boot-disk.img", dir);
	struct boot_disk d;
	boot_disk_read(disk, &d);
	ck_assert_str_eq(d.info.cmdline, "budget=9");
	ck_assert_uint_eq(d.info.n_modules, 2);
	ck_assert_str_eq(d.info.modules[1].cmdline, "io_one");
	boot_disk_free(&d);
}
END_TEST

START_TEST(test_boot_options_that_conflict_are_refused)
{
	run_cli("select", "ok.bochsrc", "--kernel-args budget=1");
	ck_assert_int_eq(status, 2);
	ck_assert_ptr_nonnull(strstr(out, "--kernel-args needs --kernel"));
	char args[128];
	snprintf(args, sizeof(args), "--kernel %s/kernel.elf", dir);
	run_cli("select", "ok.bochsrc", args);
	ck_assert_int_eq(status, 2);
	ck_assert_ptr_nonnull(strstr(out, "give one, not both"));
	/* A kernel that is no kernel: every run is a named problem, not a hang. */
	direct_cli = true;
	write_file("kernel.elf", "nope", 4);
	run_cli("select", "ok.bochsrc", "--jobs 2");
	ck_assert_int_eq(status, 1);
	ck_assert_ptr_nonnull(strstr(out, "direct boot: kernel "));
	ck_assert_ptr_nonnull(strstr(out, "kernel.elf: too short for an ELF header"));
	ck_assert_str_eq(last_line(), "guests: 0 passed, 4 failed, 0 skipped");
}
END_TEST

/* vexit-run with exactly these arguments (no --guests): for the external-kernel options. */
static void run_raw(const char *args)
{
	const char *cli = getenv("VEXIT_RUN");
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), "env -u KUT_DIR %s %s 2>&1", cli && *cli ? cli : "build/harness/vexit-run", args);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	size_t n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	int st = pclose(p);
	status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* vexit-run with these arguments (printf-style, `dir` as often as they need) must exit 2, saying `says`. */
static void expect_refused(const char *says, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void expect_refused(const char *says, const char *fmt, ...)
{
	char args[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	run_raw(args);
	ck_assert_msg(status == 2, "exit %d for %s:\n%s", status, args, out);
	ck_assert_msg(strstr(out, says), "'%s' not said for %s:\n%s", says, args, out);
}

/*
 * Booted through GRUB, one Bochs of the whole ISO boots every guest with no list; a run that
 * --shard or --no-long narrowed must still name its guests, or the ISO's others would run too.
 */
START_TEST(test_narrowed_grub_runs_name_their_guests)
{
	char args[1024];
	snprintf(args, sizeof(args), "--list --shard 2/2");
	run_cli("select", "ok.bochsrc", args);
	ck_assert_int_eq(status, 0);
	/* The share's names, one a line: the list its Bochs must get, comma-separated. */
	char want[256];
	ck_assert_uint_gt(strlen(out), 1);
	for (char *c = out; *c; c++)
		if (*c == '\n')
			*c = c[1] ? ',' : '\n';
	ck_assert_uint_lt(strlen(out), sizeof(want) - 20);
	snprintf(want, sizeof(want), "core2_penryn_t9600 %.200s", out);
	snprintf(args, sizeof(args), "--shard 2/2 --jobs 1 --cpu core2_penryn_t9600 --keep-logs %s/kept", dir);
	run_cli("select", "ok.bochsrc", args);
	ck_assert_msg(status == 0, "exit %d:\n%s", status, out);
	char *a = read_in_dir("kept/core2_penryn_t9600.s1/fake-args");
	ck_assert_str_eq(a, want);
	free(a);
	/* A manifest run with --no-long: the ISO holds l too; only k is booted. */
	static const char long_cfg[] = "[l]\nfile = k.flat\nlong = slow\n[k]\nfile = k.flat\n";
	write_file("long.cfg", long_cfg, sizeof(long_cfg) - 1);
	write_file("k.flat", "x", 1);
	const char *fakes = getenv("VEXIT_FAKE_BOCHS_DIR");
	snprintf(args, sizeof(args),
		 "--iso %s/fake.iso --manifest %s/long.cfg --kut-dir %s --no-long --jobs 1 --bochs %s/select "
		 "--bochsrc %s/ok.bochsrc --keep-logs %s/keptl",
		 dir, dir, dir, fakes && *fakes ? fakes : "harness/tests/fake-bochs", dir, dir);
	run_raw(args);
	a = read_in_dir("keptl/corei7_skylake_x.s1/fake-args");
	ck_assert_str_eq(a, "corei7_skylake_x k\n");
	free(a);
}
END_TEST

START_TEST(test_external_kernel_options_refused)
{
	char args[1024];
	write_file("good.cfg", "[k]\nfile = k.flat\n", 18);
	write_file("bad.cfg", "[k]\nfiel = k.flat\n", 18);
	/* --guests and --manifest both: which suite? */
	snprintf(args, sizeof(args), "--manifest %s/good.cfg", dir);
	run_cli("select", "ok.bochsrc", args);
	ck_assert_int_eq(status, 2);
	ck_assert_ptr_nonnull(strstr(out, "--guests, --manifest and --external each name what to run: give one"));
	/* An ISO tree needs the kernel to put in it. */
	expect_refused("--grub-tree writes an ISO tree of --kernel and the external kernels",
		       "--iso %s/fake.iso --manifest %s/good.cfg --kut-dir %s --grub-tree %s/t", dir, dir, dir, dir);
	/* --bare boots a manifest's kernels from such an ISO: both are needed. */
	expect_refused("--bare boots the kernels of --manifest from an external-kernel ISO",
		       "--kernel %s/kernel.elf --manifest %s/good.cfg --kut-dir %s --bare", dir, dir, dir);
	/* No directory for the kernels. */
	expect_refused("--manifest needs the kernels' directory: --kut-dir DIR or KUT_DIR",
		       "--kernel %s/kernel.elf --manifest %s/good.cfg", dir, dir);
	/* A manifest with a mistake names its line. */
	expect_refused("bad.cfg: line 2: unknown key",
		       "--kernel %s/kernel.elf --manifest %s/bad.cfg --kut-dir %s", dir, dir, dir);
	/* A kernel file that is not there. */
	expect_refused("kernel k: cannot open",
		       "--kernel %s/kernel.elf --manifest %s/good.cfg --kut-dir %s --list", dir, dir, dir);
	/* Arguments are an external kernel's only. */
	snprintf(args, sizeof(args), "--kernel %s/kernel.elf --guests %s/guests stray", dir, dir);
	run_raw(args);
	ck_assert_int_eq(status, 2);
	/* --list names the manifest's kernels, --external's one by its file's name. */
	write_file("k.flat", "x", 1);
	snprintf(args, sizeof(args), "--list --manifest %s/good.cfg --kut-dir %s", dir, dir);
	run_raw(args);
	ck_assert_int_eq(status, 0);
	ck_assert_str_eq(out, "k\n");
	snprintf(args, sizeof(args), "--list --external %s/k.flat -- -t 1", dir);
	run_raw(args);
	ck_assert_int_eq(status, 0);
	ck_assert_str_eq(out, "k\n");
	/* --no-long leaves out the long kernels, naming each with its reason; it wants a manifest. */
	static const char long_cfg[] = "[l]\nfile = k.flat\nlong = slow\n[k]\nfile = k.flat\n";
	write_file("long.cfg", long_cfg, sizeof(long_cfg) - 1);
	snprintf(args, sizeof(args), "--list --no-long --manifest %s/long.cfg --kut-dir %s", dir, dir);
	run_raw(args);
	ck_assert_int_eq(status, 0);
	ck_assert_str_eq(out, "vexit-run: --no-long leaves out l: slow\nk\n");
	snprintf(args, sizeof(args), "--list --manifest %s/long.cfg --kut-dir %s", dir, dir);
	run_raw(args);
	ck_assert_str_eq(out, "l\nk\n");
	/* --shard splits a manifest's kernels as it splits guests (it once read the --guests directory: NULL). */
	for (unsigned k = 1; k <= 2; k++) {
		snprintf(args, sizeof(args), "--list --shard %u/2 --manifest %s/long.cfg --kut-dir %s", k, dir, dir);
		run_raw(args);
		ck_assert_msg(status == 0, "--shard %u/2: exit %d: %s", k, status, out);
		ck_assert_str_eq(out, k == 1 ? "l\n" : "k\n");
	}
	/* A selection that only long kernels match says --no-long took them. */
	snprintf(args, sizeof(args), "--list --no-long --tests l --manifest %s/long.cfg --kut-dir %s", dir, dir);
	run_raw(args);
	ck_assert_int_eq(status, 2);
	ck_assert_msg(strstr(out, "no guest in the manifest matches 'l' (--no-long left its long kernels out)"), "%s", out);
	expect_refused("--no-long leaves out long kernels of --manifest: give one",
		       "--list --no-long --external %s/k.flat", dir);
	/* The measurement aid of a bare run needs the kernel's disable_apic: refused before any Bochs starts. */
	write_file("aid.cfg", "[k]\nfile = k.flat\nbare-aid = keep-apic-enabled\n", 47);
	expect_refused("vexit-run: k: bare-aid = keep-apic-enabled: ",
		       "--iso %s/fake.iso --manifest %s/aid.cfg --kut-dir %s --bare", dir, dir, dir);
	ck_assert_ptr_nonnull(strstr(out, "k.flat: not a little-endian ELF32 or ELF64 file"));
}
END_TEST

/* --env and --module: the kernel's boot modules ride on the disk after it, `+NAME STRING`, the env first. */
START_TEST(test_external_boot_modules_on_the_disk)
{
	char args[1024];
	write_file("k.flat", "kernel", 6);
	write_file("m.bin", "module", 6);
	snprintf(args, sizeof(args),
		 "--kernel %s/kernel.elf --external %s/k.flat --env A=1 --module '%s/m.bin x y' --env B_2=two "
		 "--bochs %s/select --bochsrc %s/ok.bochsrc --keep-logs %s/kept -- -v",
		 dir, dir, dir, getenv("VEXIT_FAKE_BOCHS_DIR") && *getenv("VEXIT_FAKE_BOCHS_DIR")
				    ? getenv("VEXIT_FAKE_BOCHS_DIR") : "harness/tests/fake-bochs", dir, dir);
	run_raw(args);
	char disk[128];
	snprintf(disk, sizeof(disk), "%s/kept/corei7_skylake_x.s1/boot-disk.img", dir);
	struct boot_disk d;
	boot_disk_read(disk, &d);
	ck_assert_uint_eq(d.info.n_modules, 3);
	ck_assert_str_eq(d.info.modules[0].cmdline, "k -v");
	ck_assert_str_eq(d.info.modules[1].cmdline, "+k env");
	char want[256];
	snprintf(want, sizeof(want), "+k %s/m.bin x y", dir);
	ck_assert_str_eq(d.info.modules[2].cmdline, want);
	static const char env[] = "A=1\nB_2=two\n";
	ck_assert_uint_eq(d.info.modules[1].end - d.info.modules[1].start, sizeof(env) - 1);
	ck_assert_int_eq(memcmp(boot_disk_at(&d, d.info.modules[1].start), env, sizeof(env) - 1), 0);
	ck_assert_int_eq(memcmp(boot_disk_at(&d, d.info.modules[2].start), "module", 6), 0);
	ck_assert_int_eq(memcmp(boot_disk_at(&d, d.info.modules[0].start), "kernel", 6), 0);
	boot_disk_free(&d);
	/* A bad KEY=VALUE, a missing module file, and --env without --external are refused up front. */
	expect_refused("--env 1A=1: env is KEY=VALUE words",
		       "--kernel %s/kernel.elf --external %s/k.flat --env 1A=1", dir, dir);
	expect_refused("kernel k: cannot open",
		       "--kernel %s/kernel.elf --external %s/k.flat --module %s/none.bin", dir, dir, dir);
	ck_assert_ptr_nonnull(strstr(out, "none.bin"));
	write_file("good.cfg", "[k]\nfile = k.flat\n", 18);
	expect_refused("--env and --module go with --external",
		       "--kernel %s/kernel.elf --manifest %s/good.cfg --kut-dir %s --env A=1", dir, dir, dir);
}
END_TEST

/* Odd or long guest names are refused before any Bochs starts, naming the file. */
START_TEST(test_odd_guest_names_refused)
{
	struct elf_image im;
	static const char done[] = "stop done";
	elf_image_build(&im, ".vexit.expect", done, sizeof(done));
	write_file("guests/two words.elf", im.bytes, im.len);
	run_cli("select", "ok.bochsrc", "");
	ck_assert_int_eq(status, 2);
	ck_assert_msg(strstr(out, "guest name 'two\\x20words' has a character other than"), "%s", out);
	ck_assert_msg(!strstr(out, "run "), "a Bochs ran: %s", out);
	char path[160];
	snprintf(path, sizeof(path), "%s/guests/two words.elf", dir);
	ck_assert_int_eq(unlink(path), 0);
	write_file("guests/a_guest_name_of_forty_eight_characters_xxxxxxxxx.elf", im.bytes, im.len);
	run_cli("select", "ok.bochsrc", "");
	ck_assert_int_eq(status, 2);
	ck_assert_msg(strstr(out, "is 48 characters long; the limit is 47"), "%s", out);
}
END_TEST

/* A guest that floods: stdout shows 40 of its lines and 40 reasons, then what was left out. */
START_TEST(test_flooding_guest_is_capped)
{
	setenv("FAKE_LINES", "100", 1);
	run_cli("select", "ok.bochsrc", "--tests alpha");
	ck_assert_int_eq(status, 1);
	/* Its lines: the PASS line, then FAIL flood 0..38. */
	ck_assert_msg(strstr(out, "    | FAIL flood 38\n    | 61 more lines in the log\n"), "%s", out);
	ck_assert_msg(strstr(out, "FAIL flood 39\n    60 more lines in the log\n"), "%s", out);
	ck_assert_msg(!strstr(out, "| FAIL flood 39") && !strstr(out, "FAIL flood 40"), "%s", out);
}
END_TEST

START_TEST(test_tap_and_junit)
{
	char args[512];
	snprintf(args, sizeof(args), "--jobs 3 --cpu a_model,b_model --tap %s/r.tap --junit %s/r.xml", dir, dir);
	setenv("FAKE_STOP", "skipped why=no-ept", 1);
	run_cli("select", "ok.bochsrc", args);
	ck_assert_msg(status == 0, "exit %d:\n%s", status, out);
	ck_assert_str_eq(last_line(), "guests: 0 passed, 0 failed, 8 skipped");
	ck_assert_ptr_nonnull(strstr(out, "SKIP alpha [a_model]: alpha: skipped by the hypervisor: no-ept"));
	char *tap = read_in_dir("r.tap");
	ck_assert_ptr_nonnull(strstr(tap, "TAP version 13\n1..8\n"));
	ck_assert_ptr_nonnull(strstr(tap, "ok 1 - alpha [a_model] # SKIP alpha: skipped by the hypervisor: no-ept\n"));
	free(tap);
	/* A real XML parser (xmllint) must accept the file and find one testcase per guest per model. */
	char cmd[512];
	snprintf(cmd, sizeof(cmd),
		 "test \"$(xmllint --xpath 'count(//testcase)' %s/r.xml)\" = 8 && "
		 "test \"$(xmllint --xpath 'count(//testcase/skipped)' %s/r.xml)\" = 8", dir, dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(test_repeat_catches_nondeterminism)
{
	setenv("FAKE_NOISE", "1", 1);
	run_cli("select", "ok.bochsrc", "--jobs 1 --repeat 2");
	ck_assert_int_eq(status, 1);
	ck_assert_ptr_nonnull(strstr(out, "not deterministic: output differs at line 2: first run 'noise "));
}
END_TEST

/* The guests each repeat's disk held, in order (fake-args: the model, then the list), run directory by directory. */
static void shuffled_orders(const char *args, char orders[3][128])
{
	direct_cli = true;
	run_cli("select", "ok.bochsrc", args);
	ck_assert_msg(status == 0, "exit %d:\n%s", status, out);
	const char *runs[3] = { "keep/corei7_skylake_x.s1/fake-args", "keep/corei7_skylake_x.s1.r2/fake-args",
				"keep/corei7_skylake_x.s1.r3/fake-args" };
	for (int r = 0; r < 3; r++) {
		char *a = read_in_dir(runs[r]);
		snprintf(orders[r], 128, "%s", a);
		free(a);
	}
}

START_TEST(test_shuffle_orders_each_repeat)
{
	char keep[128];
	snprintf(keep, sizeof(keep), "--jobs 1 --repeat 3 --shuffle=42 --keep-logs %s/keep", dir);
	char first[3][128], again[3][128];
	shuffled_orders(keep, first);
	ck_assert_ptr_nonnull(strstr(out, "shuffled with seed 42 (--shuffle=42 repeats it)"));
	/* Every repeat runs all four guests, not all in one order; the same seed gives the same orders. */
	for (int r = 0; r < 3; r++) {
		ck_assert_uint_eq(strlen(first[r]), strlen("corei7_skylake_x alpha,beta,gamma,io_one\n"));
		for (const char *g = "alpha\0beta\0gamma\0io_one\0"; *g; g += strlen(g) + 1)
			ck_assert_msg(strstr(first[r], g), "repeat %d lacks %s: %s", r + 1, g, first[r]);
	}
	ck_assert_msg(strcmp(first[0], first[1]) || strcmp(first[1], first[2]), "one order: %s", first[0]);
	shuffled_orders(keep, again);
	for (int r = 0; r < 3; r++)
		ck_assert_str_eq(again[r], first[r]);
	/* A seed is a decimal number. */
	run_cli("select", "ok.bochsrc", "--shuffle=12x");
	ck_assert_int_eq(status, 2);
	ck_assert_ptr_nonnull(strstr(out, "--shuffle=12x: the seed is a decimal number"));
}
END_TEST

START_TEST(test_list_and_patterns)
{
	run_cli("select", "ok.bochsrc", "--list --tests 'io_*,alpha'");
	ck_assert_int_eq(status, 0);
	ck_assert_str_eq(out, "alpha\nio_one\n");
	run_cli("select", "ok.bochsrc", "--tests 'nothing*'");
	ck_assert_int_eq(status, 2);
	ck_assert_ptr_nonnull(strstr(out, "matches 'nothing*'"));
}
END_TEST

/* --shard K/N: for each N, the K shares are non-empty, disjoint, cover the suite, and repeat exactly. */
START_TEST(test_shard_shares)
{
	static const char all[] = "alpha\nbeta\ngamma\nio_one\n";
	for (unsigned n = 1; n <= 4; n++) {
		char seen[sizeof(all)] = "";
		unsigned count = 0;
		for (unsigned k = 1; k <= n; k++) {
			char args[64], first[sizeof(out)];
			snprintf(args, sizeof(args), "--list --shard %u/%u", k, n);
			run_cli("select", "ok.bochsrc", args);
			ck_assert_msg(status == 0 && *out, "%s: exit %d, '%s'", args, status, out);
			strcpy(first, out);
			run_cli("select", "ok.bochsrc", args);
			ck_assert_str_eq(out, first);
			for (char *save = NULL, *t = strtok_r(first, "\n", &save); t; t = strtok_r(NULL, "\n", &save)) {
				char line[64];
				snprintf(line, sizeof(line), "%s\n", t);
				ck_assert_msg(strstr(all, line) && !strstr(seen, line), "%s: '%s' unknown or in two shares", args, t);
				strcat(seen, line);
				count++;
			}
		}
		ck_assert_uint_eq(count, 4);
	}
	/* A share is judged as a suite of its own; with --tests, it is a share of that selection. */
	run_cli("select", "ok.bochsrc", "--shard 2/2");
	ck_assert_msg(status == 0, "exit %d:\n%s", status, out);
	ck_assert_str_eq(last_line(), "guests: 2 passed, 0 failed, 0 skipped");
	run_cli("select", "ok.bochsrc", "--list --tests 'alpha,beta' --shard 2/2");
	ck_assert_int_eq(status, 0);
	ck_assert_msg((!strcmp(out, "alpha\n") || !strcmp(out, "beta\n")), "'%s'", out);
}
END_TEST

/* shard-with partners stay in one share, and a group counts once when N is checked. */
START_TEST(test_shard_keeps_partners_together)
{
	static const char with_gamma[] = "stop done\0shard-with gamma";
	struct elf_image im;
	elf_image_build(&im, ".vexit.expect", with_gamma, sizeof(with_gamma));
	write_file("guests/alpha.elf", im.bytes, im.len);
	for (unsigned n = 2; n <= 3; n++)
		for (unsigned k = 1; k <= n; k++) {
			char args[64];
			snprintf(args, sizeof(args), "--list --shard %u/%u", k, n);
			run_cli("select", "ok.bochsrc", args);
			ck_assert_int_eq(status, 0);
			ck_assert_msg(!strstr(out, "alpha\n") == !strstr(out, "gamma\n"), "%s: '%s'", args, out);
		}
	run_cli("select", "ok.bochsrc", "--list --shard 4/4");
	ck_assert_msg(status == 2 && strstr(out, "cannot make 4 non-empty shares"), "exit %d, '%s'", status, out);
}
END_TEST

START_TEST(test_bad_shard_refused)
{
	static const struct {
		const char *arg, *says;
	} bad[] = {
		{ "0/2", "--shard K wants" },  { "3/2", "K must be 1 to N" }, { "1/0", "--shard N wants" },
		{ "2", "takes K/N" },          { "a/b", "--shard K" },       { "5/5", "cannot make 5 non-empty shares" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char args[64];
		snprintf(args, sizeof(args), "--list --shard %s", bad[i].arg);
		run_cli("select", "ok.bochsrc", args);
		ck_assert_msg(status == 2 && strstr(out, bad[i].says), "--shard %s: exit %d, '%s'", bad[i].arg, status, out);
	}
}
END_TEST

START_TEST(test_no_colour_when_not_a_terminal)
{
	run_cli("select", "ok.bochsrc", "--jobs 2");
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_null(strchr(out, '\033'));
	ck_assert_ptr_nonnull(strstr(out, "PASS alpha "));
}
END_TEST

/* Each fault: its named failure in the summary, exit status 1, and well within timeout + 5 s. */
static const struct {
	const char *fake, *bochsrc, *name;
} faults[] = {
	{ "hang", "ok.bochsrc", "timed out after 2 s: Bochs killed" },
	{ "crash", "ok.bochsrc", "Bochs died of signal 11" },
	{ "garbage", "ok.bochsrc", "no 'VEXIT protocol' line" },
	{ "half", "ok.bochsrc", "truncated run: no 'VEXIT end' line" },
	{ "no-such-bochs", "ok.bochsrc", "Bochs not started: cannot run" },
	{ "good", "norom.bochsrc", "ROM image missing: /nonexistent/BIOS-bochs-latest" },
};

START_TEST(test_fault_is_named_in_time)
{
	const char *fake = faults[_i].fake, *name = faults[_i].name;
	run_cli(fake, faults[_i].bochsrc, "--jobs 2 --timeout 2");
	ck_assert_msg(status == 1, "%s: exit %d:\n%s", fake, status, out);
	ck_assert_msg(strstr(out, name) != NULL, "%s: no '%s' in:\n%s", fake, name, out);
	ck_assert_msg(took < 2 + 5, "%s: took %.1f s for a 2 s timeout", fake, took);
	ck_assert_ptr_nonnull(strstr(out, "RUN PROBLEM"));
	ck_assert_str_eq(last_line(), "guests: 0 passed, 4 failed, 0 skipped");
}
END_TEST

START_TEST(test_interrupted_harness_leaves_no_bochs)
{
	const char *cli = getenv("VEXIT_RUN");
	const char *fakes = getenv("VEXIT_FAKE_BOCHS_DIR");
	char iso[96], guests[96], rc[96], fake[256], logs[96];
	snprintf(iso, sizeof(iso), "%s/fake.iso", dir);
	snprintf(guests, sizeof(guests), "%s/guests", dir);
	snprintf(rc, sizeof(rc), "%s/ok.bochsrc", dir);
	snprintf(fake, sizeof(fake), "%s/hang", fakes && *fakes ? fakes : "harness/tests/fake-bochs");
	snprintf(logs, sizeof(logs), "%s/logs", dir);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		dup2(devnull, 1);
		execl(cli && *cli ? cli : "build/harness/vexit-run", "vexit-run", "--iso", iso, "--guests", guests,
		      "--bochsrc", rc, "--bochs", fake, "--logs", logs, "--jobs", "2", "--timeout", "60", (char *)NULL);
		_exit(127);
	}
	/* Interrupt only once both shards' stand-ins run (their pids files exist): a fixed sleep
	 * lost that race on a loaded machine. */
	char shard[2][128], pids[300];
	for (int i = 0; i < 2; i++)
		snprintf(shard[i], sizeof(shard[i]), "%s/corei7_skylake_x.s%d", logs, i + 1);
	for (int i = 0; i < 2; i++) {
		snprintf(pids, sizeof(pids), "%s/pids", shard[i]);
		for (int tries = 0; access(pids, F_OK) != 0 && tries < 2000; tries++)
			nanosleep(&(struct timespec){ 0, 10000000L }, NULL);
	}
	nanosleep(&(struct timespec){ 0, 100000000L }, NULL);
	ck_assert_int_eq(kill(pid, SIGTERM), 0);
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	for (int i = 0; i < 2; i++)
		test_assert_pids_dead(shard[i]);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");
	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_shards_and_reports);
	tcase_add_test(tc, test_shard_shares);
	tcase_add_test(tc, test_bad_shard_refused);
	tcase_add_test(tc, test_shard_keeps_partners_together);
	tcase_add_test(tc, test_kept_logs_show_the_shards);
	tcase_add_test(tc, test_narrowed_grub_runs_name_their_guests);
	tcase_add_test(tc, test_direct_boot_shards_carry_their_own_guests);
	tcase_add_test(tc, test_boot_options_that_conflict_are_refused);
	tcase_add_test(tc, test_external_kernel_options_refused);
	tcase_add_test(tc, test_external_boot_modules_on_the_disk);
	tcase_add_test(tc, test_tap_and_junit);
	tcase_add_test(tc, test_odd_guest_names_refused);
	tcase_add_test(tc, test_flooding_guest_is_capped);
	tcase_add_test(tc, test_repeat_catches_nondeterminism);
	tcase_add_test(tc, test_shuffle_orders_each_repeat);
	tcase_add_test(tc, test_list_and_patterns);
	tcase_add_test(tc, test_no_colour_when_not_a_terminal);
	tcase_add_test(tc, test_interrupted_harness_leaves_no_bochs);
	tcase_add_loop_test(tc, test_fault_is_named_in_time, 0, (int)(sizeof(faults) / sizeof(faults[0])));
	suite_add_tcase(s, tc);
	return run_suite(s, CK_NORMAL);
}
