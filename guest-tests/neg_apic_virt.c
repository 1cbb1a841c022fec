/* neg_apic_virt: virtual-interrupt delivery without use TPR shadow is VMfailValid 7 (SDM 27.2.1.1). */
#include "vexit_break.h"

VEXIT_NEGATIVE("vid-without-tpr-shadow", "error=7", "ctl_apic_virtualization")
