#include "expect.h"

#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_read.h"
#include "strlist.h"

#define EXPECT_SECTION ".vexit.expect"
#define MAX_IMAGE_BYTES (64u << 20)

static int fail(char *err, size_t errlen, const char *fmt, const char *arg)
{
	snprintf(err, errlen, fmt, arg);
	return -1;
}

static bool is_token(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s == ' ' || *s == '\t' || *s == '=')
			return false;
	return true;
}

/* `feature` or `key=value`: one token with at most one '=', not at either end. */
static bool is_need(const char *s)
{
	const char *eq = strchr(s, '=');
	if (!eq)
		return is_token(s);
	if (eq == s || !eq[1] || strchr(eq + 1, '='))
		return false;
	char *key = xstrndup(s, (size_t)(eq - s));
	bool ok = is_token(key) && is_token(eq + 1);
	free(key);
	return ok;
}

static int parse_count(const char *s, unsigned long long *n)
{
	if (*s < '0' || *s > '9')
		return -1;
	char *end;
	errno = 0;
	*n = strtoull(s, &end, 10);
	return (*end || errno) ? -1 : 0;
}

/* Decimal, or hexadecimal after 0x (never octal: "010" is ten). */
static int parse_qualification(const char *s, unsigned long long *q)
{
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *digits = hex ? s + 2 : s;
	if (!*digits)
		return -1;
	for (const char *p = digits; *p; p++)
		if (!(hex ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p)))
			return -1;
	errno = 0;
	*q = strtoull(digits, NULL, hex ? 16 : 10);
	return errno ? -1 : 0;
}

int expect_parse(const char *text, struct expectation *e, char *err, size_t errlen)
{
	*e = (struct expectation){ 0 };
	char *copy = xstrndup(text, strlen(text));
	char *sp = strchr(copy, ' ');
	char *arg = sp ? sp + 1 : copy + strlen(copy);
	if (sp)
		*sp = '\0';
	int rc = -1;
	if (strcmp(copy, "stop") == 0 || strcmp(copy, "needs") == 0) {
		if (copy[0] == 's' ? !is_token(arg) : !is_need(arg)) {
			fail(err, errlen,
			     copy[0] == 's' ? "'%s': want 'stop <token>'" : "'%s': want 'needs <feature>' or 'needs <key>=<value>'",
			     text);
			goto out;
		}
		e->kind = copy[0] == 's' ? EXPECT_STOP : EXPECT_NEEDS;
		e->key = xstrndup(arg, strlen(arg));
	} else if (strcmp(copy, "status") == 0 || strcmp(copy, "asserts") == 0 || strcmp(copy, "cost") == 0) {
		e->kind = copy[0] == 's' ? EXPECT_STATUS : copy[0] == 'a' ? EXPECT_ASSERTS : EXPECT_COST;
		if (parse_count(arg, &e->n)) {
			fail(err, errlen, "'%s': want a decimal number", text);
			goto out;
		}
		/* A cost of 0 would let a shard end up with no guest at all (select_shard). */
		if (e->kind == EXPECT_COST && (e->n < 1 || e->n > EXPECT_COST_MAX)) {
			fail(err, errlen, "'%s': want a cost from 1 to " EXPECT_COST_MAX_TEXT, text);
			goto out;
		}
	} else if (strcmp(copy, "exit") == 0) {
		char *sp2 = strchr(arg, ' ');
		if (!sp2) {
			fail(err, errlen, "'%s': want 'exit <REASON> <n>'", text);
			goto out;
		}
		*sp2 = '\0';
		if (!is_token(arg) || parse_count(sp2 + 1, &e->n)) {
			fail(err, errlen, "'%s': want 'exit <REASON> <n>'", text);
			goto out;
		}
		e->kind = EXPECT_EXIT;
		e->key = xstrndup(arg, strlen(arg));
	} else if (strcmp(copy, "trace") == 0) {
		/* trace <index> <REASON> <qualification> */
		char idx[24], reason[64], qual[24], extra[2];
		unsigned long long q;
		if (sscanf(arg, "%23s %63s %23s %1s", idx, reason, qual, extra) != 3 || parse_count(idx, &e->n) ||
		    !is_token(reason) || parse_qualification(qual, &q)) {
			fail(err, errlen, "'%s': want 'trace <index> <REASON> <qualification>'", text);
			goto out;
		}
		e->kind = EXPECT_TRACE;
		e->key = xstrndup(reason, strlen(reason));
		char v[96];
		snprintf(v, sizeof(v), "%s 0x%llx", reason, q);
		e->value = xstrndup(v, strlen(v));
	} else if (strcmp(copy, "history") == 0) {
		/* history <seq> <REASON> <qualification or -> */
		char seq[24], reason[64], qual[24], extra[2];
		unsigned long long n, q = 0;
		if (sscanf(arg, "%23s %63s %23s %1s", seq, reason, qual, extra) != 3 || parse_count(seq, &n) ||
		    !is_token(reason) || (strcmp(qual, "-") != 0 && parse_qualification(qual, &q))) {
			fail(err, errlen, "'%s': want 'history <seq> <REASON> <qualification or ->'", text);
			goto out;
		}
		e->kind = EXPECT_HISTORY;
		e->n = n;
		e->key = xstrndup(reason, strlen(reason));
		char v[128];
		if (strcmp(qual, "-") == 0)
			snprintf(v, sizeof(v), "%llu %s -", n, reason);
		else
			snprintf(v, sizeof(v), "%llu %s 0x%llx", n, reason, q);
		e->value = xstrndup(v, strlen(v));
	} else if (strcmp(copy, "field") == 0) {
		char *eq = strchr(arg, '=');
		if (!eq || eq == arg || strchr(arg, ' ') || strchr(eq + 1, '=')) {
			fail(err, errlen, "'%s': want 'field <key>=<value>'", text);
			goto out;
		}
		e->kind = EXPECT_FIELD;
		e->key = xstrndup(arg, (size_t)(eq - arg));
		e->value = xstrndup(eq + 1, strlen(eq + 1));
	} else if (strcmp(copy, "entry-rule") == 0 || strcmp(copy, "shard-with") == 0) {
		bool rule = copy[0] == 'e';
		/* entry-rule <rule> [bochs=<family>]: the second word names a documented Bochs deviation. */
		char *sp = rule ? strchr(arg, ' ') : NULL;
		const char *bochs = sp ? sp + 1 : NULL;
		if (sp)
			*sp = '\0';
		if (!is_token(arg) || (bochs && (strncmp(bochs, "bochs=", 6) != 0 || !is_token(bochs + 6)))) {
			fail(err, errlen,
			     rule ? "'%s': want 'entry-rule <rule>' or 'entry-rule <rule> bochs=<family>'"
				  : "'%s': want 'shard-with <guest>'",
			     text);
			goto out;
		}
		e->kind = rule ? EXPECT_ENTRY_RULE : EXPECT_SHARD_WITH;
		e->key = xstrndup(arg, strlen(arg));
		if (bochs)
			e->value = xstrndup(bochs + 6, strlen(bochs + 6));
	} else {
		fail(err, errlen, "'%s': unknown expectation (want stop, status, exit, field, asserts, trace, history, needs, entry-rule, cost or shard-with)",
		     text);
		goto out;
	}
	e->text = xstrndup(text, strlen(text));
	rc = 0;
out:
	free(copy);
	if (rc)
		expectation_free(e);
	return rc;
}

