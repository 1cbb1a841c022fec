/* neg_host_tr_null: a null HOST_TR_SELECTOR is VMfailValid 8, invalid host state (SDM 27.2.3). */
#include "vexit_break.h"

VEXIT_NEGATIVE("host-tr-null", "error=8", "host_cs_tr_not_null")
