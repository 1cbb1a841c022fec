#ifndef VEXIT_PANIC_H
#define VEXIT_PANIC_H

/* Print "VEXIT panic <msg>" and end the run: the hypervisor cannot go on. */
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *f, ...);

#endif
