/*
 * Check tests of the harness's pure logic for selection and reports: name
 * patterns, shard assignment, the selection image, XML escaping, TAP and
 * JUnit writers, and the determinism comparison.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file_read.h"
#include "report.h"
#include "quiet_assert.h"
#include "run_suite.h"
#include "select.h"

/* What a writer printed, via an in-memory stream. */
static char *capture(void (*fn)(FILE *, const struct report_case *, size_t, const struct strlist *),
		     const struct report_case *c, size_t n, const struct strlist *problems)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	fn(f, c, n, problems);
	fclose(f);
	return buf;
}

static char *escaped(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	report_xml_escape(f, s);
	fclose(f);
	return buf;
}

START_TEST(test_patterns)
{
	ck_assert(select_match(NULL, "hello"));
	ck_assert(select_match("", "hello"));
	ck_assert(select_match("hello", "hello"));
	ck_assert(!select_match("hell", "hello"));
	ck_assert(select_match("vmcall,io_*", "io_basic"));
	ck_assert(!select_match("vmcall,io_*", "hello"));
	ck_assert(select_match("h?t", "hlt"));
	ck_assert(select_match("[ab]*", "bad_image"));
	ck_assert(!select_match(",", "hello"));
}
END_TEST

START_TEST(test_unmatched_patterns)
{
	struct strlist names = { 0 }, bad = { 0 };
	strlist_addf(&names, "hello");
	strlist_addf(&names, "io_basic");
	ck_assert_uint_eq(select_unmatched("io_*,hello", &names, &bad), 0);
	ck_assert_uint_eq(select_unmatched("io_*,nope,x*", &names, &bad), 2);
	ck_assert_str_eq(bad.v[0], "nope");
	ck_assert_str_eq(bad.v[1], "x*");
	strlist_free(&names);
	strlist_free(&bad);
}
END_TEST

START_TEST(test_shards_of_equal_cost_deal_round_robin)
{
	unsigned long long cost[9];
	for (int i = 0; i < 9; i++)
		cost[i] = SELECT_DEFAULT_COST;
	unsigned out[9];
	select_shard(9, 2, cost, out);
	unsigned count[2] = { 0 };
	for (int i = 0; i < 9; i++) {
		ck_assert_uint_eq(out[i], (unsigned)i % 2);
		count[out[i]]++;
	}
	ck_assert_uint_eq(count[0], 5);
	ck_assert_uint_eq(count[1], 4);
	select_shard(3, 1, cost, out);
	ck_assert_uint_eq(out[0] + out[1] + out[2], 0);
	select_shard(3, 4, cost, out);
	ck_assert_uint_eq(out[2], 2);
}
END_TEST

/* No shard of `used` is empty, and none past it is used. */
static void assert_shards_filled(size_t n, const unsigned *out, unsigned used)
{
	unsigned count[16] = { 0 };
	for (size_t i = 0; i < n; i++) {
		quiet_assert(out[i] < used, "item %zu in shard %u of %u", i, out[i], used);
		count[out[i]]++;
	}
	for (unsigned s = 0; s < used; s++)
		quiet_assert(count[s] > 0, "shard %u of %u is empty", s, used);
}

/*
 * `shard-with`: every placement of a pair (b runs with a, for every a and b of
 * up to 6 items), under every shard count and three cost shapes, puts the pair
 * in one shard (where the items keep their order), leaves no shard empty, and
 * uses as many shards as there are groups when fewer than asked.
 */
