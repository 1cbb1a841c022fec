/*
 * Bytes a guest writes to a device, gathered into protocol lines
 * (`VEXIT <kind> <vm> <text>`): the debug port's `guest` lines and the UART's
 * `console` lines (docs/protocol.md). Control and non-ASCII bytes become '?'
 * (a carriage return is dropped instead where asked), a line longer than
 * GUEST_LINE_MAX is split.
 */
#ifndef VEXIT_GUEST_LINE_H
#define VEXIT_GUEST_LINE_H

#include <stdbool.h>

#define GUEST_LINE_MAX 200

struct vm;

struct guest_line {
	const struct vm *vm; /* whose name the lines carry */
	const char *kind;    /* the protocol line's kind: "guest" or "console" */
	bool drop_cr;        /* a serial console's "\r\n" line end: the '\r' carries nothing */
	unsigned len;
	char text[GUEST_LINE_MAX + 1];
};

void guest_line_init(struct guest_line *l, const struct vm *vm, const char *kind, bool drop_cr);
void guest_line_putc(struct guest_line *l, char c);
/* Forward whatever is left without a final newline. */
void guest_line_flush(struct guest_line *l);
/* A guest line must stay one printable protocol line: control and non-ASCII bytes become '?'. */
char guest_line_printable(char c);

#endif
