/* Test data on disk: write a file into a test's temporary directory (asserting on failure). */
#ifndef VEXIT_TESTS_TEST_FILES_H
#define VEXIT_TESTS_TEST_FILES_H

#include <stddef.h>

void test_write_file(const char *dir, const char *name, const void *data, size_t len);

#endif