START_TEST(test_shard_with_keeps_pairs_together_in_every_layout)
{
	for (size_t n = 2; n <= 6; n++)
		for (size_t a = 0; a < n; a++)
			for (size_t b = 0; b < n; b++) {
				if (a == b)
					continue;
				for (unsigned shape = 0; shape < 3; shape++) {
					unsigned long long cost[12];
					size_t with[12];
					for (size_t i = 0; i < n; i++) {
						cost[i] = shape == 0 ? 1 : shape == 1 ? 1 + i % 3 : (i == a ? 16 : 1);
						with[i] = i;
					}
					with[b] = a;
					for (unsigned shards = 1; shards <= n + 1; shards++) {
						unsigned out[12];
						unsigned want = shards < n - 1 ? shards : (unsigned)(n - 1);
						ck_assert_uint_eq(select_shard_count(n, shards, with), want);
						unsigned used = select_shard_grouped(n, shards, cost, with, out);
						ck_assert_uint_eq(used, want);
						ck_assert_msg(out[a] == out[b], "n %zu pair %zu<-%zu shards %u: %u and %u", n, a,
							      b, shards, out[a], out[b]);
						assert_shards_filled(n, out, used);
					}
				}
			}
}
END_TEST

/* Chains and cycles of `shard-with` make one group each; a name that is not selected is no partner. */
START_TEST(test_shard_with_chains_and_cycles)
{
	unsigned long long cost[6] = { 1, 1, 1, 1, 1, 1 };
	size_t chain[6] = { 0, 0, 1, 2, 4, 5 }; /* 3 -> 2 -> 1 -> 0; 4 and 5 alone */
	unsigned out[6];
	ck_assert_uint_eq(select_shard_grouped(6, 4, cost, chain, out), 3);
	ck_assert(out[0] == out[1] && out[1] == out[2] && out[2] == out[3]);
	ck_assert(out[4] != out[0] && out[5] != out[0] && out[4] != out[5]);
	size_t cycle[6] = { 2, 0, 1, 3, 3, 4 }; /* 0 -> 2 -> 1 -> 0; 5 -> 4 -> 3 */
	ck_assert_uint_eq(select_shard_grouped(6, 6, cost, cycle, out), 2);
	ck_assert(out[0] == out[1] && out[1] == out[2]);
	ck_assert(out[3] == out[4] && out[4] == out[5] && out[3] != out[0]);
	/* Without partners it is select_shard itself. */
	size_t none[6] = { 0, 1, 2, 3, 4, 5 };
	unsigned plain[6];
	ck_assert_uint_eq(select_shard_grouped(6, 2, cost, none, out), 2);
	select_shard(6, 2, cost, plain);
	for (int i = 0; i < 6; i++)
		ck_assert_uint_eq(out[i], plain[i]);
}
END_TEST

START_TEST(test_a_costly_guest_is_balanced_by_fewer_companions)
{
	/* The suite's shape: one guest (index 1) costs as much as 12 ordinary ones. */
	unsigned long long cost[44];
	for (int i = 0; i < 44; i++)
		cost[i] = SELECT_DEFAULT_COST;
	cost[1] = 12;
	unsigned out[44];
	for (unsigned shards = 2; shards <= 3; shards++) {
		select_shard(44, shards, cost, out);
		unsigned long long load[3] = { 0 };
		unsigned count[3] = { 0 };
		for (int i = 0; i < 44; i++) {
			load[out[i]] += cost[i];
			count[out[i]]++;
		}
		unsigned long long lo = load[0], hi = load[0];
		for (unsigned s = 1; s < shards; s++) {
			lo = load[s] < lo ? load[s] : lo;
			hi = load[s] > hi ? load[s] : hi;
		}
		ck_assert_uint_le(hi - lo, 1); /* 55 units: as even as whole guests allow */
		for (unsigned s = 0; s < shards; s++)
			if (s != out[1])
				ck_assert_uint_gt(count[s], count[out[1]]);
	}
}
END_TEST

START_TEST(test_join_respects_the_kernel_limit)
{
	struct strlist names = { 0 };
	strlist_addf(&names, "a");
	strlist_addf(&names, "bc");
	char *s = select_join(&names);
	ck_assert_str_eq(s, "a,bc");
	free(s);
	for (int i = 0; i < 300; i++) /* 300 * 10 bytes: past the 2047-byte limit */
		strlist_addf(&names, "guest_%03d", i);
	ck_assert_ptr_null(select_join(&names));
	strlist_free(&names);
}
END_TEST

