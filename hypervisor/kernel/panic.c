#include "kernel/panic.h"

#include <stdarg.h>

#include "kernel/console.h"
#include "kernel/fmt.h"
#include "kernel/power.h"

__attribute__((noreturn)) void panic(const char *f, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, f);
	fmt_vsnprintf(buf, sizeof(buf), f, ap);
	va_end(ap);
	kprintf("VEXIT panic %s\n", buf);
	power_off();
}
