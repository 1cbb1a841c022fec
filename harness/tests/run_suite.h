/* The main() of every Check program: run one suite, print Check's report, exit 0 only if all passed. */
#ifndef VEXIT_TESTS_RUN_SUITE_H
#define VEXIT_TESTS_RUN_SUITE_H

#include <check.h>

int run_suite(Suite *s, enum print_output how);

#endif
