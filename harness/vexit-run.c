/*
 * vexit-run: boot vexit in Bochs, headless and with a hard timeout, and judge
 * every guest test of the run against the expectations in its image. What
 * boots is the kernel ELF and the guests, loaded by the harness's own small
 * loader (--kernel, direct_boot.h), or the GRUB ISO as on hardware (--iso).
 * The suite is split into shards that boot side by side, on one or several
 * Bochs CPU models. Prints one line per guest as its shard ends, then
 * a summary (failures first) and last `guests: N passed, N failed, N skipped`.
 * Exit status 0 only when no guest failed and every run was complete and clean.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bochs_run.h"
#include "file_read.h"
#include "report.h"
#include "select.h"
#include "suite.h"
#include "suite_oracle.h"

#define DEFAULT_TIMEOUT_S 600
#define DEFAULT_GRACE_S 10
#define POLL_NS 5000000L

static const char *const all_models[] = { "corei7_skylake_x", "corei7_haswell_4770", "corei5_lynnfield_750",
					  "core2_penryn_t9600" };
#define N_ALL_MODELS (sizeof(all_models) / sizeof(all_models[0]))

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vexit-run (--kernel FILE | --iso FILE) --guests DIR [options]\n"
		"       vexit-run --list --guests DIR [--tests PATTERNS]\n"
		"       vexit-run --capture FILE --guests DIR [--tests PATTERNS]\n"
		"Boot vexit in Bochs and judge every guest test (docs/protocol.md).\n"
		"  --kernel FILE     boot this kernel ELF (build/vexit.elf) and the guests from a disk the\n"
		"                    harness writes, without GRUB: the fast way (docs/direct-boot.md)\n"
		"  --kernel-args S   with --kernel: the kernel's command line (e.g. budget=5000000)\n"
		"  --iso FILE        boot this GRUB image instead, as on hardware (make iso builds build/vexit.iso)\n"
		"  --guests DIR      the guest images; their .vexit.expect sections hold the expectations\n"
		"  --list            print the names of the selected guests and exit\n"
		"  --tests PATTERNS  only the guests matching these comma-separated shell patterns (io_*,hello)\n"
		"  -j, --jobs N      boot N Bochs side by side, each a shard of the suite (default: one per core)\n"
		"  --cpu MODELS      Bochs CPU model(s), comma-separated; several make a matrix; 'all' means\n"
		"                    corei7_skylake_x,corei7_haswell_4770,corei5_lynnfield_750,core2_penryn_t9600\n"
		"                    (default corei7_skylake_x)\n"
		"  --timeout S       kill a Bochs run after S seconds (default %d)\n"
		"  --tap FILE        write TAP version 13 results to FILE\n"
		"  --junit FILE      write JUnit XML results to FILE (one testcase per guest per model)\n"
		"  --logs DIR        keep the files (serial.txt, bochs.log, bochs.out) of failed runs in DIR/<run>\n"
		"  --keep-logs DIR   keep the files of every run in DIR/<run>\n"
		"  --repeat N        boot every shard N times; fail unless the outputs are byte-identical\n"
		"  --stream          copy the hypervisor's output to stdout live, each line tagged with its run\n"
		"  --bochsrc FILE    Bochs configuration (default bochsrc/ci.bochsrc)\n"
		"  --bochs PROG      the Bochs program (default $VEXIT_BOCHS, else bochs)\n"
		"  --capture FILE    judge an existing COM1 capture instead of booting Bochs\n"
		"  --help            this text\n"
		"Colour only on a terminal, and never when NO_COLOR is set.\n",
		DEFAULT_TIMEOUT_S);
}

/* One Bochs run: a shard of the suite, on one CPU model, maybe a repeat. */
struct job {
	const char *model;
	unsigned shard, repeat;
	char label[96];              /* e.g. "corei7_skylake_x.s1", names its log directory */
	char prefix[112];            /* "[label] " for streamed lines */
	char dir[PATH_MAX];
	char *select;                /* the shard's guests, comma-separated (GRUB: the tests= list) */
	struct direct_boot_module *modules; /* direct boot: the shard's guests */
	struct suite s;
	struct bochs_run_opts o;
	struct bochs_run_result r;
	char how[1024];
	bool started, done, failed;
};

