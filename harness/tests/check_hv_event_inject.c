/*
 * Unit tests of hypervisor/vmx/event_inject.c.
 *
 * Which exceptions push an error code: SDM Vol. 3A table 6-1 and 6.15 — #DF 8,
 * #TS 10, #NP 11, #SS 12, #GP 13, #PF 14, #AC 17, #CP 21. What matters for
 * injection is the VM-entry check of SDM Vol. 3C 27.2.1.3: for a hardware
 * exception, deliver-error-code must be 1 exactly for vectors 8, 10-14, 17, 21
 * (when unrestricted guest is 0 or CR0.PE is 1), else VM entry fails. Vectors
 * 22-31 are reserved on Intel; 29 (#VC) and 30 (#SX) push an error code only on
 * AMD, and setting bit 11 for them would fail VM entry: they must say no.
 *
 * The VM-entry interruption-information field (SDM Vol. 3C 25.8.3):
 *   7:0 vector   10:8 type (3 = hardware exception)   11 deliver error code
 *   30:12 reserved (0)   31 valid.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "include/vmcs_fields.h"
#include "include/x86_arch.h"
#include "run_suite.h"
#include "vmx/event_inject.h"

START_TEST(test_has_error_code_0_31)
{
	for (unsigned v = 0; v < 32; v++) {
		int want = v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21;
		ck_assert_msg(exception_has_error_code(v) == want, "vector %u: has_error_code %d", v,
			      exception_has_error_code(v));
	}
}
END_TEST

START_TEST(test_no_error_code_for_amd_only_vectors)
{
	/* #VC and #SX: AMD pushes one; Intel VM entry would refuse bit 11 with them. */
	ck_assert(!exception_has_error_code(29));
	ck_assert(!exception_has_error_code(30));
	/* Nor for the ones that look like they might: #DB 1, #NMI 2, #BP 3, #UD 6, #NM 7,
	 * coprocessor segment overrun 9, reserved 15, #MF 16, #MC 18, #XM 19, #VE 20. */
	static const unsigned none[] = { 0, 1, 2, 3, 4, 5, 6, 7, 9, 15, 16, 18, 19, 20 };
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		ck_assert_msg(!exception_has_error_code(none[i]), "vector %u", none[i]);
}
END_TEST

START_TEST(test_has_error_code_beyond_31)
{
	/* Not exceptions: never an error code. */
	static const unsigned v[] = { 32, 40, 43, 45, 46, 49, 0x80, 0xff, 0x100 + 13, 0xffffffffu };
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		ck_assert(!exception_has_error_code(v[i]));
}
END_TEST

