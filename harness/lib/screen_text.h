/*
 * A screen's characters as the lines a person reads there (docs/protocol.md, "The
 * screen"): the common end of the text-screen dump (screen_dump.h) and the
 * framebuffer picture (screen_pixels.h).
 */
#ifndef VEXIT_HARNESS_SCREEN_TEXT_H
#define VEXIT_HARNESS_SCREEN_TEXT_H

/*
 * The cols x rows characters in `chars` (row after row) as text: one line per row,
 * trailing blanks dropped, blank rows at the bottom dropped, and a row whose last
 * column is not blank joined to the next (a line the screen wrapped; a line of
 * exactly `cols` characters is joined too). Bytes outside 0x20..0x7e read as '?'.
 * The caller frees it.
 */
char *screen_text(const char *chars, unsigned cols, unsigned rows);

#endif
