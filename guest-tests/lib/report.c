#include <stdarg.h>

#include "kernel/fmt.h"
#include "vexit_guest.h"

static void debug_port_write_line(const char *s, uint64_t n)
{
	/* REP OUTSB: the hypervisor emulates the whole string in one exit. */
	__asm__ volatile("cld; rep outsb" : "+S"(s), "+c"(n) : "d"((uint16_t)VEXIT_DEBUG_PORT) : "memory");
}

void guest_printf(const char *fmt, ...)
{
	char buf[200];
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	debug_port_write_line(buf, (uint64_t)n);
}

bool report(bool cond, const char *what)
{
	guest_printf("%s %s", cond ? "PASS" : "FAIL", what);
	return cond;
}

bool report_eq(uint64_t got, uint64_t want, const char *what)
{
	if (got == want)
		guest_printf("PASS %s", what);
	else
		guest_printf("FAIL %s: got 0x%lx want 0x%lx", what, got, want);
	return got == want;
}