struct cli {
	struct bochs_run_opts base;
	const char *guests, *tests, *capture, *tap, *junit, *logs, *cpu;
	unsigned jobs, repeat;
	bool list, keep_all, color;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *color(const struct cli *c, enum verdict v)
{
	if (!c->color)
		return "";
	return v == VERDICT_PASS ? "\033[32m" : v == VERDICT_FAIL ? "\033[31;1m" : "\033[33m";
}

static const char *reset(const struct cli *c)
{
	return c->color ? "\033[0m" : "";
}

static void print_progress(const struct cli *c, const struct job *j, const struct suite_guest *g)
{
	printf("%s%s%s %-16s [%s]", color(c, g->verdict), verdict_name(g->verdict), reset(c), g->name, j->model);
	if (g->report && g->report->ended) {
		const char *exits = guest_report_field(g->report, "exits");
		const char *ticks = guest_report_field(g->report, "ticks");
		printf(" stop=%s exits=%s ticks=%s", g->report->stop, exits ? exits : "?", ticks ? ticks : "?");
	}
	if (g->verdict != VERDICT_PASS && g->why.n)
		printf(" (%s)", g->why.v[0]);
	printf("\n");
	/* Failed entries: our checker's rule beside Bochs's own reason (suite_oracle.h). */
	for (size_t i = 0; i < g->notes.n; i++)
		printf("    %s\n", g->notes.v[i]);
}

/* A failed guest in full: why, the hypervisor's diagnosis (its stop line), the guest's own lines. */
static void print_failure(const struct cli *c, const struct job *j, const struct suite_guest *g)
{
	printf("%sFAIL%s %s [%s]\n", color(c, VERDICT_FAIL), reset(c), g->name, j->model);
	for (size_t i = 0; i < g->why.n; i++)
		printf("    %s\n", g->why.v[i]);
	if (g->report && g->report->ended) {
		printf("    hypervisor: stop=%s", g->report->stop);
		for (size_t i = 0; i < g->report->fields.n; i++)
			printf(" %s", g->report->fields.v[i]);
		printf("\n");
	}
	if (j->s.run.panic)
		printf("    hypervisor panicked: %s\n", j->s.run.panic);
	for (size_t i = 0; g->report && i < g->report->lines.n; i++)
		printf("    | %s\n", g->report->lines.v[i]);
	if (j->dir[0] && !j->r.own_dir)
		printf("    files: %s\n", j->dir);
}

static int parse_uint(const char *opt, const char *s, unsigned *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (*end || !*s || v == 0 || v > 100000) {
		fprintf(stderr, "vexit-run: %s wants a whole number > 0, not '%s'\n", opt, s);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

static int parse_args(int argc, char **argv, struct cli *c)
{
	static const struct option longopts[] = {
		{ "iso", required_argument, 0, 'i' },     { "guests", required_argument, 0, 'g' },
		{ "kernel", required_argument, 0, 'K' },  { "kernel-args", required_argument, 0, 'A' },
		{ "tests", required_argument, 0, 't' },   { "bochsrc", required_argument, 0, 'r' },
		{ "bochs", required_argument, 0, 'b' },   { "timeout", required_argument, 0, 'T' },
		{ "keep-logs", required_argument, 0, 'k' }, { "logs", required_argument, 0, 'L' },
		{ "stream", no_argument, 0, 's' },        { "capture", required_argument, 0, 'c' },
		{ "list", no_argument, 0, 'l' },          { "jobs", required_argument, 0, 'j' },
		{ "cpu", required_argument, 0, 'm' },     { "tap", required_argument, 0, 'P' },
		{ "junit", required_argument, 0, 'J' },   { "repeat", required_argument, 0, 'R' },
		{ "help", no_argument, 0, 'h' },          { 0, 0, 0, 0 },
	};
	for (int o; (o = getopt_long(argc, argv, "j:", longopts, NULL)) != -1;) {
		switch (o) {
		case 'i': c->base.iso = optarg; break;
		case 'K': c->base.kernel = optarg; break;
		case 'A': c->base.kernel_args = optarg; break;
		case 'g': c->guests = optarg; break;
		case 't': c->tests = optarg; break;
		case 'r': c->base.bochsrc = optarg; break;
		case 'b': c->base.bochs = optarg; break;
		case 'k': c->logs = optarg; c->keep_all = true; break;
		case 'L': c->logs = optarg; break;
		case 's': c->base.stream_fd = STDOUT_FILENO; break;
		case 'c': c->capture = optarg; break;
		case 'l': c->list = true; break;
		case 'm': c->cpu = optarg; break;
		case 'P': c->tap = optarg; break;
		case 'J': c->junit = optarg; break;
		case 'j': if (parse_uint("--jobs", optarg, &c->jobs)) return 2; break;
		case 'R': if (parse_uint("--repeat", optarg, &c->repeat)) return 2; break;
		case 'T': if (parse_uint("--timeout", optarg, &c->base.timeout_s)) return 2; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc || !c->guests || (!c->base.iso && !c->base.kernel && !c->capture && !c->list)) {
		usage(stderr);
		return 2;
	}
	if (c->base.iso && c->base.kernel) {
		fprintf(stderr, "vexit-run: --iso boots GRUB, --kernel boots without it: give one, not both\n");
		return 2;
	}
	if (c->base.kernel_args && !c->base.kernel) {
		fprintf(stderr, "vexit-run: --kernel-args needs --kernel (the ISO's command line is in its grub.cfg)\n");
		return 2;
	}
	return -1;
}

/* The CPU models of the run: --cpu split at commas, 'all' expanded. */
static void parse_models(const char *spec, struct strlist *models)
{
	if (!spec || !*spec)
		spec = BOCHS_RUN_DEFAULT_CPU;
	char *copy = xstrndup(spec, strlen(spec));
	for (char *save = NULL, *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (strcmp(t, "all") == 0) {
			for (size_t i = 0; i < N_ALL_MODELS; i++)
				if (strlist_find(models, all_models[i]) < 0)
					strlist_addf(models, "%s", all_models[i]);
		} else if (strlist_find(models, t) < 0) {
			strlist_addf(models, "%s", t);
		}
	}
	free(copy);
}

static void mkdir_p(const char *path)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(tmp, 0755);
			*p = '/';
		}
	mkdir(tmp, 0755);
}

static void add_cases(struct report_case **cases, size_t *n, const struct job *j)
{
	*cases = xrealloc(*cases, (*n + j->s.n) * sizeof(**cases));
	for (size_t i = 0; i < j->s.n; i++) {
		const struct suite_guest *g = &j->s.guests[i];
		(*cases)[(*n)++] = (struct report_case){ .model = j->model, .name = g->name, .verdict = g->verdict,
							 .why = &g->why, .lines = g->report ? &g->report->lines : NULL,
							 .seconds = j->r.seconds / (double)j->s.n };
	}
}

static int write_report(const char *path, void (*fn)(FILE *, const struct report_case *, size_t,
						     const struct strlist *),
			const struct report_case *cases, size_t n, const struct strlist *problems)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "vexit-run: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	fn(f, cases, n, problems);
	return fclose(f) ? -1 : 0;
}

/* Judge a finished run; returns true when it was clean (no failed guest, no run problem). */
static bool judge(const struct cli *c, struct job *j)
{
	bool ok = suite_judge_run(&j->s, &j->o, &j->r, j->how, sizeof(j->how));
	if (j->repeat == 0)
		for (size_t i = 0; i < j->s.n; i++)
			print_progress(c, j, &j->s.guests[i]);
	fflush(stdout);
	return ok;
}

int main(int argc, char **argv)
{
	struct cli c = { .base = { .bochsrc = "bochsrc/ci.bochsrc", .timeout_s = DEFAULT_TIMEOUT_S,
				   .grace_s = DEFAULT_GRACE_S, .stream_fd = -1 },
			 .repeat = 1 };
	int rc = parse_args(argc, argv, &c);
	if (rc >= 0)
		return rc;
	c.color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");

	struct suite all;
	char err[1024];
	if (suite_load(&all, c.guests, c.tests, err, sizeof(err))) {
		fprintf(stderr, "vexit-run: %s\n", err);
		return 2;
	}
	if (c.list) {
		for (size_t i = 0; i < all.n; i++)
			printf("%s\n", all.names.v[i]);
		suite_free(&all);
		return 0;
	}
	struct strlist models = { 0 };
	parse_models(c.capture ? "capture" : c.cpu, &models);
	if (!c.jobs) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		c.jobs = n > 0 ? (unsigned)n : 1;
	}
	unsigned shards = c.jobs < all.n ? c.jobs : (unsigned)all.n;
	if (c.capture)
		shards = c.repeat = 1;

