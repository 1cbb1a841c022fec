#include "screen_pixels.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/fb_text.h"
#include "kernel/font.h"
#include "screen_text.h"

struct picture {
	const unsigned char *rgb;
	unsigned long width, height;
};

/* One header number of a P6 file at *i (whitespace and # comments before it); false when there is none. */
static bool header_number(const unsigned char *p, size_t len, size_t *i, unsigned long *out)
{
	while (*i < len && (isspace(p[*i]) || p[*i] == '#')) {
		if (p[*i] == '#')
			while (*i < len && p[*i] != '\n')
				(*i)++;
		else
			(*i)++;
	}
	if (*i >= len || !isdigit(p[*i]))
		return false;
	unsigned long v = 0;
	while (*i < len && isdigit(p[*i]) && v < 1000000)
		v = v * 10 + (unsigned long)(p[(*i)++] - '0');
	*out = v;
	return v < 1000000;
}

static const char *read_ppm(const unsigned char *p, size_t len, struct picture *pic)
{
	size_t i = 2;
	unsigned long maxval;
	if (len < 2 || p[0] != 'P' || p[1] != '6')
		return "not a binary PPM (P6) picture";
	if (!header_number(p, len, &i, &pic->width) || !header_number(p, len, &i, &pic->height) ||
	    !header_number(p, len, &i, &maxval) || i >= len || !isspace(p[i]))
		return "a PPM header without width, height and maximum value";
	if (maxval != 255)
		return "a PPM that is not 8 bits a channel";
	i++;
	if (len - i < pic->width * pic->height * 3)
		return "a PPM shorter than its width and height say";
	pic->rgb = p + i;
	return NULL;
}

/* Whether the pixel at (x, y) is lit: the console draws white on black. */
static bool lit(const struct picture *pic, unsigned long x, unsigned long y)
{
	const unsigned char *px = pic->rgb + (y * pic->width + x) * 3;
	return px[0] + px[1] + px[2] >= 3 * 128;
}

/* The character whose glyph cell (row, col) shows at this scale, or 0 when it is none of the font's. */
static char read_cell(const struct picture *pic, unsigned scale, unsigned row, unsigned col)
{
	uint8_t rows[FONT_CELL_H] = { 0 };
	unsigned long x0 = (unsigned long)col * FONT_CELL_W * scale, y0 = (unsigned long)row * FONT_CELL_H * scale;
	for (unsigned dy = 0; dy < FONT_CELL_H; dy++)
		for (unsigned dx = 0; dx < FONT_CELL_W; dx++)
			if (lit(pic, x0 + dx * scale + scale / 2, y0 + dy * scale + scale / 2))
				rows[dy] |= (uint8_t)(0x20u >> dx); /* bit 5: the left column; bit 0: the gap */
	if (rows[FONT_H])
		return 0;
	for (int c = FONT_FIRST; c <= FONT_LAST; c++) {
		const uint8_t *g = font_glyph((char)c);
		bool same = true;
		for (unsigned r = 0; r < FONT_H && same; r++)
			same = rows[r] == (uint8_t)(g[r] << 1);
		if (same)
			return (char)c;
	}
	return 0;
}

/* The grid at this scale into chars (cols x rows); false when a cell is no character or all are blank. */
static bool read_grid(const struct picture *pic, unsigned scale, char *chars, unsigned cols, unsigned rows)
{
	bool text = false;
	for (unsigned r = 0; r < rows; r++)
		for (unsigned c = 0; c < cols; c++) {
			char ch = read_cell(pic, scale, r, c);
			if (!ch)
				return false;
			chars[r * cols + c] = ch;
			text |= ch != ' ';
		}
	return text;
}

char *screen_pixels_text(const unsigned char *ppm, size_t len, char *err, size_t err_len)
{
	struct picture pic;
	const char *why = read_ppm(ppm, len, &pic);
	if (why) {
		snprintf(err, err_len, "%s", why);
		return NULL;
	}
	for (unsigned scale = 1; scale <= FB_TEXT_MAX_SCALE; scale++) {
		unsigned long cols = pic.width / (FONT_CELL_W * scale), rows = pic.height / (FONT_CELL_H * scale);
		cols = cols > FB_TEXT_MAX_COLS ? FB_TEXT_MAX_COLS : cols;
		rows = rows > FB_TEXT_MAX_ROWS ? FB_TEXT_MAX_ROWS : rows;
		if (!cols || !rows)
			break;
		char *chars = malloc(cols * rows);
		if (!chars)
			abort();
		char *text = read_grid(&pic, scale, chars, (unsigned)cols, (unsigned)rows) ?
				     screen_text(chars, (unsigned)cols, (unsigned)rows) : NULL;
		free(chars);
		if (text)
			return text;
	}
	snprintf(err, err_len, "no scale at which the %lux%lu picture is the font's characters, white on black",
		 pic.width, pic.height);
	return NULL;
}
