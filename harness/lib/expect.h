/*
 * Guest-test expectations (docs/protocol.md, "Guest expectations"): the
 * NUL-separated strings of a guest image's .vexit.expect ELF section, read from
 * the image file on the host so that the hypervisor cannot vouch for itself.
 */
#ifndef VEXIT_HARNESS_EXPECT_H
#define VEXIT_HARNESS_EXPECT_H

#include <stddef.h>

enum expect_kind {
	EXPECT_STOP, EXPECT_STATUS, EXPECT_EXIT, EXPECT_FIELD, EXPECT_ASSERTS, EXPECT_TRACE, EXPECT_HISTORY, EXPECT_NEEDS,
	EXPECT_ENTRY_RULE,
	EXPECT_COST, /* not a check: how long the guest takes, in ordinary guests, for balancing shards (select.h) */
	EXPECT_SHARD_WITH /* not a check: run in the same shard as the guest named in key, when both run (select.h) */
};

/* `entry-rule <rule> bochs=entered`: Bochs enters a VMCS the SDM refuses; the rule is judged after the breakage. */
#define EXPECT_BOCHS_ENTERED "entered"

/* The largest `cost <n>` (relative to an ordinary guest, which costs 1). */
#define EXPECT_COST_MAX 1000000u
#define EXPECT_COST_MAX_TEXT "1000000"

struct expectation {
	enum expect_kind kind;
	char *text;               /* the expectation as written, for messages */
	char *key;                /* STOP: token; EXIT, TRACE: reason; FIELD: key; NEEDS: CPU feature; ENTRY_RULE: rule; SHARD_WITH: guest */
	char *value;              /* FIELD: value; TRACE: "<REASON> 0x<qualification>"; HISTORY: "<seq> <REASON> <qual>"
				     (qual 0x<hex> or -); ENTRY_RULE: Bochs's family
				     where Bochs deviates from the SDM (bochs=), EXPECT_BOCHS_ENTERED where Bochs
				     enters anyway, else NULL */
	unsigned long long n;     /* STATUS, EXIT, ASSERTS, COST; TRACE: the entry's index */
};

struct expect_set {
	struct expectation *v;
	size_t n;
};

/* Parse one expectation; 0 on success, else -1 with a reason in err. */
int expect_parse(const char *text, struct expectation *e, char *err, size_t errlen);
/* Parse the contents of a .vexit.expect section (empty strings are padding, skipped). */
int expect_parse_section(const char *data, size_t len, struct expect_set *out, char *err, size_t errlen);
/* Read the section from an ELF64 guest image file. */
int expect_read_image(const char *path, struct expect_set *out, char *err, size_t errlen);
/* The same, from an image already in memory. */
int expect_read_elf(const unsigned char *img, size_t len, struct expect_set *out, char *err, size_t errlen);
void expect_set_free(struct expect_set *s);
void expectation_free(struct expectation *e);

#endif
