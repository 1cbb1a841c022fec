/*
 * vexit: boot, turn VMX on, run every selected guest module in a VM of its
 * own, print the summary, end the run. Command line (GRUB's multiboot2 line):
 *   tests=a,b,c   run only these guests (default: all modules)
 *   budget=N      stop a guest after N ticks of its own time, 0: none (default below; vm/guest_time.h)
 *   watchdog=apic-timer  enforce the budget with the local-APIC timer even where the preemption timer exists
 *   apic=x2apic   switch the host's local APIC to x2APIC mode first (the watchdog then speaks MSRs)
 *   precheck=a,b  run the software entry checker before these guests' VMLAUNCH and VMRESUMEs ("all": every guest)
 *   debug=a       Bochs magic breakpoints before a's VMLAUNCH and after any failed entry of a
 *   dump=a,b      dump the VMCS before these guests' first VMLAUNCH
 *   selftest=nmi  send this CPU an NMI once VMX is on: the NMI policy for host code (docs/hardware.md) runs
 *   mem.NAME=MiB  memory of external kernel NAME (2 MiB steps up to 1 GiB; default 128 MiB)
 *   budget.NAME=N guest NAME's budget, instead of budget=
 *   tscscale.NAME=N  guest NAME's TSC runs N times the host's (1 to 65535; the CPU's TSC scaling, make bench)
 * A module's string is the guest's name; for an external kernel, the name then its arguments.
 * A module whose string is `+NAME STRING` is a boot module of external kernel NAME (run/boot_modules.h).
 */
#include <stdint.h>

#include "hw/apic.h"
#include "hw/cpu.h"
#include "hw/vmcs.h"
#include "hw/vmx_insn.h"
#include "include/vexit_protocol.h"
#include "include/x86_arch.h"
#include "kernel/apic_watchdog.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/cpu_tables.h"
#include "kernel/fmt.h"
#include "kernel/kstring.h"
#include "kernel/machine_check.h"
#include "kernel/multiboot2.h"
#include "kernel/page_alloc.h"
#include "kernel/vga_text.h"
#include "kernel/panic.h"
#include "kernel/power.h"
#include "run/boot_modules.h"
#include "run/vm_run.h"
#include "vm/guest_time.h"
#include "vm/vm.h"
#include "vmx/cpuid_policy.h"
#include "vmx/vmx_caps.h"
#include "vmx/vmx_off.h"
#include "vmx/vmx_on.h"
#include "vmx/xcr0.h"

#define DEFAULT_BUDGET 20000000ull
/* The longest tests= list (the harness's SELECT_MAX_LIST must not exceed it). */
#define TESTS_OPTION_MAX 2047

extern char kernel_start[], kernel_end[]; /* linker.ld */

static struct boot_info boot;
static struct vmx_caps caps;
static struct vmx_root vmx_root;

