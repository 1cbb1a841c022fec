/* neg_host_rip: a non-canonical HOST_RIP for a 64-bit host is VMfailValid 8, invalid host state (SDM 27.2.4). */
#include "vexit_break.h"

VEXIT_NEGATIVE("host-rip-noncanonical", "error=8", "host_address_space")
