#include "bochs_run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "file_read.h"
#include "strlist.h"

#define POLL_NS 20000000L /* 20 ms */
#define TAIL_BYTES 2048
#define MAX_CAPTURE_BYTES (256u << 20)

/* The process group to kill if the harness is interrupted while Bochs runs. */
static volatile sig_atomic_t running_pgid;

static void on_fatal_signal(int sig)
{
	if (running_pgid > 0)
		kill(-(pid_t)running_pgid, SIGKILL);
	signal(sig, SIG_DFL);
	raise(sig);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int not_started(struct bochs_run_result *r, const char *fmt, const char *a, const char *b)
{
	r->end = BOCHS_RUN_NOT_STARTED;
	snprintf(r->error, sizeof(r->error), fmt, a, b);
	return -1;
}

/* The file's contents, or an empty string when it is missing (Bochs never wrote it). */
static char *read_or_empty(const char *path, size_t *len)
{
	char *s = file_read(path, MAX_CAPTURE_BYTES, len);
	if (!s) {
		*len = 0;
		s = xstrndup("", 0);
	}
	return s;
}

/* The last few lines of a file, for reporting what Bochs said. */
static char *read_tail(const char *path)
{
	size_t len;
	char *all = read_or_empty(path, &len);
	size_t start = len > TAIL_BYTES ? len - TAIL_BYTES : 0;
	if (start) {
		char *nl = memchr(all + start, '\n', len - start);
		if (nl)
			start = (size_t)(nl + 1 - all);
	}
	char *tail = xstrndup(all + start, len - start);
	free(all);
	return tail;
}

/* Copy new bytes of the capture to fd; returns the new offset. */
static off_t stream_new(const char *path, off_t done, int fd)
{
	int in = open(path, O_RDONLY);
	if (in < 0)
		return done;
	char buf[4096];
	ssize_t n;
	while ((n = pread(in, buf, sizeof(buf), done)) > 0) {
		if (write(fd, buf, (size_t)n) < 0)
			break;
		done += n;
	}
	close(in);
	return done;
}

/*
 * True once the capture holds the run's last line ('VEXIT end', or a panic).
 * Only what was written since the last call is read (*scanned: bytes seen).
 */
static bool capture_finished(const char *path, off_t *scanned)
{
	static const char *const markers[] = { "\nVEXIT end\n", "\nVEXIT panic " };
	enum { OVERLAP = 16 }; /* longer than a marker, so one split across two reads is found */
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	bool found = false;
	char buf[65536 + 1];
	for (;;) {
		off_t from = *scanned > OVERLAP ? *scanned - OVERLAP : 0;
		ssize_t n = pread(fd, buf, sizeof(buf) - 1, from);
		if (n <= 0 || from + n <= *scanned)
			break;
		buf[n] = '\0';
		for (size_t i = 0; i < sizeof(markers) / sizeof(markers[0]); i++)
			found |= memmem(buf, (size_t)n, markers[i], strlen(markers[i])) != NULL;
		*scanned = from + n;
		if (found)
			break;
	}
	close(fd);
	return found;
}

static void child_exec(const char *bochs, const char *rc, const char *cmds, const char *out_path, int err_fd)
{
	setpgid(0, 0);
	int devnull = open("/dev/null", O_RDONLY);
	int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (devnull < 0 || out < 0 || dup2(devnull, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0) {
		int e = errno;
		(void)!write(err_fd, &e, sizeof(e));
		_exit(127);
	}
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	execlp(bochs, bochs, "-q", "-f", rc, "-rc", cmds, (char *)NULL);
	int e = errno;
	(void)!write(err_fd, &e, sizeof(e));
	_exit(127);
}

int bochs_run(const struct bochs_run_opts *o, struct bochs_run_result *r)
{
	*r = (struct bochs_run_result){ 0 };
	r->serial = xstrndup("", 0);
	r->bochs_tail = xstrndup("", 0);
	const char *bochs = o->bochs ? o->bochs : getenv("VEXIT_BOCHS");
	if (!bochs || !*bochs)
		bochs = "bochs";
	char iso[PATH_MAX], rc[PATH_MAX];
	if (!o->iso || !realpath(o->iso, iso))
		return not_started(r, "boot image %s: %s", o->iso ? o->iso : "(none)", strerror(errno));
	if (!o->bochsrc || !realpath(o->bochsrc, rc))
		return not_started(r, "bochsrc %s: %s", o->bochsrc ? o->bochsrc : "(none)", strerror(errno));
	if (o->timeout_s == 0)
		return not_started(r, "%s%s", "the timeout must be at least 1 second", "");

	if (o->work_dir) {
		if (mkdir(o->work_dir, 0755) < 0 && errno != EEXIST)
			return not_started(r, "cannot create %s: %s", o->work_dir, strerror(errno));
		if (!realpath(o->work_dir, r->dir))
			return not_started(r, "work directory %s: %s", o->work_dir, strerror(errno));
	} else {
		const char *tmp = getenv("TMPDIR");
		snprintf(r->dir, sizeof(r->dir), "%s/vexit-run.XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(r->dir))
			return not_started(r, "cannot create a temporary directory in %s: %s",
					   tmp && *tmp ? tmp : "/tmp", strerror(errno));
		r->own_dir = true;
	}
	char serial[PATH_MAX + 16], log[PATH_MAX + 16], out[PATH_MAX + 16], cmds[PATH_MAX + 16];
	snprintf(serial, sizeof(serial), "%s/serial.txt", r->dir);
	snprintf(log, sizeof(log), "%s/bochs.log", r->dir);
	snprintf(out, sizeof(out), "%s/bochs.out", r->dir);
	snprintf(cmds, sizeof(cmds), "%s/debugger.rc", r->dir);
	unlink(serial);
	unlink(log);
	FILE *f = fopen(cmds, "w");
	/* Bochs is built with its debugger: continue at the prompt, quit when the simulation ends. */
	if (!f || fputs("c\nquit\n", f) < 0 || fclose(f) != 0)
		return not_started(r, "cannot write %s: %s", cmds, strerror(errno));
	if (setenv("VEXIT_ISO", iso, 1) || setenv("VEXIT_SERIAL", serial, 1) || setenv("VEXIT_LOG", log, 1))
		return not_started(r, "setenv: %s%s", strerror(errno), "");

	int errpipe[2];
	if (pipe2(errpipe, O_CLOEXEC) < 0)
		return not_started(r, "pipe: %s%s", strerror(errno), "");
	struct sigaction sa = { .sa_handler = on_fatal_signal }, old_int, old_term, old_hup;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);

	double start = now_s();
	pid_t pid = fork();
	if (pid < 0) {
		close(errpipe[0]);
		close(errpipe[1]);
		return not_started(r, "fork: %s%s", strerror(errno), "");
	}
	if (pid == 0) {
		close(errpipe[0]);
		child_exec(bochs, rc, cmds, out, errpipe[1]);
	}
	setpgid(pid, pid); /* also done by the child: whichever runs first */
	running_pgid = pid;
	close(errpipe[1]);
	int child_errno = 0;
	ssize_t got = read(errpipe[0], &child_errno, sizeof(child_errno));
	close(errpipe[0]);

	int status = 0;
	off_t streamed = 0, scanned = 0;
	double finished_at = 0;
	if (got == (ssize_t)sizeof(child_errno)) {
		waitpid(pid, &status, 0);
		r->end = BOCHS_RUN_NOT_STARTED;
		snprintf(r->error, sizeof(r->error), "cannot run '%s': %s%s", bochs, strerror(child_errno),
			 child_errno == ENOENT ? " (is Bochs installed? `make` runs ci/install-deps.sh)" : "");
	} else {
		for (;;) {
			pid_t w = waitpid(pid, &status, WNOHANG);
			if (w == pid)
				break;
			if (o->stream_fd >= 0)
				streamed = stream_new(serial, streamed, o->stream_fd);
			double t = now_s();
			if (t - start >= o->timeout_s) {
				r->end = BOCHS_RUN_TIMED_OUT;
				break;
			}
			if (!finished_at && capture_finished(serial, &scanned))
				finished_at = t;
			if (finished_at && t - finished_at >= o->grace_s) {
				r->end = BOCHS_RUN_LINGERED;
				break;
			}
			nanosleep(&(struct timespec){ 0, POLL_NS }, NULL);
		}
		if (r->end == BOCHS_RUN_TIMED_OUT || r->end == BOCHS_RUN_LINGERED) {
			kill(-pid, SIGKILL);
			waitpid(pid, &status, 0);
		} else if (WIFSIGNALED(status)) {
			r->end = BOCHS_RUN_SIGNALED;
			r->code = WTERMSIG(status);
		} else {
			r->end = BOCHS_RUN_EXITED;
			r->code = WEXITSTATUS(status);
		}
		kill(-pid, SIGKILL); /* anything Bochs left in its group */
	}
	running_pgid = 0;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	r->seconds = now_s() - start;
	if (o->stream_fd >= 0)
		stream_new(serial, streamed, o->stream_fd);
	free(r->serial);
	free(r->bochs_tail);
	r->serial = read_or_empty(serial, &r->serial_len);
	r->bochs_tail = read_tail(out);
	return r->end == BOCHS_RUN_NOT_STARTED ? -1 : 0;
}

void bochs_run_describe(const struct bochs_run_result *r, const struct bochs_run_opts *o, char *buf, size_t len)
{
	switch (r->end) {
	case BOCHS_RUN_EXITED:
		snprintf(buf, len, "Bochs exited with code %d after %.1f s", r->code, r->seconds);
		break;
	case BOCHS_RUN_SIGNALED:
		snprintf(buf, len, "Bochs died of signal %d (%s) after %.1f s", r->code, strsignal(r->code),
			 r->seconds);
		break;
	case BOCHS_RUN_TIMED_OUT:
		snprintf(buf, len, "timed out after %u s: Bochs killed (raise --timeout, or a guest or the "
			 "hypervisor hangs)", o->timeout_s);
		break;
	case BOCHS_RUN_LINGERED:
		snprintf(buf, len, "the run ended but Bochs did not exit within %u s: killed", o->grace_s);
		break;
	case BOCHS_RUN_NOT_STARTED:
		snprintf(buf, len, "Bochs not started: %s", r->error);
		break;
	}
}

/* A temporary run directory holds only files that Bochs and this harness made. */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (d) {
		for (struct dirent *e; (e = readdir(d));)
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	rmdir(dir);
}

void bochs_run_result_free(struct bochs_run_result *r)
{
	if (r->own_dir && r->dir[0])
		remove_dir(r->dir);
	free(r->serial);
	free(r->bochs_tail);
	*r = (struct bochs_run_result){ 0 };
}
