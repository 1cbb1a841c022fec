# Host-side build: the harness library and CLI, and the Check test programs.
# Included by the top-level Makefile, which defines BUILD, HOST_CC, HOST_CFLAGS,
# CHECK_CFLAGS, CHECK_LIBS and HV_HOST_SRCS (the pure hypervisor sources the host build tests).

# Host programs link with gold (Debian 12's binutils has it), about twice as fast as ld.bfd: the 56
# sanitized unit-test programs took 19 s of CPU to link with ld.bfd, 10 s with gold (measured).
# Where the compiler finds no gold (binutils deprecated it in 2.44), they link with its default.
HOST_LDFLAGS := $(shell $(HOST_CC) -fuse-ld=gold -Wl,--version >/dev/null 2>&1 && echo -fuse-ld=gold)

HOST_OBJ_DIR := $(BUILD)/host
# The font, for reading a framebuffer's picture (screen_pixels.h), is the kernel's own.
HARNESS_LIB_SRCS := $(wildcard harness/lib/*.c) hypervisor/kernel/font.c
# The direct-boot loader (harness/lib/direct_boot.h): three sectors of 16/32-bit code, built flat and
# linked into the harness as data.
LOADER_BIN := $(BUILD)/harness/boot_sector.bin
LOADER_BLOB_OBJ := $(HOST_OBJ_DIR)/harness/boot/loader_blob.S.o
# The frozen host clock every Bochs runs with (harness/lib/frozen_clock.h): a shared object
# (FROZEN_CLOCK_SO, the Makefile's, whose ISO builds use it too), linked into the harness as data
# that it writes beside each run.
FROZEN_CLOCK_BLOB_OBJ := $(HOST_OBJ_DIR)/harness/preload/frozen_clock_blob.S.o
HARNESS_LIB_BLOBS := $(LOADER_BLOB_OBJ) $(FROZEN_CLOCK_BLOB_OBJ)
HARNESS_LIB_OBJS := $(patsubst %,$(HOST_OBJ_DIR)/%.o,$(HARNESS_LIB_SRCS)) $(HARNESS_LIB_BLOBS)
# Test support code (host stand-ins for kernel services, test-data builders) linked into every Check program.
CHECK_SUPPORT_SRCS := $(filter-out harness/tests/check_%.c,$(wildcard harness/tests/*.c))

# The unit tests are built with AddressSanitizer and UndefinedBehaviorSanitizer, and only so: a
# finding ends the test (-fno-sanitize-recover=all) and Check reports it as a failure. Their objects
# live apart (SAN_OBJ_DIR); the plain objects (HOST_OBJ_DIR) make the vexit-run of make run and the
# Bochs-booting check_guests, which are not unit tests. The page pool test_vm.c maps with MAP_32BIT
# needs nothing special: the kernel places it from 1 GiB up, clear of ASan's shadow (which starts at
# 0x7fff8000), and ASan does not check accesses inside it (it is not malloc's). The options the
# tests run with are in the Makefile, above check.
# They are compiled at -O1 (after HOST_CFLAGS' -O2), the least ASan's documentation asks for
# reasonable performance: the same checks, and about a quarter less CPU to compile these ~170 files
# (70 s, then 54 s, measured), which a fresh make check spends before its unit tests start; the
# tests run as fast (their time is in Check's forks). The warnings that need -O2's analyses still
# come from the plain and kernel builds of the same sources (the tests' own files aside).
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_OPT := -O1
# Their programs carry the sanitizer runtimes (-static-libasan -static-libubsan) instead of loading
# libasan.so and libubsan.so: no dynamic relocation of the runtimes at each start, and a leak check
# (each test's process, each vexit-run check_cli starts) that scans less: check_expect took 36%
# less CPU so, a sanitized vexit-run 37 ms instead of 58 (measured).
SAN_LDFLAGS := -static-libasan -static-libubsan
SAN_OBJ_DIR := $(BUILD)/san
SAN_HV_HOST_OBJS := $(patsubst %,$(SAN_OBJ_DIR)/%.o,$(HV_HOST_SRCS))
SAN_HARNESS_LIB_OBJS := $(patsubst %,$(SAN_OBJ_DIR)/%.o,$(HARNESS_LIB_SRCS)) $(HARNESS_LIB_BLOBS)
SAN_CHECK_SUPPORT_OBJS := $(patsubst %,$(SAN_OBJ_DIR)/%.o,$(CHECK_SUPPORT_SRCS))

$(HOST_OBJ_DIR)/%.c.o: %.c Makefile harness/harness.mk
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -Iharness/lib $(CHECK_CFLAGS) -MMD -MP -c $< -o $@
$(SAN_OBJ_DIR)/%.c.o: %.c Makefile harness/harness.mk
	@mkdir -p $(@D)
	@echo "  SANCC   $@"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $(SAN_OPT) $(SAN_FLAGS) -Iharness/lib $(CHECK_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/harness/boot_sector.o: harness/boot/boot_sector.S harness/boot/direct_boot_abi.h
	@mkdir -p $(@D)
	@echo "  AS      $@"
	$(Q)$(HOST_CC) -m32 -nostdinc -c -Iharness/boot -Wa,--fatal-warnings $< -o $@
$(LOADER_BIN): $(BUILD)/harness/boot_sector.o
	@echo "  LD      $@"
	$(Q)ld -m elf_i386 -Ttext 0x7c00 -e _start --oformat binary -o $@ $<
	$(Q)test $$(stat -c %s $@) -eq 1536 || { echo "$@: the loader must be exactly 3 sectors"; rm -f $@; exit 1; }
$(LOADER_BLOB_OBJ): harness/boot/loader_blob.S $(LOADER_BIN)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) -c -DLOADER_BIN='"$(LOADER_BIN)"' $< -o $@

$(FROZEN_CLOCK_SO): harness/preload/frozen_clock.c harness/lib/frozen_clock.h
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) -std=c11 -O2 -Wall -Wextra -Werror -Iharness/lib -shared -fPIC -o $@ $<
$(FROZEN_CLOCK_BLOB_OBJ): harness/preload/frozen_clock_blob.S $(FROZEN_CLOCK_SO)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) -c -DFROZEN_CLOCK_SO='"$(FROZEN_CLOCK_SO)"' $< -o $@

# The runner CLI: boots Bochs (direct boot or the ISO) and judges every guest test. The sanitized
# one is what check_cli runs.
HARNESS_BIN := $(BUILD)/harness/vexit-run
SAN_HARNESS_BIN := $(SAN_OBJ_DIR)/vexit-run
$(HARNESS_BIN): $(HOST_OBJ_DIR)/harness/vexit-run.c.o $(HARNESS_LIB_OBJS)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^
$(SAN_HARNESS_BIN): $(SAN_OBJ_DIR)/harness/vexit-run.c.o $(SAN_HARNESS_LIB_OBJS)
	@mkdir -p $(@D)
	@echo "  SANLD   $@"
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) $(SAN_FLAGS) $(SAN_LDFLAGS) -o $@ $^

# One Check program per harness/tests/check_*.c. check_guests and check_boot_panics boot Bochs,
# check_qemu boots QEMU (harness/qemu/qemu-boot): built plain, they need the harness library only;
# the others are unit tests of the harness library and of the hypervisor sources built for the
# host, built with the sanitizers.
CHECK_BOOT_SRCS := harness/tests/check_guests.c harness/tests/check_boot_panics.c harness/tests/check_qemu.c
CHECK_UNIT_SRCS := $(filter-out $(CHECK_BOOT_SRCS),$(wildcard harness/tests/check_*.c))
CHECK_UNIT_BINS := $(patsubst harness/tests/%.c,$(BUILD)/tests/%,$(CHECK_UNIT_SRCS))
CHECK_GUESTS_BIN := $(BUILD)/tests/check_guests
CHECK_BOOT_PANICS_BIN := $(BUILD)/tests/check_boot_panics
CHECK_QEMU_BIN := $(BUILD)/tests/check_qemu

$(CHECK_GUESTS_BIN) $(CHECK_BOOT_PANICS_BIN) $(CHECK_QEMU_BIN): $(BUILD)/tests/%: $(HOST_OBJ_DIR)/harness/tests/%.c.o \
		$(HOST_OBJ_DIR)/harness/tests/run_suite.c.o $(HOST_OBJ_DIR)/harness/tests/moved_kernel.c.o \
		$(HARNESS_LIB_OBJS)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS)
# They take the sanitized objects from one archive, so that each links only those it uses: programs a
# fifteenth of the size, linked with 40% less CPU, and cheaper to fork and to end, which Check does
# once per test (each process registers and unregisters the globals of every object linked in): the
# unit tests took about 8% less CPU so (measured). (The hypervisor sources the harness library
# shares, the font, are in it once.)
# Two things a link of every object would have refused and an archive link hides are refused here:
# a symbol defined by two members (the link takes whichever it meets first), and one a test's own
# object defines that a member defines too (the test's wins). The member list is a file rewritten
# when the list changes, so that a deleted source's object never stays in the archive.
SAN_LIB := $(SAN_OBJ_DIR)/libvexit-san.a
SAN_LIB_OBJS := $(sort $(SAN_HV_HOST_OBJS) $(SAN_CHECK_SUPPORT_OBJS) $(SAN_HARNESS_LIB_OBJS))
# The global (not weak) symbols defined in $(1), one name a line, sorted (readelf: nm takes ~0.1 s
# per object here, loading the LTO plugin each time).
san_defined = readelf -sW $(1) | awk '$$5 == "GLOBAL" && $$7 != "UND" { print $$8 }' | LC_ALL=C sort
$(SAN_LIB:.a=.list): FORCE
	@mkdir -p $(@D)
	$(Q)echo '$(SAN_LIB_OBJS)' | cmp -s - $@ || echo '$(SAN_LIB_OBJS)' > $@
$(SAN_LIB): $(SAN_LIB_OBJS) $(SAN_LIB:.a=.list)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $(SAN_LIB_OBJS)
	$(Q)$(call san_defined,$@) > $(@:.a=.syms); dups=$$(uniq -d $(@:.a=.syms)); \
	test -z "$$dups" || { echo "$@: defined in two members: $$dups"; rm -f $@; exit 1; }
$(BUILD)/tests/check_%: $(SAN_OBJ_DIR)/harness/tests/check_%.c.o $(SAN_LIB)
	@mkdir -p $(@D)
	@echo "  SANLD   $@"
	$(Q)both=$$($(call san_defined,$<) | LC_ALL=C comm -12 - $(SAN_LIB:.a=.syms)); \
	test -z "$$both" || { echo "$<: defines what $(SAN_LIB) defines too: $$both"; exit 1; }
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) $(SAN_FLAGS) $(SAN_LDFLAGS) -o $@ $^ $(CHECK_LIBS)

# check_cli runs the CLI itself (order-only: built first, not linked in).
$(BUILD)/tests/check_cli: | $(SAN_HARNESS_BIN)

-include $(patsubst %.o,%.d,$(HARNESS_LIB_OBJS) $(HOST_OBJ_DIR)/harness/vexit-run.c.o \
	$(patsubst harness/tests/%.c,$(HOST_OBJ_DIR)/harness/tests/%.c.o,$(CHECK_BOOT_SRCS)) \
	$(HOST_OBJ_DIR)/harness/tests/run_suite.c.o $(HOST_OBJ_DIR)/harness/tests/moved_kernel.c.o \
	$(filter %.c.o,$(SAN_HARNESS_LIB_OBJS)) $(SAN_HV_HOST_OBJS) $(SAN_CHECK_SUPPORT_OBJS) \
	$(SAN_OBJ_DIR)/harness/vexit-run.c.o \
	$(patsubst harness/tests/%.c,$(SAN_OBJ_DIR)/harness/tests/%.c.o,$(CHECK_UNIT_SRCS)))
