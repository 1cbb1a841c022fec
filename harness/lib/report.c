#include "report.h"

#include <string.h>

void report_xml_escape(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			/* XML 1.0 allows only tab, LF and CR below 0x20; bytes >= 0x80 need valid UTF-8. */
			if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p >= 0x80)
				fputc('?', f);
			else
				fputc(*p, f);
		}
	}
}

size_t report_lines_shown(const struct strlist *l)
{
	if (!l)
		return 0;
	return l->n < REPORT_LINES_MAX ? l->n : REPORT_LINES_MAX;
}

void report_lines_more(FILE *f, const char *prefix, const struct strlist *l)
{
	if (l && l->n > REPORT_LINES_MAX)
		fprintf(f, "%s%zu more lines in the log\n", prefix, l->n - REPORT_LINES_MAX);
}

static const char *first_or(const struct strlist *l, const char *fallback)
{
	return l && l->n ? l->v[0] : fallback;
}

/* A line of text with no newline inside, for TAP's one-line fields. */
static void tap_text(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '\n' || *s == '#' ? ' ' : *s, f);
}

static unsigned assertions(const struct external_counts *k)
{
	return k->pass + k->fail + k->xfail + k->kfail + k->skip;
}

/* The tests count of the kernel's SUMMARY line, or "none". */
static const char *summary_tests(const struct external_counts *k, char *buf, size_t len)
{
	if (!k->summary)
		return "none";
	snprintf(buf, len, "%u", k->sum_tests);
	return buf;
}

static void tap_counts(FILE *f, const struct external_counts *k)
{
	char buf[16];
	fprintf(f, "  assertions: {pass: %u, fail: %u, listed-fail: %u, skip: %u, xfail: %u, kfail: %u, summary-tests: %s}\n",
		k->pass, k->fail, k->listed_fail, k->skip, k->xfail, k->kfail, summary_tests(k, buf, sizeof(buf)));
}

void report_tap(FILE *f, const struct report_case *c, size_t n, const struct strlist *problems)
{
	fprintf(f, "TAP version 13\n1..%zu\n", n);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%s %zu - ", c[i].verdict == VERDICT_FAIL ? "not ok" : "ok", i + 1);
		tap_text(f, c[i].name);
		fprintf(f, " [%s]", c[i].model);
		if (c[i].verdict == VERDICT_SKIP) {
			fputs(" # SKIP ", f);
			tap_text(f, first_or(c[i].why, "skipped"));
		}
		fputc('\n', f);
		if (c[i].verdict != VERDICT_FAIL) {
			if (c[i].counts) {
				fputs("  ---\n", f);
				tap_counts(f, c[i].counts);
				fputs("  ...\n", f);
			}
			continue;
		}
		fputs("  ---\n", f);
		if (c[i].counts)
			tap_counts(f, c[i].counts);
		fputs("  message: |\n", f);
		for (size_t j = 0; j < report_lines_shown(c[i].why); j++)
			fprintf(f, "    %s\n", c[i].why->v[j]);
		report_lines_more(f, "    ", c[i].why);
		if (c[i].lines && c[i].lines->n) {
			fputs("  guest: |\n", f);
			for (size_t j = 0; j < report_lines_shown(c[i].lines); j++)
				fprintf(f, "    %s\n", c[i].lines->v[j]);
			report_lines_more(f, "    ", c[i].lines);
		}
		fputs("  ...\n", f);
	}
	for (size_t i = 0; problems && i < problems->n; i++) {
		fputs("# run problem: ", f);
		tap_text(f, problems->v[i]);
		fputc('\n', f);
	}
}