START_TEST(test_selection_image)
{
	char path[] = "/tmp/check_report.XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(select_image_write(path, "hello,vmcall"), 0);
	size_t len;
	char *img = file_read(path, SELECT_IMAGE_BYTES + 1, &len);
	ck_assert_uint_eq(len, SELECT_IMAGE_BYTES);
	ck_assert_str_eq(img, "set vexit_select=\"tests=hello,vmcall\"\n");
	free(img);
	ck_assert_int_eq(select_image_write(path, ""), 0);
	img = file_read(path, SELECT_IMAGE_BYTES + 1, &len);
	ck_assert_str_eq(img, "set vexit_select=\"\"\n");
	free(img);
	ck_assert_int_eq(select_image_write(path, "a\"; reboot; \""), -1);
	/* The image that boots one external kernel bare (grub_tree.h). */
	ck_assert_int_eq(select_bare_image_write(path, "realmode"), 0);
	img = file_read(path, SELECT_IMAGE_BYTES + 1, &len);
	ck_assert_uint_eq(len, SELECT_IMAGE_BYTES);
	ck_assert_str_eq(img, "set vexit_bare=\"realmode\"\n");
	free(img);
	ck_assert_int_eq(select_bare_image_write(path, ""), -1);
	ck_assert_int_eq(select_bare_image_write(path, "x$y"), -1);
	unlink(path);
}
END_TEST

START_TEST(test_xml_escape)
{
	char *s = escaped("a<b>&\"c\" 'd'\x01\xff\tz");
	ck_assert_str_eq(s, "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;??\tz");
	free(s);
}
END_TEST

/* Three cases (a pass, a failure with guest lines, a skip on another model) and one run problem, written by fn. */
static char *write_cases(void (*fn)(FILE *, const struct report_case *, size_t, const struct strlist *),
			 const char *problem)
{
	struct strlist why_fail = { 0 }, why_skip = { 0 }, lines = { 0 }, problems = { 0 };
	strlist_addf(&why_fail, "io_basic: expectation 'exit IO_INSTRUCTION 23': got 22, want 23");
	strlist_addf(&why_skip, "hello: skipped by the hypervisor: no-ept");
	strlist_addf(&lines, "FAIL x < y: got 1 want 2");
	strlist_addf(&problems, "%s", problem);
	struct report_case c[3] = {
		{ .model = "m1", .name = "vmcall", .verdict = VERDICT_PASS, .seconds = 0.5 },
		{ .model = "m1", .name = "io_basic", .verdict = VERDICT_FAIL, .why = &why_fail, .lines = &lines },
		{ .model = "m2", .name = "hello", .verdict = VERDICT_SKIP, .why = &why_skip },
	};
	char *text = capture(fn, c, 3, &problems);
	strlist_free(&why_fail);
	strlist_free(&why_skip);
	strlist_free(&lines);
	strlist_free(&problems);
	return text;
}

START_TEST(test_tap)
{
	char *tap = write_cases(report_tap, "truncated run # really");
	ck_assert_ptr_nonnull(strstr(tap, "TAP version 13\n1..3\nok 1 - vmcall [m1]\nnot ok 2 - io_basic [m1]\n"));
	ck_assert_ptr_nonnull(strstr(tap, "    io_basic: expectation 'exit IO_INSTRUCTION 23': got 22, want 23\n"));
	ck_assert_ptr_nonnull(strstr(tap, "  guest: |\n    FAIL x < y: got 1 want 2\n  ...\n"));
	ck_assert_ptr_nonnull(strstr(tap, "ok 3 - hello [m2] # SKIP hello: skipped by the hypervisor: no-ept\n"));
	ck_assert_ptr_nonnull(strstr(tap, "# run problem: truncated run   really\n"));
	free(tap);
}
END_TEST

