/*
 * VM entry and exit (hw/vmx_entry.h). The exit path stays on the host stack
 * frame vmx_run built: HOST_RSP points at it, so an exit reads the exit reason,
 * stores the guest GPRs there, calls on_exit(ctx, reason) and, when it answers 0
 * and the flag byte at ctx has
 * no VMX_CTX_FINISH bit, reloads them and VMRESUMEs; otherwise on_finish(ctx,
 * answer) says whether to resume or leave. Nothing else per exit: the host's
 * callee-saved registers are saved once per vmx_run, and C code preserves them
 * (SysV ABI), which is also why the common return reloads only the registers C
 * may clobber, and RBX (the one callee-saved register a common exit writes: CPUID).
 * One exit is answered here without C: the null hypercall (hw/vmx_entry.h).
 *
 * The stack, from HOST_RSP up:
 *   [frame: 16 GPRs by encoding] [pad] [on_exit] [on_finish] [ctx] [gpr] [r15 r14 r13 r12 rbx rbp] [return]
 * SDM Vol. 3C 28.5.3: an exit loads RSP from HOST_RSP and RIP from HOST_RIP;
 * 31.2: a failed VMLAUNCH/VMRESUME sets CF (VMfailInvalid) or ZF (VMfailValid)
 * and falls through.
 */
#include "hw/vmx_entry.h"
#include "include/vexit_abi.h"
#include "include/vmcs_fields.h"
#include "include/x86_arch.h"

#define R(n) (8 * n)(%rdi)		/* gpr[n], in vmx_run */
#define F(n) (8 * n)(%rsp)		/* frame[n], after an exit */
#define FRAME_SIZE (16 * 8)
#define ON_EXIT (FRAME_SIZE + 8)	/* offsets from HOST_RSP; the pad keeps RSP 16-byte aligned */
#define ON_FINISH (FRAME_SIZE + 16)
#define CTX (FRAME_SIZE + 24)
#define GPR (FRAME_SIZE + 32)

/* Guest GPRs to the frame but RCX, RDX and RSI, which the exit path stores first. */
.macro store_all_but_rcx_rdx_rsi
	mov %rax, F(0)
	mov %rbx, F(3)
	mov %rbp, F(5)
	mov %rdi, F(7)
	mov %r8, F(8)
	mov %r9, F(9)
	mov %r10, F(10)
	mov %r11, F(11)
	mov %r12, F(12)
	mov %r13, F(13)
	mov %r14, F(14)
	mov %r15, F(15)
.endm

	.text
	.globl vmx_run
	.type vmx_run, @function
/*
 * int vmx_run(uint64_t *gpr, const uint64_t **frame, int launched, vmx_exit_fn on_exit,
 *             vmx_finish_fn on_finish, void *ctx)
 */
vmx_run:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	push %rdi			/* gpr */
	push %r9			/* ctx */
	push %r8			/* on_finish */
	push %rcx			/* on_exit */
	sub $FRAME_SIZE + 8, %rsp	/* and the pad: RSP is 16-byte aligned, as the exit path's calls need */
	mov %rsp, (%rsi)		/* *frame: where the exit path keeps the guest's registers */
	mov $VMCS_HOST_RSP, %eax
	vmwrite %rsp, %rax
	jbe .Lfailed

	test %edx, %edx
	mov R(0), %rax
	mov R(1), %rcx
	mov R(2), %rdx
	mov R(3), %rbx
	mov R(5), %rbp
	mov R(6), %rsi
	mov R(8), %r8
	mov R(9), %r9
	mov R(10), %r10
	mov R(11), %r11
	mov R(12), %r12
	mov R(13), %r13
	mov R(14), %r14
	mov R(15), %r15
	mov R(7), %rdi			/* last: it was the base (MOV does not touch ZF from TEST) */
	jnz 1f
	vmlaunch
	jmp .Lfailed
1:	vmresume
	jmp .Lfailed

	.size vmx_run, . - vmx_run

	.globl vmx_exit_work_entry_point
	.type vmx_exit_work_entry_point, @function
vmx_exit_work_entry_point:
	mov %rsi, F(6)
	mov $VMCS_EXIT_REASON, %esi
	vmread %rsi, %rsi
	bts $VMX_EXIT_WORK_BIT, %rsi
	jmp .Lsave
	.size vmx_exit_work_entry_point, . - vmx_exit_work_entry_point

	.globl vmx_exit_entry_point
	.type vmx_exit_entry_point, @function
vmx_exit_entry_point:
	mov %rsi, F(6)			/* frame[4], RSP, is never stored: RSP lives in the VMCS */
	mov $VMCS_EXIT_REASON, %esi
	vmread %rsi, %rsi		/* SDM 31.3: it cannot fail here, nor can the VMREADs below */
	cmp $VMX_EXIT_REASON_VMCALL, %esi
	je .Lvmcall
.Lsave:
	mov %rcx, F(1)
	mov %rdx, F(2)
