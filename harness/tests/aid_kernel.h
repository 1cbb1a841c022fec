/*
 * Test data for the measurement aid of bare runs (harness/lib/bare_aid.h): a minimal ELF32 kernel
 * whose one function, with its symbol and size, holds the given code, linked at a virtual address
 * that is not its physical one; and what Bochs's debugger prints when the aid stops at its WRMSR.
 */
#ifndef VEXIT_TESTS_AID_KERNEL_H
#define VEXIT_TESTS_AID_KERNEL_H

#include <stddef.h>

#define AID_KERNEL_VADDR 0xc0400100u /* the function's address */
#define AID_KERNEL_PADDR 0x00400100u /* where its segment loads */

/* Write dir/name: the function `symbol` (size code_len) holding `code`. */
void aid_kernel_write(const char *dir, const char *name, const char *symbol, const unsigned char *code,
		      size_t code_len);

/*
 * Bochs's output (bochs.out) of a run whose debugger stopped at physical address `at` on the
 * instruction `insn` (as Bochs disassembles it: "wrmsr"), with RCX and RAX as given, and went on
 * (as printed by Bochs 2.7 on vmexit.flat, the addresses replaced). The caller frees it.
 */
char *aid_kernel_bochs_out(unsigned at, const char *insn, unsigned long long rcx, unsigned long long rax);

#endif