/* The first line a shell command prints (xmllint from libxml2-utils, installed by ci/install-deps.sh). */
static const char *command_output(const char *cmd)
{
	static char buf[256];
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	if (!fgets(buf, sizeof(buf), p))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	pclose(p);
	return buf;
}

/* What xmllint's XPath expression `expr` (no single quote in it) gives on the XML document `xml`. */
static const char *xpath(const char *xml, const char *expr)
{
	char path[] = "/tmp/check_report_junit.XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, xml, strlen(xml)), (ssize_t)strlen(xml));
	close(fd);
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "xmllint --xpath '%s' %s 2>&1", expr, path);
	const char *out = command_output(cmd);
	unlink(path);
	return out;
}

START_TEST(test_junit)
{
	char *x = write_cases(report_junit, "the hypervisor panicked: <oops>");
	ck_assert_ptr_nonnull(strstr(x, "<testsuites name=\"vexit\" tests=\"3\" failures=\"1\" skipped=\"1\">"));
	ck_assert_ptr_nonnull(strstr(x, "<testsuite name=\"m1\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\">"
					"\n    <testcase classname=\"vexit.m1\" name=\"vmcall\" time=\"0.500\"/>"));
	ck_assert_ptr_nonnull(strstr(x, "<failure message=\"io_basic: expectation &apos;exit IO_INSTRUCTION 23"));
	ck_assert_ptr_nonnull(strstr(x, "| FAIL x &lt; y: got 1 want 2\n</failure>"));
	ck_assert_ptr_nonnull(strstr(x, "<testsuite name=\"m2\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"1\">"));
	ck_assert_ptr_nonnull(strstr(x, "<skipped message=\"hello: skipped by the hypervisor: no-ept\"/>"));
	ck_assert_ptr_nonnull(strstr(x, "<system-err>run problem: the hypervisor panicked: &lt;oops&gt;\n"));

	/* And an XML parser agrees it is well-formed, with one testcase per case. */
	ck_assert_str_eq(xpath(x, "count(//testcase)"), "3");
	free(x);
}
END_TEST


/* An external kernel's case: its assertion counts in TAP's YAML and JUnit's properties, its console as system-out. */
START_TEST(test_external_kernel_counts)
{
	struct strlist console = { 0 }, why = { 0 };
	strlist_addf(&console, "PASS: a < b");
	strlist_addf(&console, "SUMMARY: 1 tests");
	strlist_addf(&why, "msr: unexpected failure: 'FAIL: x'");
	struct external_counts k = { .pass = 1, .summary = true, .sum_tests = 1 },
			       kf = { .pass = 3, .fail = 2, .listed_fail = 1, .skip = 4, .xfail = 5, .kfail = 6 };
	struct report_case c[2] = {
		{ .model = "m1", .name = "setjmp", .verdict = VERDICT_PASS, .lines = &console, .counts = &k },
		{ .model = "m1", .name = "msr", .verdict = VERDICT_FAIL, .why = &why, .counts = &kf },
	};
	char *tap = capture(report_tap, c, 2, NULL);
	ck_assert_ptr_nonnull(strstr(tap, "ok 1 - setjmp [m1]\n  ---\n  assertions: {pass: 1, fail: 0, listed-fail: 0, "
					  "skip: 0, xfail: 0, kfail: 0, summary-tests: 1}\n  ...\nnot ok 2 - msr [m1]\n  ---\n"
					  "  assertions: {pass: 3, fail: 2, listed-fail: 1, skip: 4, xfail: 5, kfail: 6, "
					  "summary-tests: none}\n  message: |\n    msr: unexpected failure"));
	free(tap);
	char *x = capture(report_junit, c, 2, NULL);
	ck_assert_ptr_nonnull(strstr(x, "<testcase classname=\"vexit.m1\" name=\"setjmp\" time=\"0.000\" assertions=\"1\">\n"
					"      <properties><property name=\"pass\" value=\"1\"/>"));
	ck_assert_ptr_nonnull(strstr(x, "<property name=\"summary-tests\" value=\"1\"/></properties>\n"
					"      <system-out>PASS: a &lt; b\nSUMMARY: 1 tests\n</system-out>\n    </testcase>"));
	ck_assert_ptr_nonnull(strstr(x, "name=\"msr\" time=\"0.000\" assertions=\"20\">"));
	ck_assert_str_eq(xpath(x, "sum(//testcase/@assertions)"), "21");
	ck_assert_str_eq(xpath(x, "string(//testcase[@name=\"msr\"]//property[@name=\"kfail\"]/@value)"), "6");
	free(x);
	strlist_free(&console);
	strlist_free(&why);
}
END_TEST

