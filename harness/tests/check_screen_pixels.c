/*
 * Unit tests of harness/lib/screen_pixels.c, reading a framebuffer's picture back
 * as text: what the kernel's framebuffer console (hypervisor/kernel/fb_text.c)
 * draws, put in a PPM as QEMU's screendump writes it, reads back as the lines
 * written, at every scale; and a picture that is not the console's is refused.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/fb_text.h"
#include "run_suite.h"
#include "screen_pixels.h"

static struct fb_text con;

/* The console's framebuffer (32 bits a pixel, blue in the low byte) as a P6 PPM; *len its size. */
static unsigned char *draw(uint32_t width, uint32_t height, const char *text, size_t *len)
{
	struct mb2_framebuffer fb = { .pitch = width * 4, .width = width, .height = height, .bpp = 32,
				      .type = MB2_FRAMEBUFFER_RGB, .red_pos = 16, .red_size = 8, .green_pos = 8,
				      .green_size = 8, .blue_pos = 0, .blue_size = 8 };
	uint8_t *px = malloc((size_t)fb.pitch * height);
	ck_assert_ptr_null(fb_text_init(&con, px, &fb));
	for (const char *p = text; *p; p++)
		fb_text_putc(&con, *p);
	fb_text_sync(&con);
	char head[64];
	int n = snprintf(head, sizeof(head), "P6\n# QEMU-like\n%u %u\n255\n", width, height);
	*len = (size_t)n + (size_t)width * height * 3;
	unsigned char *ppm = malloc(*len);
	memcpy(ppm, head, (size_t)n);
	for (size_t i = 0; i < (size_t)width * height; i++) {
		ppm[n + 3 * i] = px[4 * i + 2];
		ppm[n + 3 * i + 1] = px[4 * i + 1];
		ppm[n + 3 * i + 2] = px[4 * i];
	}
	free(px);
	return ppm;
}

static char *read_back(const unsigned char *ppm, size_t len)
{
	char err[256] = "";
	char *text = screen_pixels_text(ppm, len, err, sizeof(err));
	ck_assert_msg(text != NULL, "not read: %s", err);
	return text;
}

START_TEST(test_round_trip_every_scale)
{
	/* Widths giving scale 1, 2 and 4 (fb_text_scale). */
	const uint32_t sizes[][2] = { { 640, 480 }, { 1280, 800 }, { 1920, 1080 } };
	const char *lines = "VEXIT protocol 1\nVEXIT panic this CPU does not support VMX (CPUID.1:ECX.VMX[bit 5] is 0)\n"
			    "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\n";
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t len;
		unsigned char *ppm = draw(sizes[i][0], sizes[i][1], lines, &len);
		char *text = read_back(ppm, len);
		ck_assert_str_eq(text, lines);
		free(text);
		free(ppm);
	}
}
END_TEST

START_TEST(test_wrapped_and_scrolled)
{
	/* 640 x 480 at scale 1: 106 x 60 cells. 70 lines, a line of two rows and the empty row after it scroll the first 13 away. */
	char lines[70 * 16 + 200] = "";
	for (int i = 0; i < 70; i++)
		snprintf(lines + strlen(lines), sizeof(lines) - strlen(lines), "line %d\n", i);
	char longest[200];
	memset(longest, 'w', 150);
	strcpy(longest + 150, "\n");
	strcat(lines, longest);
	size_t len;
	unsigned char *ppm = draw(640, 480, lines, &len);
	char *text = read_back(ppm, len);
	ck_assert_msg(strncmp(text, "line 13\n", 8) == 0, "top: '%.20s'", text);
	ck_assert_msg(strstr(text, "line 69\n" "wwww") != NULL, "the wrapped line is one line again");
	ck_assert_str_eq(strstr(text, "line 69\n") + 8, longest);
	free(text);
	free(ppm);
}
END_TEST

START_TEST(test_refusals)
{
	char err[256];
	ck_assert_ptr_null(screen_pixels_text((const unsigned char *)"P3\n1 1\n255\n", 11, err, sizeof(err)));
	ck_assert_str_eq(err, "not a binary PPM (P6) picture");
	ck_assert_ptr_null(screen_pixels_text((const unsigned char *)"P6\n640 480\n255\n", 15, err, sizeof(err)));
	ck_assert_str_eq(err, "a PPM shorter than its width and height say");
	/* A blank screen, and a screen with a dot the font has nowhere, read as nothing. */
	size_t len;
	unsigned char *ppm = draw(640, 480, "", &len);
	ck_assert_ptr_null(screen_pixels_text(ppm, len, err, sizeof(err)));
	ck_assert_msg(strstr(err, "no scale") != NULL, "%s", err);
	free(ppm);
	ppm = draw(640, 480, "ok\n", &len);
	size_t body = len - 640 * 480 * 3;
	memset(ppm + body + (7 * 640 + 3) * 3, 0xff, 3); /* a dot in the blank row under 'o' */
	ck_assert_ptr_null(screen_pixels_text(ppm, len, err, sizeof(err)));
	free(ppm);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("screen_pixels");
	TCase *tc = tcase_create("picture");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_round_trip_every_scale);
	tcase_add_test(tc, test_wrapped_and_scrolled);
	tcase_add_test(tc, test_refusals);
	suite_add_tcase(s, tc);
	return run_suite(s, CK_NORMAL);
}
