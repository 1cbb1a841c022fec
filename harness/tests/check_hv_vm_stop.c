/*
 * Unit tests of hypervisor/vm/vm_stop.c: the stop tokens of `VEXIT guest-end`
 * must be exactly those of the stop table in docs/protocol.md (read from the
 * file, so the document and the code cannot drift apart), and the first stop
 * of a VM wins.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_suite.h"
#include "vm/vm.h"

/* The table as the protocol document states it today. */
static const struct {
	enum vm_stop why;
	const char *token;
} stops[] = {
	{ VM_STOP_DONE, "done" },
	{ VM_STOP_HALTED, "halted" },
	{ VM_STOP_TRIPLE_FAULT, "triple-fault" },
	{ VM_STOP_BUDGET, "budget" },
	{ VM_STOP_UNHANDLED_EXIT, "unhandled-exit" },
	{ VM_STOP_EPT_VIOLATION, "ept-violation" },
	{ VM_STOP_NMI, "nmi" },
	{ VM_STOP_ENTRY_FAILED, "entry-failed" },
	{ VM_STOP_BAD_IMAGE, "bad-image" },
	{ VM_STOP_SKIPPED, "skipped" },
	{ VM_STOP_POWER_OFF, "power-off" },
};
#define N_STOPS (sizeof(stops) / sizeof(stops[0]))

START_TEST(test_every_stop_name)
{
	ck_assert_uint_eq(N_STOPS, VM_STOP_LAST); /* every kind but VM_RUNNING */
	for (size_t i = 0; i < N_STOPS; i++)
		ck_assert_str_eq(vm_stop_name(stops[i].why), stops[i].token);
	ck_assert_str_eq(vm_stop_name(VM_RUNNING), "running");
}
END_TEST

START_TEST(test_names_distinct)
{
	for (int a = VM_RUNNING; a <= VM_STOP_LAST; a++)
		for (int b = a + 1; b <= VM_STOP_LAST; b++)
			ck_assert_str_ne(vm_stop_name((enum vm_stop)a), vm_stop_name((enum vm_stop)b));
}
END_TEST

START_TEST(test_out_of_range_is_unknown)
{
	ck_assert_str_eq(vm_stop_name((enum vm_stop)(VM_STOP_LAST + 1)), "unknown");
	ck_assert_str_eq(vm_stop_name((enum vm_stop)1000), "unknown");
	ck_assert_str_eq(vm_stop_name((enum vm_stop)-1), "unknown");
}
END_TEST

/* Find docs/protocol.md from the repository root (where `make check` runs) or from below it. */
static FILE *open_protocol_doc(void)
{
	static const char *const paths[] = { "docs/protocol.md", "../docs/protocol.md", "../../docs/protocol.md" };
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		FILE *f = fopen(paths[i], "r");
		if (f)
			return f;
	}
	return NULL;
}

START_TEST(test_matches_protocol_doc)
{
	FILE *f = open_protocol_doc();
	ck_assert_msg(f != NULL, "docs/protocol.md not found: run from the repository root");
	char line[512];
	int in_section = 0;
	char doc[32][32];
	size_t n_doc = 0;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "## ", 3) == 0) {
			in_section = strncmp(line, "## Stop reasons", 15) == 0;
			continue;
		}
		/* Rows of the stop table: | `token` | when | fields | */
		if (!in_section || strncmp(line, "| `", 3) != 0)
			continue;
		const char *tok = line + 3, *end = strchr(tok, '`');
		ck_assert_ptr_nonnull(end);
		ck_assert_uint_lt((size_t)(end - tok), sizeof(doc[0]));
		ck_assert_uint_lt(n_doc, sizeof(doc) / sizeof(doc[0]));
		memcpy(doc[n_doc], tok, (size_t)(end - tok));
		doc[n_doc][end - tok] = '\0';
		n_doc++;
	}
	fclose(f);
	/* Both ways: every documented token has a stop kind, and every stop kind is documented. */
	ck_assert_uint_eq(n_doc, N_STOPS);
	for (size_t i = 0; i < n_doc; i++) {
		int found = 0;
		for (int k = VM_STOP_DONE; k <= VM_STOP_LAST; k++)
			found |= strcmp(vm_stop_name((enum vm_stop)k), doc[i]) == 0;
		ck_assert_msg(found, "docs/protocol.md stop '%s' has no vm_stop kind", doc[i]);
	}
	for (int k = VM_STOP_DONE; k <= VM_STOP_LAST; k++) {
		int found = 0;
		for (size_t i = 0; i < n_doc; i++)
			found |= strcmp(vm_stop_name((enum vm_stop)k), doc[i]) == 0;
		ck_assert_msg(found, "stop '%s' is not in docs/protocol.md", vm_stop_name((enum vm_stop)k));
	}
}
END_TEST

