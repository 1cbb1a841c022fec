/* neg_host_pat: HOST_IA32_PAT holding memory type 2 (reserved) while the exit loads IA32_PAT is VMfailValid 8, invalid host state (SDM 27.2.2). */
#include "vexit_break.h"

VEXIT_NEGATIVE("host-pat-type2", "error=8", "host_pat")