.Lsave_but_rcx_rdx:
	store_all_but_rcx_rdx_rsi
	mov CTX(%rsp), %rdi		/* RSI: the reason */
	call *ON_EXIT(%rsp)
	mov CTX(%rsp), %rdi
	test %eax, %eax
	jnz .Lfinish
	testb $VMX_CTX_FINISH, (%rdi)
	jnz .Lfinish
	/*
	 * RBP and R12-R15 are still the guest's: the C code preserved them, and
	 * a handler that changed their slots would have set VMX_CTX_FINISH.
	 */
.Lreload:
	mov F(0), %rax
	mov F(1), %rcx
	mov F(2), %rdx
	mov F(3), %rbx
	mov F(6), %rsi
	mov F(7), %rdi
	mov F(8), %r8
	mov F(9), %r9
	mov F(10), %r10
	mov F(11), %r11
	vmresume
	jmp .Lresume_failed

	/*
	 * VMCALL: the null hypercall is answered here (hw/vmx_entry.h), with the run loop's
	 * record of the exit and the handler's rules (exits/exit_vmcall.c): EPERM from CPL > 0
	 * and the end of an STI or MOV-SS shadow are left to C, as is a vCPU with work. RAX
	 * (the number, 0) is the answer's register; RCX, RDX and RSI are the only others used
	 * (RSI keeps the reason until the tests are passed).
	 */
.Lvmcall:
	test %rax, %rax			/* VEXIT_HC_VERSION */
	jnz .Lsave
	mov %rcx, F(1)
	mov %rdx, F(2)
	mov CTX(%rsp), %rcx
	cmpb $0, (%rcx)			/* the vCPU's work byte */
	jne .Lvmcall_in_c
	mov $VMCS_GUEST_SS_ACCESS_RIGHTS, %edx
	vmread %rdx, %rdx
	test $AR_DPL_MASK, %edx		/* the CPL is SS's DPL (SDM 25.4.1) */
	jnz .Lvmcall_in_c
	mov $VMCS_GUEST_INTERRUPTIBILITY, %edx
	vmread %rdx, %rdx
	test $(INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS), %edx
	jnz .Lvmcall_in_c
	mov VMX_CTX_EXITS(%rcx), %rsi	/* the ring's slot, from the count before this exit */
	incq VMX_CTX_EXITS(%rcx)
	and $(VMX_CTX_RING_LEN - 1), %esi
	rdtsc
	mov %eax, VMX_CTX_RING_TICK_LO(%rcx, %rsi, 4)
	mov %edx, VMX_CTX_RING_TICK_HI(%rcx, %rsi, 4)
	movl $VMX_EXIT_REASON_VMCALL, VMX_CTX_RING_REASON(%rcx, %rsi, 4)
	incq VMX_CTX_VMCALL_EXITS(%rcx)
	mov $VMCS_GUEST_RIP, %edx
	vmread %rdx, %rax
	mov %rax, VMX_CTX_RING_RIP(%rcx, %rsi, 8)
	mov $VMCS_EXIT_INSTRUCTION_LENGTH, %esi
	vmread %rsi, %rsi
	add %rsi, %rax			/* past the VMCALL (SDM 28.2.5) */
	vmwrite %rax, %rdx
	mov $VEXIT_ABI_VERSION, %eax
	mov F(1), %rcx
	mov F(2), %rdx
	mov F(6), %rsi
	vmresume
	/*
	 * It failed: the guest's registers are all live (RAX the answer); keep them in the
	 * frame (MOV leaves the flags the failure set).
	 */
	store_all_but_rcx_rdx_rsi
	jmp .Lresume_failed
.Lvmcall_in_c:				/* RCX and RDX are in the frame; RAX still holds the number, RSI the reason */
	jmp .Lsave_but_rcx_rdx

	/*
	 * VMRESUME failed; RSP is HOST_RSP, the frame: keep the registers the
	 * handler left, in gpr[], for the caller.
	 */
.Lresume_failed:
	mov $1, %eax
	jc 1f
	mov $2, %eax
1:	mov %rsp, %rsi
	mov GPR(%rsp), %rdi
	mov $16, %ecx
	cld
	rep movsq
	jmp .Lreturn
.Lfinish:
	mov %eax, %esi
	call *ON_FINISH(%rsp)
	cmp $VMX_EXIT_RESUME, %eax
	je .Lreload
	test %eax, %eax
	jz .Lleave
	mov F(5), %rbp			/* VMX_EXIT_RESUME_ALL: a handler wrote one of these */
	mov F(12), %r12
	mov F(13), %r13
	mov F(14), %r14
	mov F(15), %r15
	jmp .Lreload
.Lfailed:
	mov $1, %eax			/* CF=1: VMfailInvalid; else ZF=1: VMfailValid */
	jc .Lreturn
	mov $2, %eax
	jmp .Lreturn
.Lleave:
	xor %eax, %eax
.Lreturn:
	add $GPR + 8, %rsp		/* frame, pad, on_exit, on_finish, ctx, gpr */
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret
	.size vmx_exit_entry_point, . - vmx_exit_entry_point
