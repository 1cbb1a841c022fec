/*
 * Assertions for the hot loops of the unit tests: a check per port, per MSR, per byte.
 *
 * Check's ck_assert* macros "mark a point" on every check that passes (_mark_point): in fork
 * mode that sends the file and line to the runner through Check's message file, a strdup, a
 * write() and a free each (a malloc ASan records a stack trace for). A loop of 65536 checks was
 * 65536 system calls, seconds of a make check. These fail as the Check macro they stand for
 * does, at their own line, with its message ("Assertion '...' failed", and the values for the
 * _uint_eq form; for ck_assert_msg, whose message is the caller's alone, the failed expression
 * comes first) followed by the caller's, which names the case (the port, the byte...);
 * a check that passes costs a comparison. The one thing lost: a test that crashes or times out
 * inside such a loop is reported at the last ck_assert before it, not in the loop.
 */
#ifndef VEXIT_TESTS_QUIET_ASSERT_H
#define VEXIT_TESTS_QUIET_ASSERT_H

#include <check.h>
#include <stdint.h>

/* ck_assert_msg(expr, ...) without the mark point; fmt names the case. */
#define quiet_assert(expr, fmt, ...)                                                         \
	do {                                                                                 \
		if (!(expr))                                                                 \
			ck_abort_msg("Assertion '%s' failed: " fmt, #expr, ##__VA_ARGS__); \
	} while (0)

/* ck_assert_uint_eq(x, y) without the mark point: the message gives both values, then fmt. */
#define quiet_assert_uint_eq(x, y, fmt, ...)                                                           \
	do {                                                                                           \
		uintmax_t quiet_x_ = (x), quiet_y_ = (y);                                              \
		if (quiet_x_ != quiet_y_)                                                              \
			ck_abort_msg("Assertion '%s' failed: %s == %ju, %s == %ju: " fmt, #x " == " #y, \
				     #x, quiet_x_, #y, quiet_y_, ##__VA_ARGS__);                        \
	} while (0)

#endif
