/*
 * Parser of the vexit output protocol (docs/protocol.md): turns the text a run
 * wrote to COM1 into a run_report. Lines that do not start with "VEXIT " are
 * noise (BIOS, GRUB, panic dumps) and are ignored; malformed or out-of-order
 * protocol lines are recorded in run_report.errors, never silently dropped.
 */
#ifndef VEXIT_HARNESS_PROTOCOL_H
#define VEXIT_HARNESS_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>

#include "protocol_entry.h"
#include "strlist.h"

#define PROTOCOL_VERSION 1

struct exit_count {
	char *reason;
	unsigned long long n;
};

struct guest_report {
	char *name;
	bool ended;             /* its guest-end line was seen */
	bool has_tsc;           /* its guest-begin line carried tsc= */
	unsigned long long begin_tsc; /* the host's tick (= Bochs's) at guest-begin */
	char *stop;             /* stop token of guest-end, NULL before it */
	struct strlist fields;  /* "key=value" fields of guest-end, in order */
	struct strlist lines;   /* the guest's own lines (text after "VEXIT guest <name> ") */
	struct strlist console; /* an external kernel's console lines (text after "VEXIT console <name> ") */
	unsigned passes, fails, skips;
	struct exit_count *exits;
	size_t n_exits;
	struct strlist trace;   /* exit-trace entries in order: "<REASON> 0x<qualification>" */
	struct entry_report entry; /* entry-failure explanations (protocol_entry.h) */
};

struct run_report {
	int version;            /* from "VEXIT protocol N"; 0 when that line is missing */
	char *cpu;              /* the key=value text of the cpu line, or NULL */
	struct guest_report *guests;
	size_t n_guests;
	bool summary_seen;
	unsigned long long summary_guests, pages_leaked;
	char *panic;            /* text of the first panic line, or NULL */
	char *vmx_off;          /* the key=value text of the vmx-off line (VMX left), or NULL */
	bool end_seen;
	struct strlist errors;  /* protocol violations, each naming its line number */
};

struct guest_report;
/* The guest a per-guest line names, if it has begun and not ended; else records an error and returns NULL. */
struct guest_report *protocol_open_guest(struct run_report *r, unsigned lineno, const char *kind, const char *s,
					 size_t len);

/* Parse len bytes of captured output. Never fails: problems land in out->errors. */
void protocol_parse(const char *text, size_t len, struct run_report *out);
void run_report_free(struct run_report *r);

const struct guest_report *run_report_guest(const struct run_report *r, const char *name);
/* The value of field `key` on the guest-end line, or NULL. */
const char *guest_report_field(const struct guest_report *g, const char *key);
/* Exits of `reason` the VM took (0 when no exit-count line names it). */
unsigned long long guest_report_exits(const struct guest_report *g, const char *reason);

#endif
