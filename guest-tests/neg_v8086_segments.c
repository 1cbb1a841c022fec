/* neg_v8086_segments: RFLAGS.VM in a 32-bit guest whose segments are not base=selector<<4, limit FFFFH, AR F3H is an entry-failure exit with reason 33 (SDM 27.3.1.2). */
#include "vexit_break.h"

VEXIT_NEGATIVE("v8086-segments", "reason=ENTRY_FAIL_GUEST_STATE", "guest_v8086_segments")