int expect_parse_section(const char *data, size_t len, struct expect_set *out, char *err, size_t errlen)
{
	*out = (struct expect_set){ 0 };
	if (len && data[len - 1] != '\0')
		return fail(err, errlen, "%s section does not end with a NUL byte", EXPECT_SECTION);
	for (size_t off = 0; off < len;) {
		const char *s = data + off;
		size_t n = strlen(s);
		off += n + 1;
		if (n == 0)
			continue;
		struct expectation e;
		if (expect_parse(s, &e, err, errlen)) {
			expect_set_free(out);
			return -1;
		}
		out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		out->v[out->n++] = e;
	}
	return 0;
}

int expect_read_elf(const unsigned char *img, size_t len, struct expect_set *out, char *err, size_t errlen)
{
	*out = (struct expect_set){ 0 };
	Elf64_Ehdr eh;
	if (len < sizeof(eh) || memcmp(img, ELFMAG, SELFMAG) != 0)
		return fail(err, errlen, "%s", "not an ELF file");
	memcpy(&eh, img, sizeof(eh));
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB)
		return fail(err, errlen, "%s", "not a little-endian ELF64 file");
	if (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shnum == 0 || eh.e_shoff > len ||
	    (size_t)eh.e_shnum * sizeof(Elf64_Shdr) > len - eh.e_shoff || eh.e_shstrndx >= eh.e_shnum)
		return fail(err, errlen, "%s", "section header table missing or out of the file");
	Elf64_Shdr strtab;
	memcpy(&strtab, img + eh.e_shoff + (size_t)eh.e_shstrndx * sizeof(Elf64_Shdr), sizeof(strtab));
	if (strtab.sh_offset > len || strtab.sh_size > len - strtab.sh_offset)
		return fail(err, errlen, "%s", "section name table out of the file");
	const char *names = (const char *)img + strtab.sh_offset;
	for (unsigned i = 0; i < eh.e_shnum; i++) {
		Elf64_Shdr sh;
		memcpy(&sh, img + eh.e_shoff + (size_t)i * sizeof(Elf64_Shdr), sizeof(sh));
		if (sh.sh_name >= strtab.sh_size)
			continue;
		const char *name = names + sh.sh_name;
		if (strnlen(name, strtab.sh_size - sh.sh_name) != strlen(EXPECT_SECTION) ||
		    strcmp(name, EXPECT_SECTION) != 0)
			continue;
		if (sh.sh_type == SHT_NOBITS || sh.sh_offset > len || sh.sh_size > len - sh.sh_offset)
			return fail(err, errlen, "%s section out of the file", EXPECT_SECTION);
		return expect_parse_section((const char *)img + sh.sh_offset, sh.sh_size, out, err, errlen);
	}
	return fail(err, errlen, "no %s section (declare expectations with EXPECT(...))", EXPECT_SECTION);
}

int expect_read_image(const char *path, struct expect_set *out, char *err, size_t errlen)
{
	*out = (struct expect_set){ 0 };
	size_t len;
	unsigned char *img = (unsigned char *)file_read(path, MAX_IMAGE_BYTES, &len);
	if (!img) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	int rc = expect_read_elf(img, len, out, err, errlen);
	free(img);
	return rc;
}

void expectation_free(struct expectation *e)
{
	free(e->text);
	free(e->key);
	free(e->value);
	*e = (struct expectation){ 0 };
}

void expect_set_free(struct expect_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		expectation_free(&s->v[i]);
	free(s->v);
	*s = (struct expect_set){ 0 };
}