static void junit_case(FILE *f, const struct report_case *c)
{
	fputs("    <testcase classname=\"vexit.", f);
	report_xml_escape(f, c->model);
	fputs("\" name=\"", f);
	report_xml_escape(f, c->name);
	fprintf(f, "\" time=\"%.3f\"", c->seconds);
	if (c->counts)
		fprintf(f, " assertions=\"%u\"", assertions(c->counts));
	if (c->verdict == VERDICT_PASS && !c->counts) {
		fputs("/>\n", f);
		return;
	}
	fputs(">\n", f);
	if (c->counts) {
		const struct external_counts *k = c->counts;
		char buf[16];
		fprintf(f, "      <properties><property name=\"pass\" value=\"%u\"/><property name=\"fail\" value=\"%u\"/>"
			"<property name=\"listed-fail\" value=\"%u\"/><property name=\"skip\" value=\"%u\"/>"
			"<property name=\"xfail\" value=\"%u\"/><property name=\"kfail\" value=\"%u\"/>"
			"<property name=\"summary-tests\" value=\"%s\"/></properties>\n",
			k->pass, k->fail, k->listed_fail, k->skip, k->xfail, k->kfail, summary_tests(k, buf, sizeof(buf)));
	}
	if (c->verdict == VERDICT_SKIP) {
		fputs("      <skipped message=\"", f);
		report_xml_escape(f, first_or(c->why, "skipped"));
		fputs("\"/>\n", f);
	} else if (c->verdict == VERDICT_FAIL) {
		fputs("      <failure message=\"", f);
		report_xml_escape(f, first_or(c->why, "failed"));
		fputs("\">", f);
		for (size_t j = 0; j < report_lines_shown(c->why); j++) {
			report_xml_escape(f, c->why->v[j]);
			fputc('\n', f);
		}
		report_lines_more(f, "", c->why);
		for (size_t j = 0; j < report_lines_shown(c->lines); j++) {
			fputs("| ", f);
			report_xml_escape(f, c->lines->v[j]);
			fputc('\n', f);
		}
		report_lines_more(f, "| ", c->lines);
		fputs("</failure>\n", f);
	}
	if (c->counts && c->lines && c->lines->n) {
		fputs("      <system-out>", f);
		for (size_t j = 0; j < c->lines->n; j++) {
			report_xml_escape(f, c->lines->v[j]);
			fputc('\n', f);
		}
		fputs("</system-out>\n", f);
	}
	fputs("    </testcase>\n", f);
}

void report_junit(FILE *f, const struct report_case *c, size_t n, const struct strlist *problems)
{
	size_t total_fail = 0, total_skip = 0;
	for (size_t i = 0; i < n; i++) {
		total_fail += c[i].verdict == VERDICT_FAIL;
		total_skip += c[i].verdict == VERDICT_SKIP;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<testsuites name=\"vexit\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\">\n", n, total_fail,
		total_skip);
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++)
			seen = strcmp(c[k].model, c[i].model) == 0;
		if (seen)
			continue;
		size_t tests = 0, fails = 0, skips = 0;
		for (size_t k = i; k < n; k++)
			if (strcmp(c[k].model, c[i].model) == 0) {
				tests++;
				fails += c[k].verdict == VERDICT_FAIL;
				skips += c[k].verdict == VERDICT_SKIP;
			}
		fputs("  <testsuite name=\"", f);
		report_xml_escape(f, c[i].model);
		fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n", tests, fails, skips);
		for (size_t k = i; k < n; k++)
			if (strcmp(c[k].model, c[i].model) == 0)
				junit_case(f, &c[k]);
		fputs("  </testsuite>\n", f);
	}
	if (problems && problems->n) {
		fputs("  <system-err>", f);
		for (size_t i = 0; i < problems->n; i++) {
			fputs("run problem: ", f);
			report_xml_escape(f, problems->v[i]);
			fputc('\n', f);
		}
		fputs("</system-err>\n", f);
	}
	fputs("</testsuites>\n", f);
}

static size_t line_end(const char *s, size_t len, size_t from)
{
	const char *nl = memchr(s + from, '\n', len - from);
	return nl ? (size_t)(nl - s) : len;
}

bool report_same_output(const char *a, size_t alen, const char *b, size_t blen, char *why, size_t whylen)
{
	if (alen == blen && memcmp(a, b, alen) == 0)
		return true;
	size_t i = 0, line = 1, bol = 0;
	while (i < alen && i < blen && a[i] == b[i]) {
		if (a[i] == '\n') {
			line++;
			bol = i + 1;
		}
		i++;
	}
	size_t ea = line_end(a, alen, bol), eb = line_end(b, blen, bol);
	snprintf(why, whylen, "output differs at line %zu: first run '%.*s'%s, repeat '%.*s'%s", line,
		 (int)(ea - bol > 200 ? 200 : ea - bol), a + bol, bol >= alen ? " (end of output)" : "",
		 (int)(eb - bol > 200 ? 200 : eb - bol), b + bol, bol >= blen ? " (end of output)" : "");
	return false;
}
