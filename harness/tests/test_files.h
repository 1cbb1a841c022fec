/* Test helpers on disk: write a test's files; check that the processes a stand-in Bochs recorded are gone. */
#ifndef VEXIT_TESTS_TEST_FILES_H
#define VEXIT_TESTS_TEST_FILES_H

#include <stddef.h>

void test_write_file(const char *dir, const char *name, const void *data, size_t len);
/* Every process a stand-in Bochs listed in dir/pids is dead (gone, or a zombie nobody reaped). */
void test_assert_pids_dead(const char *dir);

#endif
