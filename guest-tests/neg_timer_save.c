/* neg_timer_save: saving the VMX-preemption timer without activating it is VMfailValid 7 (SDM 27.2.1.2). */
#include "vexit_break.h"

VEXIT_NEGATIVE("timer-save-without-timer", "error=7", "ctl_preemption_timer_save")
