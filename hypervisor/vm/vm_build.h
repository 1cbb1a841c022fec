/* Building a VM from a guest module, and tearing it down. */
#ifndef VEXIT_VM_BUILD_H
#define VEXIT_VM_BUILD_H

#include <stdbool.h>
#include <stdint.h>

#include "vm/guest_time.h"
#include "vm/multiboot_info.h"
#include "vm/vm.h"

struct vm;
struct vmx_caps;

struct vm_config {
	const struct vmx_caps *caps;
	uint64_t budget; /* guest ticks (vm/guest_time.h); 0: no budget */
	enum watchdog watchdog; /* what enforces it */
	/* Host CPU facts the guest's virtual MSRs and XCR0 follow. */
	bool nx;                 /* EFER.NXE may be set */
	bool xsave;              /* XSETBV works (the host has set CR4.OSXSAVE) */
	uint64_t xsave_mask;     /* the XCR0 components guests may enable: the CPU's (CPUID.0DH:EDX:EAX)
				  * but XCR0_NOT_OFFERED (vmx/xcr0.h); 0 without XSAVE */
	uint32_t xsave_bytes;    /* XSAVE's area for them (xsave_area_bytes), at most a page */
	bool xsaveopt;           /* CPUID.(0DH,1):EAX.XSAVEOPT */
	unsigned phys_addr_bits;
	bool tsc_adjust;         /* CPUID.(EAX=07H,ECX=0):EBX.TSC_ADJUST: the guest has IA32_TSC_ADJUST */
	/* The guest's TSC runs this many times the host's (SDM 26.3: "use TSC scaling"); 0 or 1: not scaled. */
	uint32_t tsc_scale;
	/* Entry debugging (README "Debugging"): comma lists of guest names, or "all"; NULL: none. */
	const char *precheck, *debug, *dump;
};

/* A VM named `name` of this kind with mem_size bytes (a whole number of VM_MEM_GRANULE, at most
 * VM_MEM_MAX) of zeroed memory, its devices attached and its vCPU at power-on. */
struct vm *vm_create(const struct vm_config *cfg, const char *name, enum vm_kind kind, uint64_t mem_size);
/* Host pages a VM of mem_size bytes takes, at most: a caller checks them before vm_create. */
uint64_t vm_pages_needed(uint64_t mem_size);
/* What a VM is loaded from: the guest's image and, for an external kernel, its command line (its
 * name, then its arguments) and its boot modules. More than MB1_MAX_MODULES modules (none of which
 * is then read), or any for a test guest, and vm_load refuses the image. */
struct vm_image {
	const uint8_t *data;
	uint64_t size;
	const char *cmdline;
	const struct mb1_module *mods;
	unsigned n_mods;
};

/* Load the guest image and the guest's boot structures (for an external kernel, the multiboot
 * boot information and its modules); NULL, or a `why=` token when the image is refused. */
const char *vm_load(struct vm *vm, const struct vm_image *img);
/* EPT, bitmaps and the VMCS, made current; NULL, or a `why=` token naming what this CPU lacks. */
const char *vm_setup_vmx(struct vm *vm);
/* VMCLEAR the VMCS and free every page of the VM. */
void vm_destroy(struct vm *vm);

#endif