static void mask_legacy_pic(void)
{
	/* Nothing here takes interrupts; keep the 8259s quiet so none is pending for a guest. */
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

static void memory_init(const struct boot_info *b)
{
	uint64_t k_start = (uint64_t)(uintptr_t)kernel_start, k_end = (uint64_t)(uintptr_t)kernel_end;
	bool kernel_in_ram = false;
	page_alloc_reset();
	struct mb2_region r;
	for (size_t cursor = 0; mb2_next_available(b, &cursor, &r);) {
		page_alloc_add_free(r.base, r.len);
		kernel_in_ram |= r.base <= k_start && k_end - r.base <= r.len;
	}
	/* boot/entry.S checked we run where we are linked; that place must be RAM the firmware gives us. */
	if (!kernel_in_ram)
		panic("the kernel (0x%lx-0x%lx, linked at 1 MiB) is not inside one available region of the memory map",
		      k_start, k_end);
	/* The first MiB (BIOS data, EBDA, ROMs), ourselves, GRUB's boot information and the modules. */
	page_alloc_reserve(0, 1ull << 20);
	page_alloc_reserve(k_start, k_end - k_start);
	page_alloc_reserve(b->mbi_start, b->mbi_end - b->mbi_start);
	for (size_t i = 0; i < b->n_modules; i++)
		page_alloc_reserve(b->modules[i].start, b->modules[i].end - b->modules[i].start);
	if (page_alloc_free_count() == 0)
		panic("no usable memory in the multiboot2 memory map");
}

/*
 * Without COM1 the console writes to the screen: the text screen the boot information
 * names, or with none named (a BIOS boot: GRUB and the direct-boot loader leave the
 * VGA in text mode) the VGA's own; a graphics framebuffer (GRUB under UEFI) gets
 * text drawn with vexit's font. Returns why the framebuffer cannot be drawn on, or NULL.
 */
static const char *screen_init(const struct boot_info *b)
{
	if (b && b->has_framebuffer) {
		const struct mb2_framebuffer *fb = &b->framebuffer;
		if (fb->type == MB2_FRAMEBUFFER_RGB)
			return console_use_framebuffer((volatile uint8_t *)(uintptr_t)fb->addr, fb);
		if (fb->type == MB2_FRAMEBUFFER_EGA_TEXT && fb->addr < (4ull << 30) && fb->pitch >= 2 * fb->width)
			console_use_text_screen((volatile uint16_t *)(uintptr_t)fb->addr, fb->width, fb->height,
						fb->pitch / 2);
		return NULL;
	}
	console_use_text_screen((volatile uint16_t *)(uintptr_t)VGA_TEXT_ADDR, VGA_TEXT_COLS, VGA_TEXT_ROWS,
				VGA_TEXT_COLS);
	return NULL;
}

/* What the guests' virtual CPU inherits from this one (CPUID, SDM Vol. 2). */
static void host_cpu_facts(struct vm_config *cfg)
{
	uint32_t r[4];
	cpuid(0x80000000u, 0, r);
	uint32_t max_ext = r[0];
	cfg->phys_addr_bits = 36; /* the architectural default when leaf 80000008H is absent */
	if (max_ext >= 0x80000008u) {
		cpuid(0x80000008u, 0, r);
		cfg->phys_addr_bits = r[0] & 0xff;
	}
	if (max_ext >= 0x80000001u) {
		cpuid(0x80000001u, 0, r);
		cfg->nx = r[3] & (1u << 20);
	}
	cpuid(0, 0, r);
	if (r[0] >= 7) {
		cpuid(7, 0, r);
		cfg->tsc_adjust = r[1] & CPUID7_EBX_TSC_ADJUST;
	}
	/*
	 * The guests' x87 and SSE state is switched with FXSAVE/FXRSTOR or XSAVE/XRSTOR
	 * (vm/guest_cpu_state.h): no emulation, no lazy switching (SDM Vol. 3A 2.5).
	 */
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP);
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	/* XSETBV emulation loads the guest's XCR0, and XRSTOR every component, which needs CR4.OSXSAVE. */
	cpuid(1, 0, r);
	if (!(r[2] & (1u << 26)))
		return;
	write_cr4(read_cr4() | CR4_OSXSAVE);
	cfg->xsave = true;
	cpuid(0xd, 0, r);
	cfg->xsave_mask = (((uint64_t)r[3] << 32) | r[0]) & ~XCR0_NOT_OFFERED;
	struct xsave_component comp[XCR0_COMPONENTS] = { 0 };
	for (unsigned i = 2; i < XCR0_COMPONENTS; i++) {
		if (cfg->xsave_mask >> i & 1) {
			cpuid(0xd, i, r);
			comp[i] = (struct xsave_component){ .offset = r[1], .size = r[0] };
		}
	}
	/* One page holds each VM's area: enough for every component offered (AMX's tile data is not). */
	cfg->xsave_bytes = xsave_area_bytes(cfg->xsave_mask, comp);
	if (cfg->xsave_bytes > PAGE_SIZE)
		panic("the XSAVE area of the components offered to guests (%u bytes) is larger than a page",
		      cfg->xsave_bytes);
	cpuid(0xd, 1, r);
	cfg->xsaveopt = r[0] & 1;
}

static uint64_t number_option(const char *cmdline, const char *key, uint64_t dflt, const char *unit)
{
	char buf[24];
	uint64_t v = dflt;
	if (cmdline_get(cmdline, key, buf, sizeof(buf)) && !cmdline_parse_u64(buf, &v))
		panic("%s=%s is not a decimal number of %s", key, buf, unit);
	return v;
}