/* A guest that printed 1000 lines (and as many FAIL reasons) contributes REPORT_LINES_MAX of each, then a count. */
START_TEST(test_lines_capped)
{
	struct strlist why = { 0 }, lines = { 0 };
	for (int i = 0; i < 1000; i++) {
		strlist_addf(&why, "flood: the guest reported FAIL %d", i);
		strlist_addf(&lines, "FAIL %d", i);
	}
	struct report_case c = { .model = "m1", .name = "flood", .verdict = VERDICT_FAIL, .why = &why, .lines = &lines };
	for (int k = 0; k < 2; k++) {
		char *text = capture(k ? report_junit : report_tap, &c, 1, NULL);
		char last[64];
		snprintf(last, sizeof(last), "FAIL %d\n", REPORT_LINES_MAX - 1);
		ck_assert_msg(strstr(text, last), "%s", text);
		snprintf(last, sizeof(last), "FAIL %d\n", REPORT_LINES_MAX);
		ck_assert_msg(!strstr(text, last), "line %d shown", REPORT_LINES_MAX);
		ck_assert_ptr_nonnull(strstr(text, k ? "\n960 more lines in the log\n" : "\n    960 more lines in the log\n"));
		ck_assert_ptr_nonnull(strstr(text, k ? "\n| 960 more lines in the log\n" : "  guest: |\n    FAIL 0\n"));
		ck_assert_uint_lt(strlen(text), 6000);
		free(text);
	}
	strlist_free(&why);
	strlist_free(&lines);
}
END_TEST

START_TEST(test_same_output)
{
	char why[512];
	ck_assert(report_same_output("a\nb\n", 4, "a\nb\n", 4, why, sizeof(why)));
	ck_assert(!report_same_output("a\nticks=5\nc\n", 12, "a\nticks=6\nc\n", 12, why, sizeof(why)));
	ck_assert_str_eq(why, "output differs at line 2: first run 'ticks=5', repeat 'ticks=6'");
	ck_assert(!report_same_output("a\nb\n", 4, "a\n", 2, why, sizeof(why)));
	ck_assert_str_eq(why, "output differs at line 2: first run 'b', repeat '' (end of output)");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");
	tcase_add_test(tc, test_patterns);
	tcase_add_test(tc, test_unmatched_patterns);
	tcase_add_test(tc, test_shards_of_equal_cost_deal_round_robin);
	tcase_add_test(tc, test_a_costly_guest_is_balanced_by_fewer_companions);
	tcase_add_test(tc, test_shard_with_keeps_pairs_together_in_every_layout);
	tcase_add_test(tc, test_shard_with_chains_and_cycles);
	tcase_add_test(tc, test_join_respects_the_kernel_limit);
	tcase_add_test(tc, test_selection_image);
	tcase_add_test(tc, test_xml_escape);
	tcase_add_test(tc, test_tap);
	tcase_add_test(tc, test_junit);
	tcase_add_test(tc, test_external_kernel_counts);
	tcase_add_test(tc, test_lines_capped);
	tcase_add_test(tc, test_same_output);
	suite_add_tcase(s, tc);
	return run_suite(s, CK_NORMAL);
}
