/*
 * Check tests of the VMCS dump (vmcs_dump.c), the exit history (exit_history.c)
 * and the guest-image section reader (guest_section.c) behind `.vexit.break`.
 */
#include <check.h>
#include <string.h>

#include "diag/exit_history.h"
#include "diag/vmcs_dump.h"
#include "elf_image.h"
#include "hv_good_vmcs.h"
#include "hv_host_fakes.h"
#include "quiet_assert.h"
#include "run_suite.h"
#include "vm/guest_section.h"
#include "vmx/exit_reason.h"

static char buf[512];

START_TEST(test_decode_access_rights)
{
	vmcs_dump_decode(DEC_AR, 0xa09b, buf, sizeof(buf));
	ck_assert_str_eq(buf, "type=11(code-xr-a) S=1 DPL=0 P=1 AVL=0 L=1 D/B=0 G=1");
	vmcs_dump_decode(DEC_AR, 0x8b, buf, sizeof(buf));
	ck_assert_str_eq(buf, "type=11(tss-busy) S=0 DPL=0 P=1 AVL=0 L=0 D/B=0 G=0");
	vmcs_dump_decode(DEC_AR, 0x10000, buf, sizeof(buf));
	ck_assert_str_eq(buf, "unusable");
	vmcs_dump_decode(DEC_AR, 0x1c093, buf, sizeof(buf));
	ck_assert_str_eq(buf, "unusable");
	vmcs_dump_decode(DEC_AR, 0xc193, buf, sizeof(buf));
	ck_assert_str_eq(buf, "type=3(data-rw-a) S=1 DPL=0 P=1 AVL=0 L=0 D/B=1 G=1 reserved=0x100");
}
END_TEST

