/* neg_es_ar_reserved: a reserved access-rights bit (8) of a usable ES is an entry-failure exit with reason 33 (SDM 27.3.1.2). */
#include "vexit_break.h"

VEXIT_NEGATIVE("es-ar-reserved", "reason=ENTRY_FAIL_GUEST_STATE", "guest_ar_reserved")
