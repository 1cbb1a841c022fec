#include "run_suite.h"

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif

int run_suite(Suite *s, enum print_output how)
{
#ifdef __SANITIZE_ADDRESS__
	/*
	 * Check forks a process per test, and LeakSanitizer checks each one as it exits (where
	 * detect_leaks=1): it reads all the program's writable data, some 6 MB with the sanitizer
	 * runtime's own, most of it never touched, so each test's process took some 1,300 page faults
	 * to read zeros. One leak check here, before the first fork, reads them in once and every
	 * test's process inherits them (check_expect: 53,000 page faults, now 10,000, and a third less
	 * CPU). It would also report a leak of the suite's construction; with detect_leaks=0 it does
	 * nothing.
	 */
	__lsan_do_recoverable_leak_check();
#endif
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, how);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
