#include "kernel/fmt.h"

#include <stdint.h>

struct out {
	char *buf;
	size_t cap;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->cap)
		o->buf[o->len] = c;
	o->len++;
}

static void put_padded(struct out *o, const char *s, size_t slen, int width, char pad, int left)
{
	int fill = width > (int)slen ? width - (int)slen : 0;
	if (!left)
		while (fill-- > 0)
			put(o, pad);
	for (size_t i = 0; i < slen; i++)
		put(o, s[i]);
	if (left)
		while (fill-- > 0)
			put(o, ' ');
}

static size_t utoa(uint64_t v, unsigned base, int upper, char *tmp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char rev[24];
	size_t n = 0;
	do {
		rev[n++] = digits[v % base];
		v /= base;
	} while (v);
	for (size_t i = 0; i < n; i++)
		tmp[i] = rev[n - 1 - i];
	return n;
}

int fmt_vsnprintf(char *buf, size_t n, const char *f, va_list ap)
{
	struct out o = { buf, n, 0 };
	char tmp[24];

	for (; *f; f++) {
		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		f++;
		int left = 0;
		char pad = ' ';
		for (; *f == '-' || *f == '0'; f++) {
			if (*f == '-')
				left = 1;
			else
				pad = '0';
		}
		int width = 0;
		while (*f >= '0' && *f <= '9')
			width = width * 10 + (*f++ - '0');
		int lng = 0;
		while (*f == 'l' || *f == 'z') {
			lng++;
			f++;
		}
		if (left)
			pad = ' ';
		switch (*f) {
		case 'd':
		case 'i': {
			int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
			uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
			size_t len = 0;
			if (v < 0 && pad == '0') {
				/* The sign goes before the zero padding, as in C: -0042, not 00-42. */
				put(&o, '-');
				width--;
			} else if (v < 0) {
				tmp[len++] = '-';
			}
			len += utoa(mag, 10, 0, tmp + len);
			put_padded(&o, tmp, len, width, pad, left);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			uint64_t v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			size_t len = utoa(v, *f == 'u' ? 10 : 16, *f == 'X', tmp);
			put_padded(&o, tmp, len, width, pad, left);
			break;
		}
		case 'p': {
			uintptr_t v = (uintptr_t)va_arg(ap, void *);
			put(&o, '0');
			put(&o, 'x');
			put_padded(&o, tmp, utoa(v, 16, 0, tmp), width, pad, left);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t len = 0;
			if (!s)
				s = "(null)";
			while (s[len])
				len++;
			put_padded(&o, s, len, width, ' ', left);
			break;
		}
		case 'c':
			tmp[0] = (char)va_arg(ap, int);
			put_padded(&o, tmp, 1, width, ' ', left);
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			f--; /* a lone '%' at the end: stop at the terminator */
			break;
		default:
			put(&o, '%');
			put(&o, *f);
			break;
		}
	}
	if (n)
		buf[o.len < n ? o.len : n - 1] = '\0';
	return (int)o.len;
}

int fmt_snprintf(char *buf, size_t n, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	int r = fmt_vsnprintf(buf, n, f, ap);
	va_end(ap);
	return r;
}