	/* Jobs: model-major, then shard, then repeat; repeats run after their first run's peers. */
	size_t n_jobs = models.n * shards * c.repeat;
	struct job *jobs = xrealloc(NULL, n_jobs * sizeof(*jobs));
	unsigned *shard_of = xrealloc(NULL, all.n * sizeof(*shard_of));
	unsigned long long *cost = xrealloc(NULL, (all.n + 1) * sizeof(*cost));
	for (size_t i = 0; i < all.n; i++) {
		cost[i] = SELECT_DEFAULT_COST;
		for (size_t e = 0; e < all.guests[i].expect.n; e++)
			if (all.guests[i].expect.v[e].kind == EXPECT_COST)
				cost[i] = all.guests[i].expect.v[e].n;
	}
	select_shard(all.n, shards, cost, shard_of);
	free(cost);
	if (c.logs)
		mkdir_p(c.logs);
	size_t k = 0;
	for (unsigned rep = 0; rep < c.repeat; rep++)
		for (size_t m = 0; m < models.n; m++)
			for (unsigned sh = 0; sh < shards; sh++, k++) {
				struct job *j = &jobs[k];
				*j = (struct job){ .model = models.v[m], .shard = sh, .repeat = rep, .o = c.base };
				struct strlist names = { 0 };
				for (size_t i = 0; i < all.n; i++)
					if (shard_of[i] == sh)
						strlist_addf(&names, "%s", all.names.v[i]);
				/*
				 * GRUB: the kernel picks the shard's guests from the ISO's by tests=, which has a
				 * size limit; one shard of the whole suite boots everything and needs none.
				 * Direct boot: the disk holds only the shard's guests, so no limit.
				 */
				if (c.base.kernel)
					j->select = strlist_join(&names, ",");
				else
					j->select = shards == 1 && !c.tests ? xstrndup("", 0) : select_join(&names);
				/* select_shard leaves no shard empty; an empty list would mean "every guest". */
				if (names.n == 0) {
					fprintf(stderr, "vexit-run: internal error: shard %u has no guest\n", sh + 1);
					return 2;
				}
				strlist_free(&names);
				if (!j->select) {
					fprintf(stderr, "vexit-run: a shard's guest list is longer than the kernel's "
							"%d-byte tests= option; use more --jobs or fewer guests\n",
						SELECT_MAX_LIST);
					return 2;
				}
				if (suite_load(&j->s, c.guests, j->select, err, sizeof(err))) {
					fprintf(stderr, "vexit-run: %s\n", err);
					return 2;
				}
				snprintf(j->label, sizeof(j->label), "%s.s%u%s%.0u", j->model, sh + 1,
					 rep ? ".r" : "", rep ? rep + 1 : 0);
				snprintf(j->prefix, sizeof(j->prefix), "[%s] ", j->label);
				if (c.logs) {
					snprintf(j->dir, sizeof(j->dir), "%s/%s", c.logs, j->label);
					j->o.work_dir = j->dir;
				}
				j->o.cpu = j->model;
				j->o.select = j->select;
				if (c.base.kernel) {
					j->modules = suite_boot_modules(&j->s);
					j->o.modules = j->modules;
					j->o.n_modules = j->s.n;
				}
				j->o.stream_prefix = n_jobs > 1 ? j->prefix : NULL;
			}

