/*
 * Unit tests of hypervisor/kernel/fb_text.c and font.c, the console on a graphics
 * framebuffer, over an ordinary array standing in for the framebuffer: the font's
 * glyphs are all different, a framebuffer it cannot draw on is refused before a
 * byte is written, the scale keeps 80 x 25 cells, each pixel format gets white
 * dots on black, and only what changed is drawn again.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quiet_assert.h"
#include "kernel/fb_text.h"
#include "kernel/font.h"
#include "run_suite.h"

static struct mb2_framebuffer rgb32(uint32_t width, uint32_t height)
{
	return (struct mb2_framebuffer){ .addr = 0x80000000, .pitch = width * 4 + 64, .width = width,
					 .height = height, .bpp = 32, .type = MB2_FRAMEBUFFER_RGB, .red_pos = 16,
					 .red_size = 8, .green_pos = 8, .green_size = 8, .blue_pos = 0,
					 .blue_size = 8 };
}

START_TEST(test_font_glyphs_differ)
{
	for (int a = FONT_FIRST; a <= FONT_LAST; a++) {
		const uint8_t *ga = font_glyph((char)a);
		int dots = 0;
		for (int r = 0; r < FONT_H; r++) {
			quiet_assert(!(ga[r] & ~0x1fu), "'%c' row %d is wider than %d dots", a, r, FONT_W);
			dots += ga[r] != 0;
		}
		ck_assert_msg(a == ' ' ? dots == 0 : dots > 0, "'%c': %d rows with dots", a, dots);
		for (int b = a + 1; b <= FONT_LAST; b++)
			quiet_assert(memcmp(ga, font_glyph((char)b), FONT_H) != 0, "'%c' and '%c' look the same", a, b);
	}
	/* Bytes the font has no glyph for look like '?', as on the text screen. */
	ck_assert_ptr_eq(font_glyph('\t'), font_glyph('?'));
	ck_assert_ptr_eq(font_glyph((char)0x80), font_glyph('?'));
}
END_TEST

START_TEST(test_scale_keeps_80_by_25)
{
	ck_assert_uint_eq(fb_text_scale(640, 480), 1);
	ck_assert_uint_eq(fb_text_scale(1024, 768), 2);
	ck_assert_uint_eq(fb_text_scale(1280, 800), 2);
	ck_assert_uint_eq(fb_text_scale(1920, 1080), 4);
	ck_assert_uint_eq(fb_text_scale(3840, 2160), FB_TEXT_MAX_SCALE);
	ck_assert_uint_eq(fb_text_scale(320, 200), 1); /* less than 80 x 25 cells: scale 1 anyway */
}
END_TEST

/* Each description fb_text_init must refuse, and that it wrote nothing then. */
START_TEST(test_refuses_what_it_cannot_draw)
{
	static struct fb_text s;
	static uint8_t px[64 * 64 * 4];
	struct mb2_framebuffer bad[8];
	for (int i = 0; i < 8; i++)
		bad[i] = rgb32(64, 64);
	bad[0].type = MB2_FRAMEBUFFER_EGA_TEXT;
	bad[1].bpp = 8;
	bad[2].green_pos = 16; /* overlaps red */
	bad[3].blue_size = 0;
	bad[4].red_pos = 30;   /* past the pixel's 32 bits */
	bad[5].width = 5;      /* narrower than a character */
	bad[6].pitch = 64 * 4 - 1;
	bad[7].addr = (4ull << 30) - 64 * 4; /* runs past the identity map */
	for (int i = 0; i < 8; i++) {
		memset(px, 0xaa, sizeof(px));
		ck_assert_msg(fb_text_init(&s, px, &bad[i]) != NULL, "description %d accepted", i);
		for (size_t j = 0; j < sizeof(px); j++)
			quiet_assert_uint_eq(px[j], 0xaa, "description %d: pixel byte %zu", i, j);
	}
}
END_TEST

/* The 32-bit pixel at (x, y). */
static uint32_t px32(const uint8_t *px, const struct mb2_framebuffer *fb, uint32_t x, uint32_t y)
{
	uint32_t v;
	memcpy(&v, px + (size_t)y * fb->pitch + (size_t)x * 4, 4);
	return v;
}

