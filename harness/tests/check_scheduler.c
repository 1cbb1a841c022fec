/*
 * Check tests of the job scheduler (harness/lib/scheduler.c) with stand-in
 * jobs: each runs for a given number of polls, or cannot start. What is
 * checked: never more than the limit at once, jobs start in order, each ends
 * once, and a job that could not start neither holds a slot nor is forgotten.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "run_suite.h"
#include "scheduler.h"

#define MAX_JOBS 16

/* The stand-in jobs and what the scheduler did with them. */
static struct {
	unsigned polls[MAX_JOBS];   /* polls a job runs for before it is over */
	bool cannot_start[MAX_JOBS];
	enum { IDLE, RUNNING, FAILED, ENDED, DONE } state[MAX_JOBS];
	unsigned running, most_running;
	size_t n_started, n_done;
	char events[256]; /* in order: "s<i> " job i started, "f<i> " it could not start, "d<i> " it is done */
} t;

static void event(char what, size_t i)
{
	size_t used = strlen(t.events);
	snprintf(t.events + used, sizeof(t.events) - used, "%c%zu ", what, i);
}

static int fake_start(void *ctx, size_t i)
{
	ck_assert_ptr_eq(ctx, &t);
	ck_assert_int_eq(t.state[i], IDLE);
	ck_assert_uint_eq(t.n_started++, i); /* in order */
	event(t.cannot_start[i] ? 'f' : 's', i);
	if (t.cannot_start[i]) {
		t.state[i] = FAILED;
		return -1;
	}
	t.state[i] = RUNNING;
	if (++t.running > t.most_running)
		t.most_running = t.running;
	return 0;
}

static bool fake_poll(void *ctx, size_t i)
{
	(void)ctx;
	ck_assert_msg(t.state[i] == RUNNING || t.state[i] == FAILED, "job %zu polled in state %d", i, t.state[i]);
	if (t.state[i] == RUNNING && t.polls[i]--)
		return false;
	if (t.state[i] == RUNNING)
		t.running--;
	t.state[i] = ENDED;
	return true;
}

static void fake_done(void *ctx, size_t i)
{
	(void)ctx;
	ck_assert_int_eq(t.state[i], ENDED);
	t.state[i] = DONE;
	t.n_done++;
	event('d', i);
}

static const struct scheduler_ops ops = { fake_start, fake_poll, fake_done };

static void setup(void)
{
	memset(&t, 0, sizeof(t));
}

static void assert_all_done(size_t n)
{
	ck_assert_uint_eq(t.n_started, n);
	ck_assert_uint_eq(t.n_done, n);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(t.state[i], DONE);
}

START_TEST(test_never_more_than_the_limit)
{
	static const unsigned polls[] = { 3, 0, 5, 1, 2, 0, 4, 1, 0, 2 };
	memcpy(t.polls, polls, sizeof(polls));
	scheduler_run(10, 3, &ops, &t);
	assert_all_done(10);
	ck_assert_uint_eq(t.most_running, 3);
	ck_assert_uint_eq(t.running, 0);
}
END_TEST

START_TEST(test_done_in_the_order_jobs_end)
{
	t.polls[0] = 4; /* the first job runs longest: the second, started beside it, ends first */
	scheduler_run(2, 2, &ops, &t);
	assert_all_done(2);
	ck_assert_str_eq(t.events, "s0 s1 d1 d0 ");
}
END_TEST

START_TEST(test_a_job_that_cannot_start_holds_no_slot)
{
	/* One at a time: job 1 cannot start, so job 2 starts at once, before job 1 is done; job 1 still ends. */
	t.cannot_start[1] = true;
	t.polls[0] = 1;
	t.polls[2] = 3;
	scheduler_run(3, 1, &ops, &t);
	assert_all_done(3);
	ck_assert_str_eq(t.events, "s0 d0 f1 s2 d1 d2 ");
	ck_assert_uint_eq(t.most_running, 1);
}
END_TEST

START_TEST(test_every_job_cannot_start)
{
	for (size_t i = 0; i < 5; i++)
		t.cannot_start[i] = true;
	scheduler_run(5, 2, &ops, &t);
	assert_all_done(5);
	ck_assert_uint_eq(t.most_running, 0);
}
END_TEST

START_TEST(test_no_jobs)
{
	scheduler_run(0, 4, &ops, &t);
	ck_assert_uint_eq(t.n_started, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("scheduler");
	TCase *tc = tcase_create("scheduler");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_never_more_than_the_limit);
	tcase_add_test(tc, test_done_in_the_order_jobs_end);
	tcase_add_test(tc, test_a_job_that_cannot_start_holds_no_slot);
	tcase_add_test(tc, test_every_job_cannot_start);
	tcase_add_test(tc, test_no_jobs);
	suite_add_tcase(s, tc);
	return run_suite(s, CK_NORMAL);
}