	struct report_case *cases = NULL;
	size_t n_cases = 0;
	struct strlist problems = { 0 };
	double t0 = now_s();
	if (c.capture) {
		size_t len;
		char *text = file_read(c.capture, 1u << 30, &len);
		if (!text) {
			fprintf(stderr, "vexit-run: cannot read the capture %s: %s\n", c.capture, strerror(errno));
			return 2;
		}
		free(jobs[0].r.serial);
		jobs[0].r = (struct bochs_run_result){ .end = BOCHS_RUN_EXITED, .serial = text, .serial_len = len,
						       .bochs_tail = xstrndup("", 0) };
		const char *slash = strrchr(c.capture, '/');
		snprintf(jobs[0].r.dir, sizeof(jobs[0].r.dir), "%.*s", slash ? (int)(slash - c.capture) : 1,
			 slash ? c.capture : ".");
		jobs[0].failed = !judge(&c, &jobs[0]);
		jobs[0].done = jobs[0].started = true;
		snprintf(jobs[0].how, sizeof(jobs[0].how), "judged the capture %s", c.capture);
	} else {
		printf("vexit-run: %zu guests on %zu CPU model(s), %u shard(s), %u Bochs at a time, timeout %u s%s\n",
		       all.n, models.n, shards, c.jobs, c.base.timeout_s, c.repeat > 1 ? ", determinism check" : "");
		fflush(stdout);
		size_t next = 0, running = 0, finished = 0;
		while (finished < n_jobs) {
			while (running < c.jobs && next < n_jobs) {
				struct job *j = &jobs[next++];
				j->started = true;
				running += bochs_run_start(&j->o, &j->r) == 0;
			}
			bool any = false;
			for (size_t i = 0; i < next; i++) {
				struct job *j = &jobs[i];
				if (j->done || !bochs_run_poll(&j->o, &j->r))
					continue;
				running -= j->r.end != BOCHS_RUN_NOT_STARTED;
				j->done = any = true;
				finished++;
				j->failed = !judge(&c, j);
			}
			if (!any)
				nanosleep(&(struct timespec){ 0, POLL_NS }, NULL);
		}
	}

