/* neg_io_bitmap: an I/O-bitmap A address that is not 4-KByte aligned is VMfailValid 7, invalid control field (SDM 27.2.1.1). */
#include "vexit_break.h"

VEXIT_NEGATIVE("io-bitmap-unaligned", "error=7", "ctl_io_bitmap_addr")
