/*
 * vexit-run: boot the vexit ISO in Bochs, headless and with a hard timeout,
 * and judge every guest test of the run against the expectations in its
 * image. Prints one line per guest, the reasons of every failure, and last
 * `guests: N passed, N failed, N skipped`. Exit status 0 only when every
 * guest passed or was skipped and the run itself was complete and clean.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bochs_run.h"
#include "file_read.h"
#include "suite.h"
#include "suite_oracle.h"

#define DEFAULT_TIMEOUT_S 600
#define DEFAULT_GRACE_S 10

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vexit-run --iso FILE --guests DIR [options]\n"
		"       vexit-run --capture FILE --guests DIR [--tests LIST]\n"
		"Boot the vexit ISO in Bochs and judge every guest test (docs/protocol.md).\n"
		"  --iso FILE        the boot image (make iso builds build/vexit.iso)\n"
		"  --guests DIR      the guest images; their .vexit.expect sections hold the expectations\n"
		"  --tests A,B       judge only these guests (boot an ISO built with KERNEL_ARGS=tests=A,B)\n"
		"  --bochsrc FILE    Bochs configuration (default bochsrc/ci.bochsrc)\n"
		"  --bochs PROG      the Bochs program (default $VEXIT_BOCHS, else bochs)\n"
		"  --timeout S       kill Bochs after S seconds (default %d)\n"
		"  --keep-logs DIR   keep the run's serial.txt, bochs.log and bochs.out in DIR\n"
		"  --stream          copy the protocol output to stdout while the run goes\n"
		"  --capture FILE    judge an existing COM1 capture instead of booting Bochs\n"
		"  --help            this text\n",
		DEFAULT_TIMEOUT_S);
}

static void print_guest(const struct suite_guest *g)
{
	printf("%s %s", verdict_name(g->verdict), g->name);
	if (g->report && g->report->ended) {
		printf(" (stop=%s", g->report->stop);
		const char *exits = guest_report_field(g->report, "exits");
		const char *ticks = guest_report_field(g->report, "ticks");
		if (exits)
			printf(" exits=%s", exits);
		if (ticks)
			printf(" ticks=%s", ticks);
		printf(")");
	}
	printf("\n");
	for (size_t i = 0; i < g->notes.n; i++)
		printf("    %s\n", g->notes.v[i]);
	for (size_t i = 0; i < g->why.n; i++)
		printf("    %s\n", g->why.v[i]);
	if (g->verdict == VERDICT_FAIL && g->report)
		for (size_t i = 0; i < g->report->lines.n; i++)
			printf("    | %s\n", g->report->lines.v[i]);
}

int main(int argc, char **argv)
{
	struct bochs_run_opts o = { .bochsrc = "bochsrc/ci.bochsrc", .timeout_s = DEFAULT_TIMEOUT_S,
				    .grace_s = DEFAULT_GRACE_S, .stream_fd = -1 };
	const char *guests = NULL, *tests = NULL, *capture = NULL;
	static const struct option longopts[] = {
		{ "iso", required_argument, 0, 'i' },    { "guests", required_argument, 0, 'g' },
		{ "tests", required_argument, 0, 't' },  { "bochsrc", required_argument, 0, 'r' },
		{ "bochs", required_argument, 0, 'b' },  { "timeout", required_argument, 0, 'T' },
		{ "keep-logs", required_argument, 0, 'k' }, { "stream", no_argument, 0, 's' },
		{ "capture", required_argument, 0, 'c' }, { "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	for (int c; (c = getopt_long(argc, argv, "", longopts, NULL)) != -1;) {
		char *end;
		switch (c) {
		case 'i': o.iso = optarg; break;
		case 'g': guests = optarg; break;
		case 't': tests = optarg; break;
		case 'r': o.bochsrc = optarg; break;
		case 'b': o.bochs = optarg; break;
		case 'k': o.work_dir = optarg; break;
		case 's': o.stream_fd = STDOUT_FILENO; break;
		case 'c': capture = optarg; break;
		case 'T':
			o.timeout_s = (unsigned)strtoul(optarg, &end, 10);
			if (*end || !*optarg || o.timeout_s == 0) {
				fprintf(stderr, "vexit-run: --timeout wants a whole number of seconds > 0, not '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc || !guests || (!o.iso && !capture)) {
		usage(stderr);
		return 2;
	}

	struct suite s;
	char err[1024];
	if (suite_load(&s, guests, tests, err, sizeof(err))) {
		fprintf(stderr, "vexit-run: %s\n", err);
		return 2;
	}

	char how[1024] = "";
	const char *problem = NULL;
	struct bochs_run_result r = { 0 };
	char *text;
	size_t len;
	if (capture) {
		text = file_read(capture, 1u << 30, &len);
		if (!text) {
			fprintf(stderr, "vexit-run: cannot read the capture %s: %s\n", capture, strerror(errno));
			suite_free(&s);
			return 2;
		}
	} else {
		printf("vexit-run: booting %s in Bochs (%s, timeout %u s), %zu guests\n", o.iso, o.bochsrc,
		       o.timeout_s, s.n);
		fflush(stdout);
		bochs_run(&o, &r);
		bochs_run_describe(&r, &o, how, sizeof(how));
		if (r.end == BOCHS_RUN_TIMED_OUT || r.end == BOCHS_RUN_SIGNALED || r.end == BOCHS_RUN_NOT_STARTED)
			problem = how;
		text = r.serial;
		len = r.serial_len;
	}
	suite_judge(&s, text, len, problem);
	/* Bochs's own reasons for failed entries: the run's bochs.log, or the one beside a capture. */
	char log_dir[4096] = ".";
	const char *slash = capture ? strrchr(capture, '/') : NULL;
	if (slash)
		snprintf(log_dir, sizeof(log_dir), "%.*s", (int)(slash - capture), capture);
	suite_judge_bochs_dir(&s, capture ? log_dir : r.dir);

	/* Failures last, right above the summary line, where a reader looks first. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < s.n; i++)
			if ((s.guests[i].verdict == VERDICT_FAIL) == (pass == 1))
				print_guest(&s.guests[i]);
	if (!capture)
		printf("run: %s%s%s\n", how, o.work_dir ? "; files in " : "", o.work_dir ? r.dir : "");
	for (size_t i = 0; i < s.problems.n; i++)
		printf("RUN PROBLEM: %s\n", s.problems.v[i]);
	if (!capture && s.problems.n && r.bochs_tail[0]) {
		printf("last lines Bochs printed:\n");
		for (char *save = NULL, *l = strtok_r(r.bochs_tail, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			printf("    > %s\n", l);
	}
	bool ok = suite_ok(&s);
	printf("guests: %u passed, %u failed, %u skipped\n", s.passed, s.failed, s.skipped);
	if (capture)
		free(text);
	else
		bochs_run_result_free(&r);
	suite_free(&s);
	return ok ? 0 : 1;
}