START_TEST(test_fault_class)
{
	/* SDM Vol. 3A table 6-1: the faults; #DB may be either, #BP and #OF are traps, #DF and #MC aborts. */
	static const unsigned faults[] = { 0, 5, 6, 7, 10, 11, 12, 13, 14, 16, 17, 19, 20, 21 };
	unsigned n = 0;
	for (unsigned v = 0; v < 256; v++)
		n += exception_is_fault(v);
	ck_assert_uint_eq(n, sizeof(faults) / sizeof(faults[0]));
	for (unsigned i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		ck_assert(exception_is_fault(faults[i]));
}
END_TEST

START_TEST(test_field_constants)
{
	ck_assert_uint_eq(INTR_INFO_VALID, 0x80000000u);
	ck_assert_uint_eq(INTR_TYPE_HARDWARE_EXCEPTION, 0x300u);
	ck_assert_uint_eq(INTR_INFO_DELIVER_ERROR_CODE, 0x800u);
	ck_assert_uint_eq(VECTOR_UD, 6);
	ck_assert_uint_eq(VECTOR_GP, 13);
}
END_TEST

START_TEST(test_intr_info_known_values)
{
	ck_assert_uint_eq(exception_intr_info(VECTOR_UD), 0x80000306u);
	ck_assert_uint_eq(exception_intr_info(VECTOR_GP), 0x80000b0du);
	ck_assert_uint_eq(exception_intr_info(14), 0x80000b0eu); /* #PF */
	ck_assert_uint_eq(exception_intr_info(8), 0x80000b08u);  /* #DF */
	ck_assert_uint_eq(exception_intr_info(0), 0x80000300u);  /* #DE */
	ck_assert_uint_eq(exception_intr_info(21), 0x80000b15u); /* #CP */
	ck_assert_uint_eq(exception_intr_info(18), 0x80000312u); /* #MC */
}
END_TEST

START_TEST(test_intr_info_every_exception)
{
	for (unsigned v = 0; v < 32; v++) {
		uint32_t info = exception_intr_info(v);
		ck_assert_uint_eq(info >> 31, 1);                /* valid */
		ck_assert_uint_eq((info >> 8) & 7, 3);           /* hardware exception */
		ck_assert_uint_eq(info & 0xff, v);               /* vector */
		ck_assert_uint_eq((info >> 11) & 1, exception_has_error_code(v));
		ck_assert_uint_eq(info & 0x7ffff000u, 0);        /* 30:12 reserved: entry fails otherwise */
	}
}
END_TEST

START_TEST(test_interrupt_and_nmi_info)
{
	/* Type 0 external interrupt, type 2 NMI with vector 2 (SDM 25.8.3; 27.2.1.3 refuses an NMI of another vector). */
	ck_assert_uint_eq(external_intr_info(0x20), 0x80000020u);
	ck_assert_uint_eq(external_intr_info(0xff), 0x800000ffu);
	ck_assert_uint_eq(nmi_intr_info(), 0x80000202u);
}
END_TEST

/*
 * Every combination of what is pending and what blocks it, against the rules as the SDM states them:
 * an NMI is taken unless NMIs are blocked (by NMI, or by MOV SS: SDM 27.3.1.5; by STI too, as KVM
 * keeps it), before any maskable interrupt (Vol. 3A 6.9); a maskable one only with IF=1 and no STI or
 * MOV-SS shadow (Vol. 3A 6.8.1, 6.8.3); nothing when the entry already injects an event.
 */
START_TEST(test_choose_every_case)
{
	static const uint32_t blocks[] = { 0, INTERRUPTIBILITY_STI, INTERRUPTIBILITY_MOV_SS, INTERRUPTIBILITY_NMI,
					   INTERRUPTIBILITY_STI | INTERRUPTIBILITY_NMI };
	for (unsigned m = 0; m < 16; m++)
		for (unsigned b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++) {
			struct intr_pending p = { .nmi = m & 1, .maskable = m & 2, .entry_busy = m & 4,
						  .rflags = RFLAGS_FIXED1 | (m & 8 ? RFLAGS_IF : 0),
						  .interruptibility = blocks[b], .virtual_nmis = true };
			bool shadow = blocks[b] & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS);
			enum intr_choice want = INTR_NOTHING;
			if (!p.entry_busy && p.nmi && !shadow && !(blocks[b] & INTERRUPTIBILITY_NMI))
				want = INTR_NMI;
			else if (!p.entry_busy && p.maskable && !shadow && (m & 8))
				want = INTR_MASKABLE;
			ck_assert_msg(intr_choose(&p) == want, "pending %u block 0x%x: got %d want %d", m, blocks[b],
				      intr_choose(&p), want);
		}
}
END_TEST

START_TEST(test_windows)
{
	ck_assert_uint_eq(intr_windows(false, false, true), 0);
	ck_assert_uint_eq(intr_windows(false, true, true), PROC_INTERRUPT_WINDOW_EXITING);
	ck_assert_uint_eq(intr_windows(true, false, true), PROC_NMI_WINDOW_EXITING);
	ck_assert_uint_eq(intr_windows(true, true, true), PROC_NMI_WINDOW_EXITING | PROC_INTERRUPT_WINDOW_EXITING);
	/* Without virtual NMIs there is no NMI window (SDM 27.2.1.1): the interrupt window stands in. */
	ck_assert_uint_eq(intr_windows(true, false, false), PROC_INTERRUPT_WINDOW_EXITING);
	ck_assert_uint_eq(PROC_INTERRUPT_WINDOW_EXITING, 1u << 2);
	ck_assert_uint_eq(PROC_NMI_WINDOW_EXITING, 1u << 22);
	ck_assert_uint_eq(PIN_VIRTUAL_NMIS, 1u << 5);
}
END_TEST


/* SDM Vol. 3A 6.15, table 6-4: the classes; #CP (21) is contributory, #VE (20) counts as a page fault. */
START_TEST(test_exception_classes)
{
	for (unsigned v = 0; v < 256; v++) {
		enum exception_class want = v == 0 || (v >= 10 && v <= 13) || v == 21 ? EXCEPTION_CONTRIBUTORY
					    : v == 14 || v == 20                          ? EXCEPTION_PAGE_FAULT
											  : EXCEPTION_BENIGN;
		ck_assert_msg(exception_class(v) == want, "vector %u: class %d, want %d", v, exception_class(v), want);
	}
}
END_TEST

