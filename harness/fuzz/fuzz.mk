# libFuzzer targets (harness/fuzz/fuzz_*.c), one per parser of bytes from outside: built with
# clang's -fsanitize=fuzzer plus ASan and UBSan. Included by the top-level Makefile, which defines
# BUILD, HV_INCLUDES, HARNESS_LIB_SRCS and HARNESS_LIB_BLOBS. make check builds them (so they do not
# rot) but never runs them; make fuzz runs each for FUZZ_TIME seconds from its seed corpus.
FUZZ_CC := clang
FUZZ_FLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -D_GNU_SOURCE -DVEXIT_HOST $(HV_INCLUDES) -Iharness/lib \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_OBJ_DIR := $(BUILD)/fuzz/obj
FUZZ_NAMES := $(patsubst harness/fuzz/fuzz_%.c,%,$(wildcard harness/fuzz/fuzz_*.c))
FUZZ_BINS := $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_NAMES))
FUZZ_TIME ?= 60

# What each target parses, beyond its own file.
FUZZ_SRCS_multiboot2 := hypervisor/kernel/multiboot2.c
FUZZ_SRCS_cmdline := hypervisor/kernel/cmdline.c
FUZZ_SRCS_guest_image := hypervisor/vm/guest_image.c hypervisor/vm/guest_section.c hypervisor/vm/guest_mem.c
FUZZ_SRCS_kernel_image := hypervisor/vm/kernel_image.c hypervisor/vm/guest_mem.c
# The harness's readers link with the whole harness library (and so its blobs: the loader, the frozen clock).
FUZZ_HARNESS_TARGETS := protocol bochs_log expect direct_boot manifest elf_symbol
$(foreach t,$(FUZZ_HARNESS_TARGETS),$(eval FUZZ_SRCS_$(t) := $(HARNESS_LIB_SRCS))$(eval FUZZ_EXTRA_$(t) := $(HARNESS_LIB_BLOBS)))

$(FUZZ_OBJ_DIR)/%.c.o: %.c Makefile harness/fuzz/fuzz.mk
	@mkdir -p $(@D)
	@echo "  FUZZCC  $@"
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

.SECONDEXPANSION:
$(BUILD)/fuzz/fuzz_%: $(FUZZ_OBJ_DIR)/harness/fuzz/fuzz_%.c.o \
		$$(addprefix $(FUZZ_OBJ_DIR)/,$$(addsuffix .o,$$(FUZZ_SRCS_$$*))) $$(FUZZ_EXTRA_$$*)
	@echo "  FUZZLD  $@"
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^

-include $(wildcard $(FUZZ_OBJ_DIR)/*/*.d $(FUZZ_OBJ_DIR)/*/*/*.d)
