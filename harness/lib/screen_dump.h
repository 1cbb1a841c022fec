/*
 * What a text screen showed, read from the Bochs debugger's dump of its memory:
 * `xp /Nhx 0xb8000` prints lines "0x00000000000b8000 <bogus+       0>:\t0x0756\t0x0745..."
 * (one 16-bit cell each: attribute high, character low). The screen run of `make check`
 * judges this text as it would a COM1 capture (docs/protocol.md, "The screen").
 */
#ifndef VEXIT_HARNESS_SCREEN_DUMP_H
#define VEXIT_HARNESS_SCREEN_DUMP_H

#include <stdint.h>

/* The debugger commands that stop at `stop_at` (a kernel address) and dump a cols x rows screen at 0xB8000. */
char *screen_dump_commands(uint64_t stop_at, unsigned cols, unsigned rows);
/*
 * The screen's text from the last dump in `bochs_out`, as screen_text (screen_text.h)
 * makes it. NULL when there is no dump of cols x rows cells. The caller frees it.
 */
char *screen_dump_text(const char *bochs_out, unsigned cols, unsigned rows);

#endif
