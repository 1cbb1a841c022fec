#include "test_files.h"

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void test_write_file(const char *dir, const char *name, const void *data, size_t len)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "cannot write %s", path);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* Dead: gone, or a zombie nobody has reaped yet (a container's PID 1 may not reap). */
static bool process_dead(long pid)
{
	for (int tries = 0; tries < 100; tries++) {
		if (kill((pid_t)pid, 0) < 0 && errno == ESRCH)
			return true;
		char path[64], stat[256] = "";
		snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
		FILE *f = fopen(path, "r");
		if (f) {
			size_t n = fread(stat, 1, sizeof(stat) - 1, f);
			stat[n] = '\0';
			fclose(f);
			char *paren = strrchr(stat, ')');
			if (paren && paren[1] == ' ' && (paren[2] == 'Z' || paren[2] == 'X'))
				return true;
		}
		nanosleep(&(struct timespec){ 0, 10000000L }, NULL);
	}
	return false;
}

void test_assert_pids_dead(const char *dir)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/pids", dir);
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "the stand-in did not record its pids in %s", path);
	long pid;
	int n = 0;
	while (fscanf(f, "%ld", &pid) == 1) {
		ck_assert_msg(process_dead(pid), "process %ld of the run survived it", pid);
		n++;
	}
	fclose(f);
	ck_assert_int_gt(n, 0);
}
