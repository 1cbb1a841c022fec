#include "suite_bare.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bare_aid.h"
#include "file_read.h"
#include "verdict_external.h"

#define BOCHS_OUT_MAX (64u << 20)

char *suite_bare_capture(const char *name, const char *raw, size_t len, const char *stop)
{
	struct strlist out = { 0 };
	strlist_addf(&out, "VEXIT protocol %d", PROTOCOL_VERSION);
	strlist_addf(&out, "VEXIT guest-begin %s", name);
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(raw + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - raw) : len, n = end - at;
		if (n && raw[at + n - 1] == '\r')
			n--;
		if (n && !memchr(raw + at, '\0', n))
			strlist_addf(&out, "VEXIT console %s %.*s", name, (int)n, raw + at);
		at = end + 1;
	}
	if (stop)
		strlist_addf(&out, "VEXIT guest-end %s %s", name, stop);
	strlist_addf(&out, "%s", "");
	char *text = strlist_join(&out, "\n");
	strlist_free(&out);
	return text;
}

/* How the bare kernel ended: "end-line", "shutdown", or NULL when it did not end by itself. */
static const char *bare_stop(const struct manifest_entry *e, const struct bochs_run_result *r)
{
	if (e->end_line) {
		char *line = xrealloc(NULL, strlen(e->end_line) + 2);
		snprintf(line, strlen(e->end_line) + 2, "\n%s", e->end_line);
		bool seen = memmem(r->serial, r->serial_len, line, strlen(line)) != NULL ||
			    strncmp(r->serial, line + 1, strlen(line + 1)) == 0;
		free(line);
		if (seen)
			return "end-line";
	}
	/* Bochs's shutdown port (0x8900) ends it with this panic, made fatal; nothing else prints it. */
	if (r->end == BOCHS_RUN_EXITED && strstr(r->bochs_tail, "Shutdown port: shutdown requested"))
		return "shutdown";
	return NULL;
}

/* The manifest's bare-aid: it must have acted as bare_aid.h says, or the run measured something else. */
static void check_aid(struct suite_guest *g, const struct bochs_run_result *r)
{
	char why[PATH_MAX + 256];
	uint64_t at;
	size_t len;
	char *cmds = bare_aid_commands(g->image, &at, why, sizeof(why));
	char *out = cmds ? file_read(r->out_path, BOCHS_OUT_MAX, &len) : NULL;
	if (cmds && !out)
		snprintf(why, sizeof(why), "cannot read Bochs's output %s: %s", r->out_path, strerror(errno));
	if (!cmds || !out || bare_aid_acted(out, at, why, sizeof(why)))
		strlist_addf(&g->why, "%s: bare-aid = %s: %s", g->name, BARE_AID_KEEP_APIC, why);
	free(cmds);
	free(out);
}

bool suite_judge_bare(struct suite *s, const struct bochs_run_opts *o, const struct bochs_run_result *r, char *how,
		      size_t how_len)
{
	bochs_run_describe(r, o, how, how_len);
	run_report_free(&s->run);
	strlist_free(&s->problems);
	s->passed = s->failed = s->skipped = 0;
	struct suite_guest *g = &s->guests[0];
	strlist_free(&g->why);
	strlist_free(&g->notes);
	const char *stop = bare_stop(g->ext, r);
	if (!stop && r->end != BOCHS_RUN_EXITED)
		strlist_addf(&s->problems, "%s", how);
	char *capture = suite_bare_capture(g->name, r->serial, r->serial_len, stop);
	protocol_parse(capture, strlen(capture), &s->run);
	free(capture);
	g->report = run_report_guest(&s->run, g->name);
	/* Bare, nothing is missing that vexit lacks: the manifest's needs and stops are vexit's. */
	struct manifest_entry bare = *g->ext;
	bare.needs = bare.stops = NULL;
	g->verdict = verdict_external(&bare, g->report, &g->why, &g->notes, &g->counts);
	if (!stop && !r->serial_len)
		strlist_addf(&g->why, "%s: printed nothing on COM1 bare", g->name);
	else if (!stop)
		strlist_addf(&g->why, "%s: did not end by itself bare (%s%s%s, no exit through Bochs's shutdown port)",
			     g->name, g->ext->end_line ? "no '" : "no end line in its manifest entry",
			     g->ext->end_line ? g->ext->end_line : "", g->ext->end_line ? "' line" : "");
	if (g->ext->bare_keep_apic)
		check_aid(g, r);
	if (memmem(r->serial, r->serial_len, SUITE_BARE_GRUB_FAILED, strlen(SUITE_BARE_GRUB_FAILED)))
		strlist_addf(&g->why, "%s: GRUB could not boot it (see bochs.out)", g->name);
	if (g->why.n && g->verdict == VERDICT_PASS)
		g->verdict = VERDICT_FAIL;
	s->passed = g->verdict == VERDICT_PASS;
	s->failed = g->verdict == VERDICT_FAIL;
	s->skipped = g->verdict == VERDICT_SKIP;
	return suite_ok(s);
}