START_TEST(test_decode_controls_and_registers)
{
	vmcs_dump_decode(DEC_PIN, 0x56, buf, sizeof(buf));
	ck_assert_str_eq(buf, "bit1|bit2|bit4|PREEMPTION_TIMER");
	vmcs_dump_decode(DEC_PROC2, 0x82, buf, sizeof(buf));
	ck_assert_str_eq(buf, "ENABLE_EPT|UNRESTRICTED_GUEST");
	vmcs_dump_decode(DEC_ENTRY, 0x8200, buf, sizeof(buf));
	ck_assert_str_eq(buf, "IA32E_MODE_GUEST|LOAD_IA32_EFER");
	vmcs_dump_decode(DEC_CR0, 0x80000031, buf, sizeof(buf));
	ck_assert_str_eq(buf, "PE|ET|NE|PG");
	vmcs_dump_decode(DEC_RFLAGS, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "none");
	vmcs_dump_decode(DEC_EFER, 0x504, buf, sizeof(buf));
	ck_assert_str_eq(buf, "bit2|LME|LMA");
	vmcs_dump_decode(DEC_EXIT_REASON, 0x80000021, buf, sizeof(buf));
	ck_assert_str_eq(buf, "ENTRY_FAIL_GUEST_STATE|ENTRY_FAILURE");
	vmcs_dump_decode(DEC_ACTIVITY, 4, buf, sizeof(buf));
	ck_assert_str_eq(buf, "invalid");
	vmcs_dump_decode(DEC_HEX, 4, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(test_decode_truncates)
{
	char small[8];
	vmcs_dump_decode(DEC_CR0, 0x80000031, small, sizeof(small));
	ck_assert_str_eq(small, "PE|ET|N");
}
END_TEST

START_TEST(test_dump_prints_every_field)
{
	struct vmcs_snapshot s;
	hv_setup_snapshot(&s, 0);
	s.unreadable[0] = 1ull << 0; /* the first field of the table: the CPU lacks it */
	hv_fake_output_reset();
	vmcs_dump_print("g", &s);
	ck_assert(!hv_fake_output_overflowed());
	ck_assert_uint_eq(hv_fake_output_calls(), vmcs_field_count);
	const char *out = hv_fake_output();
	ck_assert_ptr_nonnull(strstr(out, "VEXIT vmcs g PIN_BASED_VM_EXEC_CONTROL unsupported\n"));
	ck_assert_ptr_nonnull(strstr(out, "VEXIT vmcs g GUEST_CS_AR_BYTES 0xa09b type=11(code-xr-a) S=1 DPL=0 P=1"));
	ck_assert_ptr_nonnull(strstr(out, "VEXIT vmcs g GUEST_RFLAGS 0x2 FIXED1\n"));
	ck_assert_ptr_nonnull(strstr(out, "VEXIT vmcs g VMCS_LINK_POINTER 0xffffffffffffffff\n"));
	for (unsigned i = 0; i < vmcs_field_count; i++)
		ck_assert_msg(strstr(out, vmcs_field_table[i].name), "%s not dumped", vmcs_field_table[i].name);
}
END_TEST

START_TEST(test_field_names)
{
	ck_assert_str_eq(VMCS_FIELD_NAME(guest_rflags), "GUEST_RFLAGS");
	ck_assert_str_eq(vmcs_field_name_at(3), "?");
	for (unsigned i = 0; i < vmcs_field_count; i++)
		for (unsigned j = i + 1; j < vmcs_field_count; j++)
			quiet_assert(vmcs_field_table[i].encoding != vmcs_field_table[j].encoding ||
					     vmcs_field_table[i].encoding == 0,
				     "%s and %s share an encoding", vmcs_field_table[i].name, vmcs_field_table[j].name);
}
END_TEST

START_TEST(test_history_keeps_the_last)
{
	struct exit_history h = { 0 };
	ck_assert_uint_eq(exit_history_kept(&h), 0);
	for (unsigned i = 0; i < EXIT_HISTORY_LEN + 4; i++)
	{
		exit_history_record(&h, EXIT_REASON_IO_INSTRUCTION + (i & 1), 0x10000 + i, 100 * i, i);
		exit_history_note_qualification(&h, i);
	}
	ck_assert_uint_eq(exit_history_kept(&h), EXIT_HISTORY_LEN);
	ck_assert_uint_eq(exit_history_at(&h, 0).qualification, 4);
	ck_assert_uint_eq(exit_history_at(&h, 0).reason, EXIT_REASON_IO_INSTRUCTION);
	ck_assert_uint_eq(exit_history_at(&h, 0).tick, (4ull << 32) | 400); /* RDTSC's halves, joined */
	ck_assert_uint_eq(exit_history_at(&h, 1).reason, EXIT_REASON_IO_INSTRUCTION + 1);
	ck_assert_uint_eq(exit_history_at(&h, EXIT_HISTORY_LEN - 1).rip, 0x10000 + EXIT_HISTORY_LEN + 3);
	ck_assert_uint_eq(exit_history_last_tick(&h), ((EXIT_HISTORY_LEN + 3ull) << 32) | (100 * (EXIT_HISTORY_LEN + 3)));
	ck_assert_uint_eq(exit_history_last_reason(&h), EXIT_REASON_IO_INSTRUCTION + 1);
	/* A slot reused by an exit whose handler reads no qualification does not show the old one. */
	exit_history_record(&h, EXIT_REASON_VMCALL, 0x20000, 0, 0);
	struct exit_record last = exit_history_at(&h, EXIT_HISTORY_LEN - 1);
	ck_assert(!last.qualification_read);
	ck_assert_uint_eq(last.qualification, 0);
	ck_assert(exit_history_at(&h, EXIT_HISTORY_LEN - 2).qualification_read);
	ck_assert_uint_eq(exit_history_at(&h, EXIT_HISTORY_LEN - 2).qualification, EXIT_HISTORY_LEN + 3);
}
END_TEST

START_TEST(test_history_print)
{
	struct exit_history h = { 0 };
	hv_fake_output_reset();
	exit_history_print("g", &h);
	ck_assert_str_eq(hv_fake_output(), "VEXIT exit-history g exits=0 kept=0\n");
	exit_history_record(&h, EXIT_REASON_VMCALL, 0x10037, 75, 0);
	exit_history_record(&h, EXIT_REASON_ENTRY_FAILURE | EXIT_REASON_ENTRY_FAIL_GUEST_STATE, 0x10064, 900, 0);
	/* The qualification is noted on the last record only (qual=- where none was read); RDTSC's halves are
	 * joined when printed. */
	exit_history_note_qualification(&h, 1);
	exit_history_record(&h, 77777, 2, 3, 5);
	exit_history_note_qualification(&h, 1);
	hv_fake_output_reset();
	exit_history_print("g", &h);
	ck_assert_str_eq(hv_fake_output(),
			 "VEXIT exit-history g exits=3 kept=3\n"
			 "VEXIT exit-record g 0 reason=VMCALL qual=- rip=0x10037 tick=75\n"
			 "VEXIT exit-record g 1 reason=ENTRY_FAIL_GUEST_STATE qual=0x1 rip=0x10064 tick=900\n"
			 "VEXIT exit-record g 2 reason=12241 qual=0x1 rip=0x2 tick=21474836483\n");
}
END_TEST

START_TEST(test_section_found)
{
	struct elf_image im;
	elf_image_build(&im, ".vexit.break", "rflags-bit1-clear", 18);
	const uint8_t *data;
	uint64_t len;
	ck_assert(guest_section_find(im.bytes, im.len, ".vexit.break", &data, &len));
	ck_assert_uint_eq(len, 18);
	ck_assert_str_eq((const char *)data, "rflags-bit1-clear");
	ck_assert(!guest_section_find(im.bytes, im.len, ".vexit.brea", &data, &len));
	ck_assert(!guest_section_find(im.bytes, im.len, ".vexit.break.x", &data, &len));
}
END_TEST

START_TEST(test_section_bad_images)
{
	struct elf_image im;
	const uint8_t *data;
	uint64_t len;
	elf_image_build(&im, ".vexit.break", "x", 2);
	ck_assert(!guest_section_find(im.bytes, 10, ".vexit.break", &data, &len));
	im.sh[1].sh_offset = 1u << 20;
	ck_assert(!guest_section_find(im.bytes, im.len, ".vexit.break", &data, &len));
	elf_image_build(&im, ".vexit.break", "x", 2);
	im.eh->e_shoff = 1u << 20;
	ck_assert(!guest_section_find(im.bytes, im.len, ".vexit.break", &data, &len));
	elf_image_build(&im, ".vexit.break", "x", 2);
	im.bytes[0] = 0;
	ck_assert(!guest_section_find(im.bytes, im.len, ".vexit.break", &data, &len));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hv_vmcs_dump");
	TCase *d = tcase_create("dump");
	tcase_add_test(d, test_decode_access_rights);
	tcase_add_test(d, test_decode_controls_and_registers);
	tcase_add_test(d, test_decode_truncates);
	tcase_add_test(d, test_dump_prints_every_field);
	tcase_add_test(d, test_field_names);
	suite_add_tcase(s, d);
	TCase *h = tcase_create("history");
	tcase_add_test(h, test_history_keeps_the_last);
	tcase_add_test(h, test_history_print);
	suite_add_tcase(s, h);
	TCase *g = tcase_create("section");
	tcase_add_test(g, test_section_found);
	tcase_add_test(g, test_section_bad_images);
	suite_add_tcase(s, g);
	return run_suite(s, CK_NORMAL);
}
