#include "run_suite.h"

int run_suite(Suite *s, enum print_output how)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, how);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