START_TEST(test_draws_glyphs_white_on_black)
{
	static struct fb_text s;
	struct mb2_framebuffer fb = rgb32(1024, 768); /* scale 2 */
	uint8_t *px = malloc((size_t)fb.pitch * fb.height);
	memset(px, 0x5a, (size_t)fb.pitch * fb.height);
	ck_assert_ptr_null(fb_text_init(&s, px, &fb));
	ck_assert_uint_eq(s.scale, 2);
	ck_assert_uint_eq(s.text.cols, 1024 / 12);
	ck_assert_uint_eq(s.text.rows, 768 / 16);
	/* Blanked: every pixel of every row black; the pitch's padding is not the screen's. */
	size_t lit = 0, padding_kept = 0;
	for (uint32_t y = 0; y < fb.height; y++) {
		for (uint32_t x = 0; x < fb.width; x++)
			lit += px32(px, &fb, x, y) != 0;
		padding_kept += px[(size_t)y * fb.pitch + fb.width * 4] == 0x5a;
	}
	ck_assert_uint_eq(lit, 0);
	ck_assert_uint_eq(padding_kept, fb.height);
	fb_text_putc(&s, 'x');
	fb_text_putc(&s, 'A');
	/* Nothing is drawn before the sync. */
	ck_assert_uint_eq(px32(px, &fb, 12, 0), 0);
	fb_text_sync(&s);
	const uint8_t *g = font_glyph('A');
	for (uint32_t y = 0; y < 16; y++)
		for (uint32_t x = 0; x < 12; x++) {
			uint32_t fx = x / 2, fy = y / 2;
			int on = fx < FONT_W && fy < FONT_H && (g[fy] & (0x10 >> fx));
			ck_assert_uint_eq(px32(px, &fb, 12 + x, y), on ? 0x00ffffffu : 0);
		}
	free(px);
}
END_TEST

/* 16 bits a pixel (5:6:5) and 24 (blue first): white is every bit of the three fields, byte by byte. */
START_TEST(test_other_pixel_formats)
{
	static struct fb_text s;
	struct mb2_framebuffer fb16 = { .pitch = 640 * 2, .width = 640, .height = 480, .bpp = 16,
					.type = MB2_FRAMEBUFFER_RGB, .red_pos = 11, .red_size = 5, .green_pos = 5,
					.green_size = 6, .blue_pos = 0, .blue_size = 5 };
	uint8_t *px = calloc(640 * 480, 4);
	ck_assert_ptr_null(fb_text_init(&s, px, &fb16));
	fb_text_putc(&s, '|'); /* the middle column lit on every row of the glyph */
	fb_text_sync(&s);
	ck_assert_uint_eq(px[2 * 2], 0xff);
	ck_assert_uint_eq(px[2 * 2 + 1], 0xff);
	ck_assert_uint_eq(px[2 * 2 + 2], 0);
	struct mb2_framebuffer fb24 = fb16;
	fb24.bpp = 24;
	fb24.pitch = 640 * 3;
	fb24.red_pos = 16, fb24.red_size = 8, fb24.green_pos = 8, fb24.green_size = 8, fb24.blue_size = 8;
	ck_assert_ptr_null(fb_text_init(&s, px, &fb24));
	fb_text_putc(&s, '|');
	fb_text_sync(&s);
	for (int i = 0; i < 3; i++)
		ck_assert_uint_eq(px[fb24.pitch * 6 + 2 * 3 + i], 0xff);
	ck_assert_uint_eq(px[fb24.pitch * 6 + 3 * 3], 0);
	free(px);
}
END_TEST

START_TEST(test_sync_draws_only_changes)
{
	static struct fb_text s;
	struct mb2_framebuffer fb = rgb32(640, 480);
	uint8_t *px = calloc((size_t)fb.pitch, fb.height);
	ck_assert_ptr_null(fb_text_init(&s, px, &fb));
	fb_text_putc(&s, 'a');
	fb_text_sync(&s);
	/* A pixel the console does not own any more, scribbled on: a sync with nothing new leaves it. */
	memset(px, 0x77, 4);
	fb_text_sync(&s);
	ck_assert_uint_eq(px32(px, &fb, 0, 0), 0x77777777u);
	/* A scroll moves every row: the cell is drawn again. */
	for (unsigned i = 0; i < s.text.rows; i++)
		fb_text_putc(&s, '\n');
	fb_text_sync(&s);
	ck_assert_uint_eq(px32(px, &fb, 0, 0), 0);
	free(px);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hv_fb_text");
	TCase *tc = tcase_create("framebuffer");
	tcase_add_test(tc, test_font_glyphs_differ);
	tcase_add_test(tc, test_scale_keeps_80_by_25);
	tcase_add_test(tc, test_refuses_what_it_cannot_draw);
	tcase_add_test(tc, test_draws_glyphs_white_on_black);
	tcase_add_test(tc, test_other_pixel_formats);
	tcase_add_test(tc, test_sync_draws_only_changes);
	suite_add_tcase(s, tc);
	return run_suite(s, CK_NORMAL);
}
