/* Ending the run: the Bochs shutdown port when it exists, halting otherwise. */
#ifndef VEXIT_POWER_H
#define VEXIT_POWER_H

__attribute__((noreturn)) void power_off(void);

#endif
