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

#include "bare_aid.h"
#include "bochs_run.h"
#include "file_read.h"
#include "grub_tree.h"
#include "report.h"
#include "scheduler.h"
#include "select.h"
#include "shuffle.h"
#include "suite.h"
#include "suite_bare.h"
#include "suite_oracle.h"

#define DEFAULT_TIMEOUT_S 600
#define DEFAULT_GRACE_S 10

static const char *const all_models[] = { "corei7_skylake_x", "corei7_haswell_4770", "corei5_lynnfield_750",
					  "core2_penryn_t9600" };
#define N_ALL_MODELS (sizeof(all_models) / sizeof(all_models[0]))

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vexit-run (--kernel FILE | --iso FILE) --guests DIR [options]\n"
		"       vexit-run --kernel FILE --manifest FILE [--kut-dir DIR] [options]\n"
		"       vexit-run --kernel FILE --external KERNEL [--env K=V] [--module F] [options] [--] [ARGS...]\n"
		"       vexit-run --iso FILE --manifest FILE [--kut-dir DIR] [options]\n"
		"       vexit-run --kernel FILE --manifest FILE [--kut-dir DIR] --grub-tree DIR\n"
		"       vexit-run --iso FILE --manifest FILE [--kut-dir DIR] --bare [options]\n"
		"       vexit-run --list --guests DIR [--tests PATTERNS] [--shard K/N]\n"
		"       vexit-run --capture FILE --guests DIR [--tests PATTERNS]\n"
		"Boot vexit in Bochs and judge every guest test (docs/protocol.md).\n"
		"  --kernel FILE     boot this kernel ELF (build/vexit.elf) and the guests from a disk the\n"
		"                    harness writes, without GRUB: the fast way (docs/direct-boot.md)\n"
		"  --kernel-args S   with --kernel: the kernel's command line (e.g. budget=5000000)\n"
		"  --iso FILE        boot this GRUB image instead, as on hardware (make iso builds build/vexit.iso)\n"
		"  --guests DIR      the guest images; their .vexit.expect sections hold the expectations\n"
		"  --manifest FILE   run the external kernels this manifest lists (docs/external-kernels.md)\n"
		"  --kut-dir DIR     where the manifest's kernel files are (default $KUT_DIR)\n"
		"  --no-long         with --manifest: leave out the kernels it marks long (make check does)\n"
		"  --external KERNEL run this one multiboot kernel, with ARGS as its arguments\n"
		"  --env KEY=VALUE   with --external: a line of its environment module (may repeat)\n"
		"  --module 'F [A]'  with --external: a boot module, file F, its string 'F A' (may repeat)\n"
		"  --grub-tree DIR   write the tree of a GRUB ISO holding --kernel and the manifest's kernels\n"
		"                    (make builds it into the ISO that --iso boots them from) and exit\n"
		"  --bare            with --iso and --manifest: boot each kernel alone on Bochs, without vexit\n"
		"                    (GRUB's multiboot), one Bochs each, judged by its manifest entry\n"
		"  --list            print the names of the selected guests and exit\n"
		"  --tests PATTERNS  only the guests matching these comma-separated shell patterns (io_*,hello)\n"
		"  --shard K/N       only the K-th of N shares of the selected guests (1 <= K <= N), for a CI\n"
		"                    matrix of N machines: the shares are disjoint, cover the suite, and are\n"
		"                    the same on every machine (balanced by the guests' cost hints)\n"
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
		"  --shuffle[=SEED]  deal the guests to shards and order each shard by SEED (printed; default: new),\n"
		"                    afresh for every repeat; every repeat's verdicts count\n"
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
	unsigned repeat;
	char label[96];              /* e.g. "corei7_skylake_x.s1", names its log directory */
	char prefix[112];            /* "[label] " for streamed lines */
	char dir[PATH_MAX];
	char *select;                /* the shard's guests, comma-separated (GRUB: the tests= list) */
	char *kernel_args;           /* direct boot: the command line, with what the shard's external kernels need */
	char *debugger_cmds;         /* bare, with the manifest's bare-aid: its Bochs debugger commands (bare_aid.h) */
	struct direct_boot_module *modules; /* direct boot: the shard's guests */
	struct suite s;
	struct bochs_run_opts o;
	struct bochs_run_result r;
	char how[1024];
	bool failed;
};