START_TEST(test_vm_stop_records_first)
{
	struct vm *vm = calloc(1, sizeof(*vm));
	ck_assert_ptr_nonnull(vm);
	ck_assert_int_eq(vm->stop, VM_RUNNING);
	vm_stop(vm, VM_STOP_HALTED, "rip=0x%lx", 0x10023ul);
	ck_assert_int_eq(vm->stop, VM_STOP_HALTED);
	ck_assert_str_eq(vm->stop_fields, "rip=0x10023");
	/* A later stop changes nothing. */
	vm_stop(vm, VM_STOP_TRIPLE_FAULT, "rip=0x%lx", 0x99ul);
	ck_assert_int_eq(vm->stop, VM_STOP_HALTED);
	ck_assert_str_eq(vm->stop_fields, "rip=0x10023");
	free(vm);
}
END_TEST

START_TEST(test_vm_stop_fields_formats)
{
	struct vm *vm = calloc(1, sizeof(*vm));
	ck_assert_ptr_nonnull(vm);
	vm_stop(vm, VM_STOP_UNHANDLED_EXIT, "reason=%s qual=0x%lx rip=0x%lx", "RDPMC", 0ul, 0x1003aul);
	ck_assert_str_eq(vm->stop_fields, "reason=RDPMC qual=0x0 rip=0x1003a");
	free(vm);

	vm = calloc(1, sizeof(*vm));
	ck_assert_ptr_nonnull(vm);
	vm_stop(vm, VM_STOP_BAD_IMAGE, "%s", "");
	ck_assert_int_eq(vm->stop, VM_STOP_BAD_IMAGE);
	ck_assert_str_eq(vm->stop_fields, "");
	free(vm);
}
END_TEST

START_TEST(test_vm_stop_fields_truncated)
{
	struct vm *vm = calloc(1, sizeof(*vm));
	ck_assert_ptr_nonnull(vm);
	memset(vm->stop_fields, 'Z', sizeof(vm->stop_fields));
	char why[VM_STOP_FIELDS_MAX * 2];
	memset(why, 'w', sizeof(why) - 1);
	why[sizeof(why) - 1] = '\0';
	vm_stop(vm, VM_STOP_BAD_IMAGE, "why=%s", why);
	ck_assert_uint_eq(strlen(vm->stop_fields), VM_STOP_FIELDS_MAX - 1);
	ck_assert_int_eq(strncmp(vm->stop_fields, "why=www", 7), 0);
	/* The vcpu after it is untouched. */
	ck_assert_uint_eq(vcpu_exits(&vm->vcpu), 0);
	free(vm);
}
END_TEST

static Suite *vm_stop_suite(void)
{
	Suite *s = suite_create("hv_vm_stop");
	TCase *tc = tcase_create("vm_stop");
	tcase_add_test(tc, test_every_stop_name);
	tcase_add_test(tc, test_names_distinct);
	tcase_add_test(tc, test_out_of_range_is_unknown);
	tcase_add_test(tc, test_matches_protocol_doc);
	tcase_add_test(tc, test_vm_stop_records_first);
	tcase_add_test(tc, test_vm_stop_fields_formats);
	tcase_add_test(tc, test_vm_stop_fields_truncated);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(vm_stop_suite(), CK_NORMAL);
}
