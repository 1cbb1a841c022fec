#include "vm/guest_line.h"

#include "kernel/console.h"
#include "vm/vm.h"

void guest_line_init(struct guest_line *l, const struct vm *vm, const char *kind, bool drop_cr)
{
	l->vm = vm;
	l->kind = kind;
	l->drop_cr = drop_cr;
	l->len = 0;
}

char guest_line_printable(char c)
{
	return (unsigned char)c < 0x20 || (unsigned char)c >= 0x7f ? '?' : c;
}

void guest_line_flush(struct guest_line *l)
{
	if (l->len == 0)
		return;
	l->text[l->len] = '\0';
	kprintf("VEXIT %s %s %s\n", l->kind, l->vm->name, l->text);
	l->len = 0;
}

void guest_line_putc(struct guest_line *l, char c)
{
	if (c == '\n') {
		guest_line_flush(l);
		return;
	}
	if (c == '\r' && l->drop_cr)
		return;
	l->text[l->len++] = guest_line_printable(c);
	if (l->len == GUEST_LINE_MAX)
		guest_line_flush(l);
}