/* selftest=nmi: a host NMI, which must be reported and end the run as docs/hardware.md says. */
static void self_test(const char *cmdline)
{
	char what[16];
	if (!cmdline_get(cmdline, "selftest", what, sizeof(what)))
		return;
	if (strcmp(what, "nmi") != 0)
		panic("selftest=%s: the only self-test is nmi", what);
	if (!apic_send_self_nmi())
		panic("selftest=nmi: the local APIC is disabled or in x2APIC mode");
	panic("selftest=nmi: the NMI sent to this CPU did not arrive");
}

/* What enforces the budget (vm/guest_time.h): the kernel option watchdog=apic-timer forces the fallback. */
static enum watchdog watchdog_option(const char *cmdline)
{
	char buf[24];
	bool force_apic = false;
	if (cmdline_get(cmdline, "apic", buf, sizeof(buf))) {
		if (strcmp(buf, "x2apic") != 0)
			panic("apic=%s: the only choice is apic=x2apic", buf);
		const char *why = apic_enter_x2apic();
		if (why)
			panic("apic=x2apic: %s", why);
	}
	if (cmdline_get(cmdline, "watchdog", buf, sizeof(buf))) {
		if (strcmp(buf, "apic-timer") != 0)
			panic("watchdog=%s: the only choice is watchdog=apic-timer", buf);
		force_apic = true;
	}
	bool preemption = vmx_has_preemption_timer(&caps);
	const char *why = NULL;
	if (!preemption || force_apic)
		why = apic_watchdog_init();
	if (why && force_apic)
		panic("watchdog=apic-timer: %s", why);
	return guest_time_watchdog(preemption, why == NULL, force_apic);
}

/* A per-guest option: `key.NAME=N`, or dflt. */
static uint64_t guest_option(const char *cmdline, const char *key, const char *name, uint64_t dflt, const char *unit)
{
	char k[VM_NAME_MAX + 16];
	size_t klen = strlen(key);
	memcpy(k, key, klen);
	k[klen] = '.';
	memcpy(k + klen + 1, name, strlen(name) + 1);
	return number_option(cmdline, k, dflt, unit);
}

static void run_module(const struct vm_config *all, const struct mb2_module *m)
{
	char name[VM_NAME_MAX];
	cmdline_first_word(m->cmdline, name, sizeof(name));
	struct vm_config cfg = *all;
	cfg.budget = guest_option(boot.cmdline, "budget", name, all->budget, "ticks");
	uint64_t scale = guest_option(boot.cmdline, "tscscale", name, 1, "times");
	if (scale < 1 || scale > 0xffff)
		panic("tscscale.%s=%lu: the TSC scale is a whole number from 1 to 65535", name, scale);
	cfg.tsc_scale = (uint32_t)scale;
	uint64_t mib = guest_option(boot.cmdline, "mem", name, 0, "MiB");
	if (mib % (VM_MEM_GRANULE >> 20) || mib > (VM_MEM_MAX >> 20))
		panic("mem.%s=%lu: guest memory is a whole number of 2 MiB, at most %llu MiB", name, mib,
		      VM_MEM_MAX >> 20);
	struct mb1_module mods[MB1_MAX_MODULES];
	/* More than mods holds: vm_load refuses the guest (too-many-modules) before reading any. */
	unsigned n_mods = boot_modules_of(boot.modules, boot.n_modules, name, mods, MB1_MAX_MODULES);
	struct vm_image img = { (const uint8_t *)(uintptr_t)m->start, m->end - m->start, m->cmdline, mods, n_mods };
	vm_run_module(&cfg, name, &img, mib << 20);
}

void kmain(uint32_t magic, uint64_t mbi);

