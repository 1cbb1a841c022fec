/* neg_host_ds_rpl: a host selector with RPL 3 is VMfailValid 8, invalid host state (SDM 27.2.3, 31.4). */
#include "vexit_break.h"

VEXIT_NEGATIVE("host-ds-rpl3", "error=8", "host_selector_rpl_ti")