struct cli {
	struct bochs_run_opts base;
	const char *guests, *tests, *capture, *tap, *junit, *logs, *cpu;
	const char *manifest_file, *kut_dir, *external, *grub_tree;
	struct manifest manifest; /* the external kernels, from --manifest or --external */
	char *external_args;
	struct strlist boot_keys, boot_values; /* --env and --module, in order: manifest keys and values */
	unsigned jobs, repeat;
	unsigned share, shares; /* --shard K/N; 0/0: the whole selection */
	bool shuffle;           /* --shuffle: seed picks each repeat's shards and order */
	unsigned long long seed;
	bool list, keep_all, color, bare;
	bool no_long;           /* --no-long: leave out the manifest's long kernels */
	bool left_long;         /* ...and it did: the ISO holds kernels this run does not select */
};

/* What vexit-run will do, then what it did: the guests, the CPU models, one job per Bochs run. */
struct plan {
	const struct cli *c;
	struct suite all;       /* every selected guest */
	struct strlist models;
	unsigned shards;
	struct job *jobs;       /* by repeat, then model, then shard: repeats start after every first run */
	size_t n_jobs, per_rep; /* per_rep: the jobs of one repeat (models x shards) */
	double t0;              /* when the runs began, for the wall time */
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
		printf(" stop=%s", g->report->stop);
		if (!j->o.bare) /* bare, no hypervisor counts them */
			printf(" exits=%s ticks=%s", exits ? exits : "?", ticks ? ticks : "?");
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
	for (size_t i = 0; i < report_lines_shown(&g->why); i++)
		printf("    %s\n", g->why.v[i]);
	report_lines_more(stdout, "    ", &g->why);
	if (g->report && g->report->ended) {
		printf("    hypervisor: stop=%s", g->report->stop);
		for (size_t i = 0; i < g->report->fields.n; i++)
			printf(" %s", g->report->fields.v[i]);
		printf("\n");
	}
	if (j->s.run.panic)
		printf("    hypervisor panicked: %s\n", j->s.run.panic);
	if (g->report) {
		for (size_t i = 0; i < report_lines_shown(&g->report->lines); i++)
			printf("    | %s\n", g->report->lines.v[i]);
		report_lines_more(stdout, "    | ", &g->report->lines);
	}
	/* An external kernel's console, its last lines: the whole of it is in the run's serial.txt. */
	size_t n_con = g->report ? g->report->console.n : 0, first = n_con > 20 ? n_con - 20 : 0;
	if (first)
		printf("    console: %zu earlier lines left out\n", first);
	for (size_t i = first; i < n_con; i++)
		printf("    console| %s\n", g->report->console.v[i]);
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

/* --manifest or --external: the manifest of the external kernels; the kernels' directory. 0, or -1. */
static int external_kernels(struct cli *c, int argc, char **argv)
{
	if (c->external) {
		struct strlist args = { 0 };
		for (int i = optind; i < argc; i++)
			strlist_addf(&args, "%s", argv[i]);
		c->external_args = strlist_join(&args, " ");
		strlist_free(&args);
		manifest_single(&c->manifest, c->external, c->external_args);
		c->kut_dir = ".";
		for (size_t i = 0; i < c->boot_keys.n; i++) {
			const char *why = manifest_entry_set(&c->manifest.v[0], c->boot_keys.v[i], c->boot_values.v[i]);
			if (why) {
				fprintf(stderr, "vexit-run: --%s %s: %s\n", c->boot_keys.v[i], c->boot_values.v[i], why);
				return -1;
			}
		}
		return 0;
	}
	if (c->boot_keys.n) {
		fprintf(stderr, "vexit-run: --env and --module go with --external (a manifest has env and module lines)\n");
		return -1;
	}
	if (!c->manifest_file)
		return 0;
	if (!c->kut_dir)
		c->kut_dir = getenv("KUT_DIR");
	if (!c->kut_dir || !*c->kut_dir) {
		fprintf(stderr, "vexit-run: --manifest needs the kernels' directory: --kut-dir DIR or KUT_DIR\n");
		return -1;
	}
	char err[1024];
	if (manifest_read(c->manifest_file, &c->manifest, err, sizeof(err))) {
		fprintf(stderr, "vexit-run: %s\n", err);
		return -1;
	}
	if (c->no_long) {
		struct strlist left = { 0 };
		c->left_long = manifest_leave_long(&c->manifest, &left) > 0;
		for (size_t i = 0; i < left.n; i++)
			fprintf(stderr, "vexit-run: --no-long leaves out %s\n", left.v[i]);
		strlist_free(&left);
	}
	return 0;
}

/* --shard K/N: 1 <= K <= N. 0, or -1 after saying what is wrong. */
static int parse_share(const char *s, struct cli *c)
{
	char *slash = strchr(s, '/');
	char k[16];
	if (!slash || (size_t)(slash - s) >= sizeof(k)) {
		fprintf(stderr, "vexit-run: --shard takes K/N (e.g. 2/4), not '%s'\n", s);
		return -1;
	}
	snprintf(k, sizeof(k), "%.*s", (int)(slash - s), s);
	if (parse_uint("--shard K", k, &c->share) || parse_uint("--shard N", slash + 1, &c->shares))
		return -1;
	if (c->shares == 0 || c->share == 0 || c->share > c->shares) {
		fprintf(stderr, "vexit-run: --shard %s: K must be 1 to N, and N at least 1\n", s);
		return -1;
	}
	return 0;
}

/* --shuffle=SEED: a decimal number. */
static int parse_seed(const char *s, unsigned long long *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (!*s || *end || errno || *s == '-') {
		fprintf(stderr, "vexit-run: --shuffle=%s: the seed is a decimal number\n", s);
		return -1;
	}
	*out = v;
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
		{ "manifest", required_argument, 0, 'M' }, { "kut-dir", required_argument, 0, 'D' },
		{ "external", required_argument, 0, 'E' }, { "shard", required_argument, 0, 'S' },
		{ "env", required_argument, 0, 'e' },     { "module", required_argument, 0, 'o' },
		{ "grub-tree", required_argument, 0, 'G' }, { "bare", no_argument, 0, 'B' },
		{ "shuffle", optional_argument, 0, 'X' }, { "no-long", no_argument, 0, 'N' },
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
		case 'M': c->manifest_file = optarg; break;
		case 'D': c->kut_dir = optarg; break;
		case 'E': c->external = optarg; break;
		case 'e':
		case 'o':
			strlist_addf(&c->boot_keys, "%s", o == 'e' ? "env" : "module");
			strlist_addf(&c->boot_values, "%s", optarg);
			break;
		case 'S': if (parse_share(optarg, c)) return 2; break;
		case 'G': c->grub_tree = optarg; break;
		case 'B': c->bare = true; break;
		case 'N': c->no_long = true; break;
		case 'X':
			c->shuffle = true;
			c->seed = shuffle_new_seed();
			if (optarg && parse_seed(optarg, &c->seed))
				return 2;
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	int sources = !!c->guests + !!c->manifest_file + !!c->external;
	if ((optind < argc && !c->external) || sources == 0 ||
	    (!c->base.iso && !c->base.kernel && !c->capture && !c->list)) {
		usage(stderr);
		return 2;
	}
	if (sources > 1) {
		fprintf(stderr, "vexit-run: --guests, --manifest and --external each name what to run: give one\n");
		return 2;
	}
	if (c->grub_tree && (!c->base.kernel || !(c->manifest_file || c->external))) {
		fprintf(stderr, "vexit-run: --grub-tree writes an ISO tree of --kernel and the external kernels of "
			"--manifest or --external\n");
		return 2;
	}
	if (c->bare && (!c->base.iso || !c->manifest_file)) {
		fprintf(stderr, "vexit-run: --bare boots the kernels of --manifest from an external-kernel ISO (--iso, "
			"made by --grub-tree): give both\n");
		return 2;
	}
	if (c->no_long && !c->manifest_file) {
		fprintf(stderr, "vexit-run: --no-long leaves out long kernels of --manifest: give one\n");
		return 2;
	}
	if (external_kernels(c, argc, argv))
		return 2;
	if (c->base.iso && c->base.kernel) {
		fprintf(stderr, "vexit-run: --iso boots GRUB, --kernel boots without it: give one, not both\n");
		return 2;
	}
	if (c->base.kernel_args && !c->base.kernel) {
		fprintf(stderr, "vexit-run: --kernel-args needs --kernel (the ISO's command line is in its grub.cfg)\n");
		return 2;
	}
	c->color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	if (!c->jobs) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		c->jobs = n > 0 ? (unsigned)n : 1;
	}
	if (c->capture)
		c->repeat = 1; /* a capture is one run's output */
	if (c->shuffle && c->capture) {
		fprintf(stderr, "vexit-run: --shuffle orders runs; a capture is one run already made\n");
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

/* The guest each guest must share a shard with (`shard-with <name>`, when that guest runs too), or itself. */
static size_t *shard_partners(const struct suite *all)
{
	size_t *with = xrealloc(NULL, (all->n + 1) * sizeof(*with));
	for (size_t i = 0; i < all->n; i++) {
		with[i] = i;
		for (size_t e = 0; e < all->guests[i].expect.n; e++)
			if (all->guests[i].expect.v[e].kind == EXPECT_SHARD_WITH)
				for (size_t k = 0; k < all->n; k++)
					if (strcmp(all->names.v[k], all->guests[i].expect.v[e].key) == 0)
						with[i] = k;
	}
	return with;
}

/* The shard of each guest, balanced by the guests' cost hints, partners together (select.h). The caller frees it. */
static unsigned *shard_guests(const struct suite *all, unsigned shards, const size_t *with)
{
	unsigned *shard_of = xrealloc(NULL, (all->n + 1) * sizeof(*shard_of));
	unsigned long long *cost = xrealloc(NULL, (all->n + 1) * sizeof(*cost));
	for (size_t i = 0; i < all->n; i++) {
		cost[i] = SELECT_DEFAULT_COST;
		for (size_t e = 0; e < all->guests[i].expect.n; e++)
			if (all->guests[i].expect.v[e].kind == EXPECT_COST)
				cost[i] = all->guests[i].expect.v[e].n;
	}
	select_shard_grouped(all->n, shards, cost, with, shard_of);
	free(cost);
	return shard_of;
}

/*
 * shard_guests over the guests in a seeded order: the split balances the same cost
 * hints and keeps partners together, but guests of equal cost are dealt differently.
 */
static unsigned *shard_guests_shuffled(const struct suite *all, unsigned shards, const size_t *with, uint64_t seed)
{
	size_t n = all->n, *order = xrealloc(NULL, (n + 1) * sizeof(*order)), *pos = xrealloc(NULL, (n + 1) * sizeof(*pos));
	shuffle_order(n, seed, order);
	for (size_t i = 0; i < n; i++)
		pos[order[i]] = i;
	struct suite view = *all;
	view.guests = xrealloc(NULL, (n + 1) * sizeof(*view.guests));
	size_t *pwith = xrealloc(NULL, (n + 1) * sizeof(*pwith));
	for (size_t i = 0; i < n; i++) {
		view.guests[i] = all->guests[order[i]];
		pwith[i] = pos[with[order[i]]];
	}
	unsigned *pshard = shard_guests(&view, shards, pwith), *shard_of = xrealloc(NULL, (n + 1) * sizeof(*shard_of));
	for (size_t i = 0; i < n; i++)
		shard_of[order[i]] = pshard[i];
	free(pshard);
	free(pwith);
	free(view.guests);
	free(pos);
	free(order);
	return shard_of;
}

/* The guests, or the external kernels, that `select` names. 0, or -1 with err. */
static int load_suite(const struct cli *c, struct suite *s, const char *select, char *err, size_t errlen)
{
	if (c->guests)
		return suite_load(s, c->guests, select, err, errlen);
	if (suite_load_external(s, &c->manifest, c->kut_dir, select, err, errlen) == 0)
		return 0;
	if (c->left_long) {
		size_t used = strlen(err);
		snprintf(err + used, errlen - used, " (--no-long left its long kernels out)");
	}
	return -1;
}

/* Job k: its model, shard and repeat, its guests, its label and its Bochs options. -1, or an exit status. */
static int plan_job(struct plan *p, const unsigned *shard_of, size_t k)
{
	const struct cli *c = p->c;
	unsigned rep = (unsigned)(k / p->per_rep), sh = (unsigned)(k % p->shards);
	struct job *j = &p->jobs[k];
	*j = (struct job){ .model = p->models.v[k % p->per_rep / p->shards], .repeat = rep, .o = c->base };
	struct strlist names = { 0 };
	for (size_t i = 0; i < p->all.n; i++)
		if (shard_of[i] == sh)
			strlist_addf(&names, "%s", p->all.names.v[i]);
	/*
	 * GRUB: the kernel picks the shard's guests from the ISO's by tests=, which has a
	 * size limit; one shard of everything the ISO holds boots everything and needs none
	 * (not so when --tests, --shard or --no-long narrowed the selection).
	 * Direct boot: the disk holds only the shard's guests, so no limit.
	 */
	bool whole = p->shards == 1 && !c->tests && !c->shares && !c->left_long;
	if (c->base.kernel)
		j->select = strlist_join(&names, ",");
	else
		j->select = whole ? xstrndup("", 0) : select_join(&names);
	bool empty = names.n == 0;
	strlist_free(&names);
	/* select_shard leaves no shard empty; an empty list would mean "every guest". */
	if (empty) {
		fprintf(stderr, "vexit-run: internal error: shard %u has no guest\n", sh + 1);
		return 2;
	}
	if (!j->select) {
		fprintf(stderr, "vexit-run: a shard's guest list is longer than the kernel's %d-byte tests= option; "
			"use more --jobs or fewer guests\n", SELECT_MAX_LIST);
		return 2;
	}
	char err[1024];
	if (load_suite(c, &j->s, j->select, err, sizeof(err))) {
		fprintf(stderr, "vexit-run: %s\n", err);
		return 2;
	}
	/* Booted directly, the disk's module order is the run order (booted by GRUB, the ISO's is). */
	if (c->shuffle && c->base.kernel) {
		size_t *order = xrealloc(NULL, (j->s.n + 1) * sizeof(*order));
		shuffle_order(j->s.n, shuffle_derive(shuffle_derive(c->seed, rep), sh + 1), order);
		suite_reorder(&j->s, order);
		free(order);
	}
	snprintf(j->label, sizeof(j->label), "%s.s%u%s%.0u", j->model, sh + 1, rep ? ".r" : "", rep ? rep + 1 : 0);
	snprintf(j->prefix, sizeof(j->prefix), "[%s] ", j->label);
	if (c->logs) {
		snprintf(j->dir, sizeof(j->dir), "%s/%s", c->logs, j->label);
		j->o.work_dir = j->dir;
	}
	j->o.cpu = j->model;
	j->o.select = j->select;
	if (c->bare) {
		/* One kernel a run; its end line ends the run at once: bare, nothing halts Bochs for it. */
		j->o.bare = j->s.guests[0].name;
		j->o.end_line = j->s.guests[0].ext->end_line;
		j->o.grace_s = 1;
		if (j->s.guests[0].ext->bare_keep_apic) {
			uint64_t at;
			j->debugger_cmds = bare_aid_commands(j->s.guests[0].image, &at, err, sizeof(err));
			if (!j->debugger_cmds) {
				fprintf(stderr, "vexit-run: %s: bare-aid = %s: %s\n", j->s.guests[0].name, BARE_AID_KEEP_APIC,
					err);
				return 2;
			}
			j->o.debugger_cmds = j->debugger_cmds;
		}
	}
	if (c->base.kernel) {
		j->modules = suite_boot_modules(&j->s, &j->o.n_modules);
		j->o.modules = j->modules;
		/* The external kernels' memory and budgets ride on the kernel's command line (hypervisor/main.c). */
		char *opts = suite_kernel_options(&j->s);
		const char *base = c->base.kernel_args ? c->base.kernel_args : "";
		size_t n = strlen(base) + strlen(opts) + 2;
		j->kernel_args = xrealloc(NULL, n);
		snprintf(j->kernel_args, n, "%s%s%s", base, base[0] && opts[0] ? " " : "", opts);
		free(opts);
		j->o.kernel_args = j->kernel_args;
	}
	j->o.stream_prefix = p->n_jobs > 1 ? j->prefix : NULL;
	return -1;
}

/*
 * --shard K/N: keep the K-th of N shares of the selection. The shares are
 * shard_guests's split into N, which depends on the guests, their cost hints and
 * shard-with partners only, so every machine of a CI matrix computes the same
 * split. -1, or an exit status.
 */
static int keep_share(struct plan *p)
{
	const struct cli *c = p->c;
	if (!c->shares)
		return -1;
	/* shard-with partners stay in one share; each group of them counts as one guest here. */
	size_t *with = shard_partners(&p->all);
	if (select_shard_count(p->all.n, c->shares, with) < c->shares) {
		fprintf(stderr, "vexit-run: --shard %u/%u: %zu guest(s) (shard-with partners counted once) cannot make %u "
			"non-empty shares\n", c->share, c->shares, p->all.n, c->shares);
		free(with);
		return 2;
	}
	unsigned *shard_of = shard_guests(&p->all, c->shares, with);
	free(with);
	struct strlist names = { 0 };
	for (size_t i = 0; i < p->all.n; i++)
		if (shard_of[i] == c->share - 1)
			strlist_addf(&names, "%s", p->all.names.v[i]);
	free(shard_of);
	char *list = strlist_join(&names, ",");
	strlist_free(&names);
	suite_free(&p->all);
	char err[1024];
	int rc = load_suite(c, &p->all, list, err, sizeof(err)) ? 2 : -1;
	if (rc == 2)
		fprintf(stderr, "vexit-run: %s\n", err);
	free(list);
	return rc;
}

/* Plan: the guests (--tests, --shard; --list ends here), the models, the shards, the jobs. -1, or an exit status. */
static int plan(struct plan *p)
{
	const struct cli *c = p->c;
	char err[1024];
	if (load_suite(c, &p->all, c->tests, err, sizeof(err))) {
		fprintf(stderr, "vexit-run: %s\n", err);
		return 2;
	}
	int rc = keep_share(p);
	if (rc >= 0)
		return rc;
	if (c->list) {
		for (size_t i = 0; i < p->all.n; i++)
			printf("%s\n", p->all.names.v[i]);
		return 0;
	}
	if (c->grub_tree) {
		if (grub_tree_write(c->grub_tree, c->base.kernel, c->base.kernel_args ? c->base.kernel_args : "",
				    &p->all, err, sizeof(err))) {
			fprintf(stderr, "vexit-run: --grub-tree %s: %s\n", c->grub_tree, err);
			return 2;
		}
		return 0;
	}
	parse_models(c->capture ? "capture" : c->cpu, &p->models);
	size_t *with = shard_partners(&p->all);
	/* Bare, each kernel is a Bochs run of its own (-j still bounds how many run at once). */
	p->shards = c->capture ? 1 : c->bare ? (unsigned)p->all.n : select_shard_count(p->all.n, c->jobs, with);
	p->per_rep = p->models.n * p->shards;
	p->n_jobs = p->per_rep * c->repeat;
	p->jobs = xrealloc(NULL, p->n_jobs * sizeof(*p->jobs));
	memset(p->jobs, 0, p->n_jobs * sizeof(*p->jobs)); /* what plan_free frees, should a job fail to plan */
	unsigned *shard_of = NULL;
	if (c->logs)
		mkdir_p(c->logs);
	for (size_t k = 0; k < p->n_jobs && rc < 0; k++) {
		/* One split for all repeats; with --shuffle, a new one for each repeat. */
		if (!shard_of || (c->shuffle && k % p->per_rep == 0)) {
			free(shard_of);
			shard_of = c->shuffle ? shard_guests_shuffled(&p->all, p->shards, with,
								      shuffle_derive(c->seed, k / p->per_rep))
					      : shard_guests(&p->all, p->shards, with);
			for (size_t i = 0; c->bare && i < p->all.n; i++)
				shard_of[i] = (unsigned)i; /* bare: one kernel per Bochs */
		}
		rc = plan_job(p, shard_of, k);
	}
	free(shard_of);
	free(with);
	return rc;
}

static int job_start(void *ctx, size_t i)
{
	struct job *j = &((struct plan *)ctx)->jobs[i];
	return bochs_run_start(&j->o, &j->r);
}

static bool job_poll(void *ctx, size_t i)
{
	struct job *j = &((struct plan *)ctx)->jobs[i];
	return bochs_run_poll(&j->o, &j->r);
}

/* A run is over: judge it at once, and show its guests' verdicts (a repeat's only count if they differ). */
static void job_done(void *ctx, size_t i)
{
	struct plan *p = ctx;
	struct job *j = &p->jobs[i];
	j->failed = !(p->c->bare ? suite_judge_bare : suite_judge_run)(&j->s, &j->o, &j->r, j->how, sizeof(j->how));
	if (j->repeat == 0)
		for (size_t g = 0; g < j->s.n; g++)
			print_progress(p->c, j, &j->s.guests[g]);
	fflush(stdout);
}

/* --capture: the file is the one job's output, as if Bochs had written it and exited, beside its bochs.log. */
static int judge_capture(struct plan *p)
{
	const char *path = p->c->capture;
	struct job *j = &p->jobs[0];
	size_t len;
	char *text = file_read(path, 1u << 30, &len);
	if (!text) {
		fprintf(stderr, "vexit-run: cannot read the capture %s: %s\n", path, strerror(errno));
		return 2;
	}
	j->r = (struct bochs_run_result){ .end = BOCHS_RUN_EXITED, .serial = text, .serial_len = len,
					  .bochs_tail = xstrndup("", 0) };
	const char *slash = strrchr(path, '/');
	snprintf(j->r.dir, sizeof(j->r.dir), "%.*s", slash && slash > path ? (int)(slash - path) : 1,
		 slash ? path : ".");
	job_done(p, 0);
	snprintf(j->how, sizeof(j->how), "judged the capture %s", path);
	return -1;
}

/* Run: boot every job's Bochs, -j at a time, judging each as it ends; or judge the capture. -1, or an exit status. */
static int run(struct plan *p)
{
	const struct cli *c = p->c;
	p->t0 = now_s();
	if (c->capture)
		return judge_capture(p);
	char shuffled[96] = "";
	if (c->shuffle)
		snprintf(shuffled, sizeof(shuffled), ", shuffled with seed %llu (--shuffle=%llu repeats it)", c->seed, c->seed);
	printf("vexit-run: %zu guests on %zu CPU model(s), %u shard(s), %u Bochs at a time, timeout %u s%s%s\n",
	       p->all.n, p->models.n, p->shards, c->jobs, c->base.timeout_s,
	       c->repeat > 1 && !c->shuffle ? ", determinism check" : "", shuffled);
	fflush(stdout);
	static const struct scheduler_ops ops = { job_start, job_poll, job_done };
	scheduler_run(p->n_jobs, c->jobs, &ops, p);
	return -1;
}

/*
 * Determinism: every repeat of a shard must print exactly what its first run printed.
 * Shuffled, the repeats run other shards in other orders: each guest must pass in
 * every one of them instead.
 */
static void compare_repeats(struct plan *p, struct strlist *problems)
{
	for (size_t i = p->per_rep; i < p->n_jobs && p->c->shuffle; i++) {
		struct job *j = &p->jobs[i];
		for (const struct suite_guest *g = j->s.guests; g < j->s.guests + j->s.n; g++)
			if (g->verdict == VERDICT_FAIL) {
				strlist_addf(problems, "[%s] %s failed in this repeat's order (seed %llu): %s", j->label,
					     g->name, p->c->seed, g->why.n ? g->why.v[0] : "");
				j->failed = true;
			}
	}
	for (size_t i = p->per_rep; i < p->n_jobs && !p->c->shuffle; i++) {
		struct job *first = &p->jobs[i % p->per_rep], *j = &p->jobs[i];
		char why[600];
		if (!report_same_output(first->r.serial, first->r.serial_len, j->r.serial, j->r.serial_len, why,
					sizeof(why))) {
			strlist_addf(problems, "[%s] not deterministic: %s", j->label, why);
			j->failed = first->failed = true;
		}
	}
}

/* How one Bochs run went, where its files are, and for a run with a problem what Bochs printed last. */
static void print_run(const struct cli *c, struct job *j)
{
	/* A clean run's files go, unless all are kept: only failures leave logs behind. */
	if (!j->failed && !c->keep_all && j->o.work_dir)
		j->r.own_dir = true;
	printf("run %s (%zu guests): %s%s%s\n", j->label, j->s.n, j->how, j->o.work_dir && !j->r.own_dir ?
	       "; files in " : "", j->o.work_dir && !j->r.own_dir ? j->r.dir : "");
	if (j->failed && j->s.problems.n && j->r.bochs_tail[0]) {
		printf("  last lines Bochs printed:\n");
		for (char *save = NULL, *l = strtok_r(j->r.bochs_tail, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			printf("    > %s\n", l);
	}
}

static void add_cases(struct report_case **cases, size_t *n, const struct job *j)
{
	*cases = xrealloc(*cases, (*n + j->s.n) * sizeof(**cases));
	for (size_t i = 0; i < j->s.n; i++) {
		const struct suite_guest *g = &j->s.guests[i];
		(*cases)[(*n)++] = (struct report_case){ .model = j->model, .name = g->name, .verdict = g->verdict,
							 .why = &g->why,
							 .lines = !g->report ? NULL : g->ext ? &g->report->console : &g->report->lines,
							 .counts = g->ext ? &g->counts : NULL,
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

/* Summary: failures first, then skips, run problems and each run; the reports; the counts. The exit status. */
static int summary(struct plan *p)
{
	const struct cli *c = p->c;
	struct strlist problems = { 0 };
	compare_repeats(p, &problems);
	struct report_case *cases = NULL;
	size_t n_cases = 0;
	unsigned passed = 0, failed = 0, skipped = 0;
	for (struct job *j = p->jobs; j < p->jobs + p->per_rep; j++) {
		add_cases(&cases, &n_cases, j);
		passed += j->s.passed;
		failed += j->s.failed;
		skipped += j->s.skipped;
	}
	for (struct job *j = p->jobs; j < p->jobs + p->n_jobs; j++)
		for (size_t i = 0; i < j->s.problems.n; i++)
			strlist_addf(&problems, "[%s] %s", j->label, j->s.problems.v[i]);

	printf("---- summary\n");
	for (struct job *j = p->jobs; j < p->jobs + p->per_rep; j++)
		for (size_t g = 0; g < j->s.n; g++)
			if (j->s.guests[g].verdict == VERDICT_FAIL)
				print_failure(c, j, &j->s.guests[g]);
	for (struct job *j = p->jobs; j < p->jobs + p->per_rep; j++)
		for (const struct suite_guest *g = j->s.guests; g < j->s.guests + j->s.n; g++)
			if (g->verdict == VERDICT_SKIP)
				printf("%sSKIP%s %s [%s]: %s\n", color(c, VERDICT_SKIP), reset(c), g->name, j->model,
				       g->why.n ? g->why.v[0] : "");
	for (size_t i = 0; i < problems.n; i++)
		printf("%sRUN PROBLEM%s: %s\n", color(c, VERDICT_FAIL), reset(c), problems.v[i]);
	for (struct job *j = p->jobs; j < p->jobs + p->n_jobs; j++)
		print_run(c, j);
	if (!c->capture)
		printf("wall time: %.2f s\n", now_s() - p->t0);
	int status = failed == 0 && problems.n == 0 ? 0 : 1;
	if ((c->tap && write_report(c->tap, report_tap, cases, n_cases, &problems)) ||
	    (c->junit && write_report(c->junit, report_junit, cases, n_cases, &problems)))
		status = 1;
	printf("guests: %u passed, %u failed, %u skipped\n", passed, failed, skipped);
	free(cases);
	strlist_free(&problems);
	return status;
}

static void plan_free(struct plan *p)
{
	for (struct job *j = p->jobs; j < p->jobs + p->n_jobs; j++) {
		bochs_run_result_free(&j->r);
		suite_free(&j->s);
		free(j->select);
		free(j->kernel_args);
		free(j->debugger_cmds);
		free(j->modules);
	}
	free(p->jobs);
	strlist_free(&p->models);
	suite_free(&p->all);
}

int main(int argc, char **argv)
{
	struct cli c = { .base = { .bochsrc = "bochsrc/ci.bochsrc", .timeout_s = DEFAULT_TIMEOUT_S,
				   .grace_s = DEFAULT_GRACE_S, .stream_fd = -1 },
			 .repeat = 1 };
	int rc = parse_args(argc, argv, &c);
	struct plan p = { .c = &c };
	if (rc < 0)
		rc = plan(&p);
	if (rc < 0)
		rc = run(&p);
	if (rc < 0)
		rc = summary(&p);
	plan_free(&p);
	manifest_free(&c.manifest);
	strlist_free(&c.boot_keys);
	strlist_free(&c.boot_values);
	free(c.external_args);
	return rc;
}