void kmain(uint32_t magic, uint64_t mbi)
{
	console_init();
	cpu_tables_init();
	machine_check_enable(); /* from now on a machine check is a reported #MC, not a silent shutdown */
	mask_legacy_pic();
	/* The boot information first: it says where the screen is, and the screen must have the first line too. */
	const char *err = magic == MB2_BOOTLOADER_MAGIC ? mb2_parse((const void *)(uintptr_t)mbi, &boot) : NULL;
	const struct boot_info *info = magic == MB2_BOOTLOADER_MAGIC && !err ? &boot : NULL;
	const char *no_screen = screen_init(info);
	/* Before any panic: how to power off (the BIOS areas when the loader gave no RSDP). */
	power_init(info ? info->rsdp : NULL, info ? info->rsdp_len : 0);
	kprintf("VEXIT protocol %d\n", VEXIT_PROTOCOL_VERSION);
	if (no_screen) /* only the debug port, if any, can carry this */
		kprintf("vexit: the framebuffer is not drawn on: %s\n", no_screen);
	if (magic != MB2_BOOTLOADER_MAGIC)
		panic("not booted by a multiboot2 loader (magic 0x%x)", magic);
	if (err)
		panic("multiboot2 boot information: %s", err);
	memory_init(&boot);

	if ((err = vmx_on(&caps, &vmx_root)))
		panic("%s", err);
	enum watchdog watchdog = watchdog_option(boot.cmdline);
	kprintf("VEXIT cpu vmx-revision=0x%x ept=%s ug=%s preemption-timer=%s watchdog=%s\n", vmx_revision_id(&caps),
		vmx_has_ept(&caps) ? "yes" : "no", vmx_has_unrestricted_guest(&caps) ? "yes" : "no",
		vmx_has_preemption_timer(&caps) ? "yes" : "no", guest_time_watchdog_name(watchdog));

	self_test(boot.cmdline);

	static char tests[TESTS_OPTION_MAX + 2]; /* one byte more, to tell a list that was cut short */
	int selected = cmdline_get(boot.cmdline, "tests", tests, sizeof(tests));
	if (selected && strlen(tests) > TESTS_OPTION_MAX)
		panic("tests= is longer than %d bytes: guests would be dropped silently", TESTS_OPTION_MAX);
	struct vm_config cfg = { .caps = &caps, .budget = number_option(boot.cmdline, "budget", DEFAULT_BUDGET, "ticks"),
				  .watchdog = watchdog };
	host_cpu_facts(&cfg);
	char precheck[256], debug[256], dump[256];
	cfg.precheck = cmdline_get(boot.cmdline, "precheck", precheck, sizeof(precheck)) ? precheck : NULL;
	cfg.debug = cmdline_get(boot.cmdline, "debug", debug, sizeof(debug)) ? debug : NULL;
	cfg.dump = cmdline_get(boot.cmdline, "dump", dump, sizeof(dump)) ? dump : NULL;
	const struct mb2_module *orphan = boot_module_orphan(boot.modules, boot.n_modules);
	if (orphan)
		panic("boot module '%s' names no guest among the modules", orphan->cmdline);
	size_t free_before = page_alloc_free_count();
	unsigned guests = 0;
	for (size_t i = 0; i < boot.n_modules; i++) {
		const struct mb2_module *m = &boot.modules[i];
		if (boot_module_is_attached(m))
			continue;
		char name[VM_NAME_MAX];
		cmdline_first_word(m->cmdline, name, sizeof(name));
		if (selected && !cmdline_list_has(tests, name))
			continue;
		run_module(&cfg, m);
		guests++;
	}
	size_t free_after = page_alloc_free_count();
	kprintf("VEXIT summary guests=%u pages-leaked=%ld\n", guests, (long)(free_before - free_after));
	power_off_prepare(); /* before the last line; power_off's own call then does nothing */
	kprintf("VEXIT end\n");
	power_off();
}

static const char *vmx_result_name(enum vmx_result r)
{
	return r == VMX_OK ? "ok" : r == VMX_FAIL_VALID ? "fail-valid" : "fail-invalid";
}

void power_off_prepare(void)
{
	struct vmx_off_report r;
	if (!vmx_off(&vmx_root, &r))
		return;
	char vmcs[24] = "none";
	if (r.cleared_vmcs != VMCS_NONE)
		fmt_snprintf(vmcs, sizeof(vmcs), "0x%lx", r.cleared_vmcs);
	kprintf("VEXIT vmx-off vmcs=%s vmclear=%s vmxoff=%s cr4.vmxe=%d vmread=%s\n", vmcs,
		vmx_result_name(r.vmclear), vmx_result_name(r.vmxoff), !r.vmxe_cleared,
		r.vmread_ud ? "ud" : "no-fault");
}

void vmcs_access_failed(const char *op, uint32_t field, uint64_t value)
{
	uint64_t error = 0;
	vmread_checked(VMCS_VM_INSTRUCTION_ERROR, &error);
	panic("%s of field 0x%x (value 0x%lx) failed: VM-instruction error %lu", op, field, value, error);
}

void page_alloc_misuse(const char *what, uint64_t addr)
{
	panic("page allocator: %s of 0x%lx", what, addr);
}
