#include "kernel/fb_text.h"

#include <stdbool.h>

#include "kernel/font.h"

unsigned fb_text_scale(uint32_t width, uint32_t height)
{
	uint32_t by_w = width / (FB_TEXT_MIN_COLS * FONT_CELL_W), by_h = height / (FB_TEXT_MIN_ROWS * FONT_CELL_H);
	uint32_t s = by_w < by_h ? by_w : by_h;
	return s < 1 ? 1 : s > FB_TEXT_MAX_SCALE ? FB_TEXT_MAX_SCALE : s;
}

/* A channel of `size` bits at bit `pos`, all set; 0 when it does not fit in the pixel. */
static uint32_t channel_mask(uint8_t pos, uint8_t size, unsigned bits)
{
	if (size == 0 || size > 8 || pos + size > bits)
		return 0;
	return ((1u << size) - 1) << pos;
}

const char *fb_text_init(struct fb_text *s, volatile uint8_t *pixels, const struct mb2_framebuffer *fb)
{
	if (fb->type != MB2_FRAMEBUFFER_RGB)
		return "not an RGB framebuffer";
	if (fb->bpp != 15 && fb->bpp != 16 && fb->bpp != 24 && fb->bpp != 32)
		return "not 15, 16, 24 or 32 bits a pixel";
	unsigned bytes_pp = (fb->bpp + 7u) / 8u;
	uint32_t r = channel_mask(fb->red_pos, fb->red_size, fb->bpp);
	uint32_t g = channel_mask(fb->green_pos, fb->green_size, fb->bpp);
	uint32_t b = channel_mask(fb->blue_pos, fb->blue_size, fb->bpp);
	if (!r || !g || !b || (r & g) || (r & b) || (g & b))
		return "its colour channels are not three separate fields of the pixel";
	if (fb->width < FONT_CELL_W || fb->height < FONT_CELL_H || fb->pitch / bytes_pp < fb->width)
		return "smaller than one character, or a pitch shorter than a row";
	if (!pixels || fb->addr + (uint64_t)fb->pitch * fb->height > (4ull << 30))
		return "not inside the first 4 GiB";
	s->pixels = pixels;
	s->pitch = fb->pitch;
	s->width = fb->width;
	s->height = fb->height;
	s->bytes_pp = bytes_pp;
	s->white = r | g | b;
	s->scale = fb_text_scale(fb->width, fb->height);
	unsigned cols = fb->width / (FONT_CELL_W * s->scale), rows = fb->height / (FONT_CELL_H * s->scale);
	cols = cols > FB_TEXT_MAX_COLS ? FB_TEXT_MAX_COLS : cols;
	rows = rows > FB_TEXT_MAX_ROWS ? FB_TEXT_MAX_ROWS : rows;
	vga_text_init(&s->text, s->cells, cols, rows, cols);
	/* The whole screen black (what GRUB left goes), which is every cell drawn blank. */
	for (uint32_t y = 0; y < fb->height; y++)
		for (uint32_t x = 0; x < fb->width * bytes_pp; x++)
			pixels[(uint64_t)y * fb->pitch + x] = 0;
	for (unsigned i = 0; i < cols * rows; i++)
		s->drawn[i] = s->cells[i];
	return NULL;
}

void fb_text_putc(struct fb_text *s, char c)
{
	vga_text_putc(&s->text, c);
}

static void put_pixel(struct fb_text *s, uint32_t x, uint32_t y, uint32_t v)
{
	volatile uint8_t *p = s->pixels + (uint64_t)y * s->pitch + (uint64_t)x * s->bytes_pp;
	if (s->bytes_pp == 4) {
		*(volatile uint32_t *)p = v;
		return;
	}
	for (unsigned i = 0; i < s->bytes_pp; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void draw_cell(struct fb_text *s, unsigned row, unsigned col, char c)
{
	const uint8_t *g = font_glyph(c);
	uint32_t x0 = col * FONT_CELL_W * s->scale, y0 = row * FONT_CELL_H * s->scale;
	for (uint32_t dy = 0; dy < FONT_CELL_H * s->scale; dy++) {
		unsigned fy = dy / s->scale;
		uint8_t bits = fy < FONT_H ? g[fy] : 0;
		for (uint32_t dx = 0; dx < FONT_CELL_W * s->scale; dx++) {
			unsigned fx = dx / s->scale;
			bool on = fx < FONT_W && (bits & (0x10u >> fx));
			put_pixel(s, x0 + dx, y0 + dy, on ? s->white : 0);
		}
	}
}

void fb_text_sync(struct fb_text *s)
{
	for (unsigned r = 0; r < s->text.rows; r++)
		for (unsigned c = 0; c < s->text.cols; c++) {
			unsigned i = r * s->text.cols + c;
			if (s->cells[i] == s->drawn[i])
				continue;
			draw_cell(s, r, c, (char)(s->cells[i] & 0xff));
			s->drawn[i] = s->cells[i];
		}
}
