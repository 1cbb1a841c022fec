#include "kernel/vga_text.h"

static uint16_t cell(char c)
{
	return (uint16_t)(VGA_TEXT_ATTR << 8) | (uint8_t)c;
}

static void blank_row(struct vga_text *s, unsigned row)
{
	for (unsigned c = 0; c < s->cols; c++)
		s->cells[row * s->pitch_cells + c] = cell(' ');
}

void vga_text_init(struct vga_text *s, volatile uint16_t *cells, unsigned cols, unsigned rows, unsigned pitch_cells)
{
	*s = (struct vga_text){ .cells = cells, .cols = cols, .rows = rows, .pitch_cells = pitch_cells };
	for (unsigned r = 0; r < rows; r++)
		blank_row(s, r);
}

static void new_row(struct vga_text *s)
{
	s->col = 0;
	if (s->row + 1 < s->rows) {
		s->row++;
		return;
	}
	/* At the bottom: everything moves up a row, and the last row starts blank. */
	for (unsigned r = 1; r < s->rows; r++)
		for (unsigned c = 0; c < s->cols; c++)
			s->cells[(r - 1) * s->pitch_cells + c] = s->cells[r * s->pitch_cells + c];
	blank_row(s, s->rows - 1);
}

void vga_text_putc(struct vga_text *s, char c)
{
	if (!s->cells || !s->cols || !s->rows)
		return;
	if (c == '\n') {
		new_row(s);
		return;
	}
	if (c == '\r') {
		s->col = 0;
		return;
	}
	if (s->col == s->cols)
		new_row(s); /* wrap: the row is full and more of the line comes */
	s->cells[s->row * s->pitch_cells + s->col++] = cell(c >= 0x20 && c < 0x7f ? c : '?');
}
