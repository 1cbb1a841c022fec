/*
 * Host-build stand-ins for the kernel symbols the pure hypervisor sources call:
 *  - kprintf formats exactly as the kernel's does (fmt_vsnprintf into a 512-byte
 *    buffer, truncated the same way) and appends the text to a recorded buffer
 *    instead of writing COM1;
 *  - page_alloc_misuse records its arguments instead of panicking.
 */
#include "hv_host_fakes.h"

#include <stdarg.h>
#include <string.h>

#include "kernel/console.h"
#include "kernel/fmt.h"
#include "kernel/page_alloc.h"

/* Same per-call limit as hypervisor/kernel/console.c. */
#define KPRINTF_BUF 512
#define RECORD_MAX (64 * 1024)

static char record[RECORD_MAX];
static size_t record_len;
static unsigned record_calls;
static int record_overflowed;

void kprintf(const char *f, ...)
{
	char buf[KPRINTF_BUF];
	va_list ap;
	va_start(ap, f);
	int n = fmt_vsnprintf(buf, sizeof(buf), f, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	record_calls++;
	size_t len = (size_t)n;
	if (len > RECORD_MAX - 1 - record_len) {
		len = RECORD_MAX - 1 - record_len;
		record_overflowed = 1;
	}
	memcpy(record + record_len, buf, len);
	record_len += len;
	record[record_len] = '\0';
}

const char *hv_fake_output(void)
{
	return record;
}

unsigned hv_fake_output_calls(void)
{
	return record_calls;
}

int hv_fake_output_overflowed(void)
{
	return record_overflowed;
}

void hv_fake_output_reset(void)
{
	record_len = 0;
	record[0] = '\0';
	record_calls = 0;
	record_overflowed = 0;
}

static unsigned misuse_count;
static const char *misuse_what;
static uint64_t misuse_addr;

void page_alloc_misuse(const char *what, uint64_t addr)
{
	misuse_count++;
	misuse_what = what;
	misuse_addr = addr;
}

unsigned hv_fake_misuse_count(void)
{
	return misuse_count;
}

const char *hv_fake_misuse_what(void)
{
	return misuse_what;
}

uint64_t hv_fake_misuse_addr(void)
{
	return misuse_addr;
}

void hv_fake_misuse_reset(void)
{
	misuse_count = 0;
	misuse_what = NULL;
	misuse_addr = 0;
}
