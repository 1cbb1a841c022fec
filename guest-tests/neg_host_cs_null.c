/* neg_host_cs_null: a null HOST_CS_SELECTOR is VMfailValid 8, invalid host state (SDM 27.2.3, 31.4). */
#include "vexit_break.h"

VEXIT_NEGATIVE("host-cs-null", "error=8", "host_cs_tr_not_null")
