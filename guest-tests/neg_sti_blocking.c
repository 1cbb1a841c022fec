/* neg_sti_blocking: blocking by STI with RFLAGS.IF clear is an entry-failure exit with reason 33 (SDM 27.3.1.5). */
#include "vexit_break.h"

VEXIT_NEGATIVE("sti-blocking-if-clear", "reason=ENTRY_FAIL_GUEST_STATE", "guest_interruptibility")
