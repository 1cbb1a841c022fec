/* neg_host_gs_base: a non-canonical HOST_GS_BASE is VMfailValid 8, invalid host state (SDM 27.2.3). */
#include "vexit_break.h"

VEXIT_NEGATIVE("host-gs-base-noncanonical", "error=8", "host_bases_canonical")