#define HW(v) (INTR_INFO_VALID | INTR_TYPE_HARDWARE_EXCEPTION | (v))
/* Table 6-5 in full, and Interrupt 8's shutdown: first event (entry information), second vector, result. */
START_TEST(test_combine_table)
{
	static const struct {
		uint32_t first;
		unsigned second;
		enum event_combination want;
	} t[] = {
		{ HW(13) | INTR_INFO_DELIVER_ERROR_CODE, 13, EVENTS_DOUBLE_FAULT }, /* contributory, contributory */
		{ HW(0), 11, EVENTS_DOUBLE_FAULT },
		{ HW(21) | INTR_INFO_DELIVER_ERROR_CODE, 12, EVENTS_DOUBLE_FAULT },
		{ HW(13) | INTR_INFO_DELIVER_ERROR_CODE, 14, EVENTS_SERIAL },       /* contributory, #PF */
		{ HW(13) | INTR_INFO_DELIVER_ERROR_CODE, 6, EVENTS_SERIAL },        /* contributory, benign */
		{ HW(14) | INTR_INFO_DELIVER_ERROR_CODE, 14, EVENTS_DOUBLE_FAULT }, /* #PF, #PF */
		{ HW(14) | INTR_INFO_DELIVER_ERROR_CODE, 13, EVENTS_DOUBLE_FAULT }, /* #PF, contributory */
		{ HW(20), 10, EVENTS_DOUBLE_FAULT },                                 /* #VE is a page fault's class */
		{ HW(14) | INTR_INFO_DELIVER_ERROR_CODE, 1, EVENTS_SERIAL },        /* #PF, benign */
		{ HW(6), 13, EVENTS_SERIAL },                                        /* benign, anything */
		{ HW(6), 14, EVENTS_SERIAL },
		{ HW(8) | INTR_INFO_DELIVER_ERROR_CODE, 13, EVENTS_TRIPLE_FAULT },  /* #DF, contributory: shutdown */
		{ HW(8) | INTR_INFO_DELIVER_ERROR_CODE, 14, EVENTS_TRIPLE_FAULT },  /* #DF, #PF: shutdown */
		{ HW(8) | INTR_INFO_DELIVER_ERROR_CODE, 6, EVENTS_SERIAL },         /* #DF, benign */
		/* Not hardware exceptions: benign whatever their vector. */
		{ INTR_INFO_VALID | INTR_INFO_TYPE_EXTERNAL | 13, 13, EVENTS_SERIAL },
		{ INTR_INFO_VALID | INTR_INFO_TYPE_EXTERNAL | 8, 14, EVENTS_SERIAL },
		{ INTR_INFO_VALID | INTR_INFO_TYPE_NMI | 2, 13, EVENTS_SERIAL },
		{ INTR_INFO_VALID | INTR_TYPE_SOFTWARE_INTERRUPT | 13, 13, EVENTS_SERIAL }, /* INT 13 is not a #GP */
		{ INTR_INFO_VALID | INTR_TYPE_SOFTWARE_EXCEPTION | 3, 14, EVENTS_SERIAL },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_msg(event_combine(t[i].first, t[i].second) == t[i].want, "case %zu: 0x%x then %u gives %d, want %d", i,
			      t[i].first, t[i].second, event_combine(t[i].first, t[i].second), t[i].want);
}
END_TEST

/* SDM 28.2.4 -> 27.6: what the entry re-injects for each kind of vectoring information. */
START_TEST(test_redelivery)
{
	struct entry_event e;
	ck_assert(!event_redelivery(0, 0x18, 2, &e)); /* not valid: nothing */
	ck_assert(!event_redelivery(0x7fffffff, 0x18, 2, &e));
	ck_assert_uint_eq(e.info, 0);
	/* A #GP with error code: bit 11 and the code kept, no length. */
	ck_assert(event_redelivery(HW(13) | INTR_INFO_DELIVER_ERROR_CODE, 0x18, 3, &e));
	ck_assert_uint_eq(e.info, HW(13) | INTR_INFO_DELIVER_ERROR_CODE);
	ck_assert_uint_eq(e.error_code, 0x18);
	ck_assert_uint_eq(e.instruction_length, 0);
	/* Bit 12 (undefined here) and the reserved bits 30:13 never reach the entry field (SDM 27.2.1.3). */
	ck_assert(event_redelivery(HW(14) | INTR_INFO_DELIVER_ERROR_CODE | 1u << 12 | 0x7fffe000u, 6, 0, &e));
	ck_assert_uint_eq(e.info, HW(14) | INTR_INFO_DELIVER_ERROR_CODE);
	ck_assert_uint_eq(e.error_code, 6);
	/* No error-code bit: the field's stale error code is not carried. */
	ck_assert(event_redelivery(HW(6), 0xbad, 2, &e));
	ck_assert_uint_eq(e.error_code, 0);
	ck_assert_uint_eq(e.instruction_length, 0);
	/* External interrupt and NMI: no length (the entry ignores it for them). */
	ck_assert(event_redelivery(INTR_INFO_VALID | 0x31, 0, 2, &e));
	ck_assert_uint_eq(e.info, INTR_INFO_VALID | 0x31);
	ck_assert_uint_eq(e.instruction_length, 0);
	ck_assert(event_redelivery(INTR_INFO_VALID | INTR_INFO_TYPE_NMI | 2, 0, 2, &e));
	ck_assert_uint_eq(e.instruction_length, 0);
	/* INT n, INT1, INT3/INTO: the instruction's length, for the return address past it. */
	static const uint32_t soft[] = { INTR_TYPE_SOFTWARE_INTERRUPT | 0x80, INTR_TYPE_PRIV_SOFTWARE_EXCEPTION | 1,
					 INTR_TYPE_SOFTWARE_EXCEPTION | 3, INTR_TYPE_SOFTWARE_EXCEPTION | 4 };
	for (size_t i = 0; i < sizeof(soft) / sizeof(soft[0]); i++) {
		ck_assert(event_redelivery(INTR_INFO_VALID | soft[i], 0, 2 + (uint32_t)i, &e));
		ck_assert_uint_eq(e.info, INTR_INFO_VALID | soft[i]);
		ck_assert_uint_eq(e.instruction_length, 2 + i);
	}
}
END_TEST

START_TEST(test_event_kind_names)
{
	ck_assert_str_eq(event_kind_name(INTR_INFO_VALID | 0x20), "interrupt");
	ck_assert_str_eq(event_kind_name(INTR_INFO_TYPE_NMI | 2), "nmi");
	ck_assert_str_eq(event_kind_name(HW(14)), "exception");
	ck_assert_str_eq(event_kind_name(INTR_TYPE_SOFTWARE_INTERRUPT | 0x80), "int");
	ck_assert_str_eq(event_kind_name(INTR_TYPE_PRIV_SOFTWARE_EXCEPTION | 1), "int1");
	ck_assert_str_eq(event_kind_name(INTR_TYPE_SOFTWARE_EXCEPTION | 3), "soft-exception");
	ck_assert_str_eq(event_kind_name(1u << 8), "other");
	ck_assert_str_eq(event_kind_name(7u << 8), "other");
}
END_TEST

static Suite *event_inject_suite(void)
{
	Suite *s = suite_create("hv_event_inject");
	TCase *ec = tcase_create("error_code");
	tcase_add_test(ec, test_has_error_code_0_31);
	tcase_add_test(ec, test_no_error_code_for_amd_only_vectors);
	tcase_add_test(ec, test_has_error_code_beyond_31);
	tcase_add_test(ec, test_fault_class);
	suite_add_tcase(s, ec);
	TCase *ii = tcase_create("intr_info");
	tcase_add_test(ii, test_field_constants);
	tcase_add_test(ii, test_intr_info_known_values);
	tcase_add_test(ii, test_intr_info_every_exception);
	tcase_add_test(ii, test_interrupt_and_nmi_info);
	suite_add_tcase(s, ii);
	TCase *ch = tcase_create("choose");
	tcase_add_test(ch, test_choose_every_case);
	tcase_add_test(ch, test_windows);
	suite_add_tcase(s, ch);
	TCase *re = tcase_create("redelivery");
	tcase_add_test(re, test_exception_classes);
	tcase_add_test(re, test_combine_table);
	tcase_add_test(re, test_redelivery);
	tcase_add_test(re, test_event_kind_names);
	suite_add_tcase(s, re);
	return s;
}

int main(void)
{
	return run_suite(event_inject_suite(), CK_NORMAL);
}