	/* Determinism: every repeat of a shard must print exactly what its first run printed. */
	size_t per_rep = models.n * shards;
	for (size_t i = per_rep; i < n_jobs; i++) {
		struct job *first = &jobs[i % per_rep], *j = &jobs[i];
		char why[600];
		if (!report_same_output(first->r.serial, first->r.serial_len, j->r.serial, j->r.serial_len, why,
					sizeof(why))) {
			strlist_addf(&problems, "[%s] not deterministic: %s", j->label, why);
			j->failed = first->failed = true;
		}
	}
	unsigned passed = 0, failed = 0, skipped = 0;
	for (size_t i = 0; i < per_rep; i++) {
		struct job *j = &jobs[i];
		add_cases(&cases, &n_cases, j);
		passed += j->s.passed;
		failed += j->s.failed;
		skipped += j->s.skipped;
	}
	for (size_t i = 0; i < n_jobs; i++)
		for (size_t p = 0; p < jobs[i].s.problems.n; p++)
			strlist_addf(&problems, "[%s] %s", jobs[i].label, jobs[i].s.problems.v[p]);

	/* The summary: failures first, then skips, then how each run went. */
	printf("---- summary\n");
	for (size_t i = 0; i < per_rep; i++)
		for (size_t g = 0; g < jobs[i].s.n; g++)
			if (jobs[i].s.guests[g].verdict == VERDICT_FAIL)
				print_failure(&c, &jobs[i], &jobs[i].s.guests[g]);
	for (size_t i = 0; i < per_rep; i++)
		for (size_t g = 0; g < jobs[i].s.n; g++)
			if (jobs[i].s.guests[g].verdict == VERDICT_SKIP)
				printf("%sSKIP%s %s [%s]: %s\n", color(&c, VERDICT_SKIP), reset(&c),
				       jobs[i].s.guests[g].name, jobs[i].model,
				       jobs[i].s.guests[g].why.n ? jobs[i].s.guests[g].why.v[0] : "");
	for (size_t i = 0; i < problems.n; i++)
		printf("%sRUN PROBLEM%s: %s\n", color(&c, VERDICT_FAIL), reset(&c), problems.v[i]);
	for (size_t i = 0; i < n_jobs; i++) {
		struct job *j = &jobs[i];
		/* A clean run's files go, unless all are kept: only failures leave logs behind. */
		if (!j->failed && !c.keep_all && j->o.work_dir)
			j->r.own_dir = true;
		printf("run %s (%zu guests): %s%s%s\n", j->label, j->s.n, j->how, j->o.work_dir && !j->r.own_dir ?
		       "; files in " : "", j->o.work_dir && !j->r.own_dir ? j->r.dir : "");
		if (j->failed && j->s.problems.n && j->r.bochs_tail[0]) {
			printf("  last lines Bochs printed:\n");
			for (char *save = NULL, *l = strtok_r(j->r.bochs_tail, "\n", &save); l;
			     l = strtok_r(NULL, "\n", &save))
				printf("    > %s\n", l);
		}
	}
	if (!c.capture)
		printf("wall time: %.2f s\n", now_s() - t0);
	int status = failed == 0 && problems.n == 0 ? 0 : 1;
	if ((c.tap && write_report(c.tap, report_tap, cases, n_cases, &problems)) ||
	    (c.junit && write_report(c.junit, report_junit, cases, n_cases, &problems)))
		status = 1;
	printf("guests: %u passed, %u failed, %u skipped\n", passed, failed, skipped);

	free(cases);
	for (size_t i = 0; i < n_jobs; i++) {
		bochs_run_result_free(&jobs[i].r);
		suite_free(&jobs[i].s);
		free(jobs[i].select);
		free(jobs[i].modules);
	}
	free(jobs);
	free(shard_of);
	strlist_free(&problems);
	strlist_free(&models);
	suite_free(&all);
	return status;
}
