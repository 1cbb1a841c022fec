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
#include "frozen_clock.h"
#include "select.h"
#include "strlist.h"

#define POLL_NS 20000000L /* 20 ms */
#define TAIL_BYTES 2048
#define MAX_CAPTURE_BYTES (256u << 20)

/* The process groups to kill if the harness is interrupted while Bochs runs (0: free slot). */
#define MAX_RUNNING 64
static volatile sig_atomic_t running_pgid[MAX_RUNNING];

void bochs_run_kill_all(void)
{
	for (int i = 0; i < MAX_RUNNING; i++)
		if (running_pgid[i] > 0)
			kill(-(pid_t)running_pgid[i], SIGKILL);
}

static void on_fatal_signal(int sig)
{
	bochs_run_kill_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int track(pid_t pgid)
{
	for (int i = 0; i < MAX_RUNNING; i++)
		if (running_pgid[i] == 0) {
			running_pgid[i] = pgid;
			return 0;
		}
	return -1;
}

static void untrack(pid_t pgid)
{
	for (int i = 0; i < MAX_RUNNING; i++)
		if (running_pgid[i] == pgid)
			running_pgid[i] = 0;
}

/* The harness's handlers stay installed while any Bochs runs: no Bochs outlives an interrupted harness. */
static void install_handlers(void)
{
	struct sigaction sa = { .sa_handler = on_fatal_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL); /* e.g. `vexit-run --stream | head` */
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

/*
 * Copy new bytes of the capture to fd; returns the new offset. With a prefix,
 * only whole lines are copied, each after the prefix, until `final`.
 */
static off_t stream_new(const char *path, off_t done, int fd, const char *prefix, bool final)
{
	int in = open(path, O_RDONLY);
	if (in < 0)
		return done;
	char buf[65536];
	ssize_t n;
	while ((n = pread(in, buf, sizeof(buf), done)) > 0) {
		size_t take = (size_t)n;
		if (prefix && !final) {
			char *nl = memrchr(buf, '\n', take);
			if (!nl)
				break;
			take = (size_t)(nl + 1 - buf);
		}
		for (size_t i = 0; i < take;) {
			char *nl = prefix ? memchr(buf + i, '\n', take - i) : NULL;
			size_t len = nl ? (size_t)(nl + 1 - (buf + i)) : take - i;
			if ((prefix && write(fd, prefix, strlen(prefix)) < 0) || write(fd, buf + i, len) < 0)
				break;
			i += len;
		}
		if (prefix && final && buf[take - 1] != '\n')
			(void)!write(fd, "\n", 1);
		done += (off_t)take;
		if (take < (size_t)n)
			break;
	}
	close(in);
	return done;
}

/*
 * The ROM images the bochsrc names (romimage:, vgaromimage: file=...), with
 * $VARS expanded as Bochs does ($BXSHARE defaults to /usr/share/bochs): a
 * missing ROM makes Bochs stop with a panic that is easy to miss, so name it first.
 */
static const char *missing_rom(const char *bochsrc, char *buf, size_t len)
{
	size_t n;
	char *rc = file_read(bochsrc, 1u << 20, &n);
	if (!rc)
		return NULL;
	const char *missing = NULL;
	for (char *save = NULL, *l = strtok_r(rc, "\n", &save); l && !missing; l = strtok_r(NULL, "\n", &save)) {
		while (*l == ' ' || *l == '\t')
			l++;
		if (strncmp(l, "romimage:", 9) && strncmp(l, "vgaromimage:", 12))
			continue;
		char *file = strstr(l, "file=");
		if (!file)
			continue;
		file += 5;
		size_t o = 0;
		for (char *p = file; *p && *p != ',' && *p != ' ' && o + 1 < len;) {
			if (*p != '$') {
				buf[o++] = *p++;
				continue;
			}
			char var[128];
			size_t v = 0;
			for (p++; (*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
				   (*p >= '0' && *p <= '9')) && v + 1 < sizeof(var);)
				var[v++] = *p++;
			var[v] = '\0';
			const char *val = getenv(var);
			if (!val && strcmp(var, "BXSHARE") == 0)
				val = "/usr/share/bochs";
			for (; val && *val && o + 1 < len; val++)
				buf[o++] = *val;
		}
		buf[o] = '\0';
		if (o && access(buf, R_OK) != 0)
			missing = buf;
	}
	free(rc);
	return missing;
}

/*
 * True once the capture holds the run's last line ('VEXIT end', a panic, or the end line of a bare
 * kernel). Only what was written since the last call is read (*scanned: bytes seen).
 */
static bool capture_finished(const char *path, const char *end_line, off_t *scanned)
{
	char end[512];
	snprintf(end, sizeof(end), "\n%s", end_line ? end_line : "VEXIT end\n");
	const char *const markers[] = { "\nVEXIT end\n", "\nVEXIT panic ", end };
	off_t overlap = (off_t)strlen(end) + 16; /* longer than a marker, so one split across two reads is found */
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	bool found = false;
	char buf[65536 + 1];
	for (;;) {
		off_t from = *scanned > overlap ? *scanned - overlap : 0;
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

struct child_env {
	const char *iso, *iso_status, *disk, *boot, *serial, *log, *select, *cpu, *clock;
};

static void child_exec(const char *bochs, const char *rc, const char *cmds, const char *out_path,
		       const struct child_env *env, int err_fd)
{
	setpgid(0, 0);
	int devnull = open("/dev/null", O_RDONLY);
	int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int e = 0;
	char preload[2 * PATH_MAX + 64];
	if (devnull < 0 || out < 0 || dup2(devnull, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
		e = errno;
	/* Bochs's host clock, frozen (frozen_clock.h): no run depends on how fast the host ran. */
	if (!e && !frozen_clock_preload(env->clock, getenv("LD_PRELOAD"), preload, sizeof(preload)))
		e = E2BIG;
	if (!e && setenv("LD_PRELOAD", preload, 1))
		e = errno;
	/* Set here, in the child, so that runs started side by side each see their own values. */
	if (!e && (setenv("VEXIT_ISO", env->iso, 1) || setenv("VEXIT_ISO_STATUS", env->iso_status, 1) ||
		   setenv("VEXIT_DISK", env->disk, 1) || setenv("VEXIT_BOOT", env->boot, 1) ||
		   setenv("VEXIT_SERIAL", env->serial, 1) || setenv("VEXIT_LOG", env->log, 1) ||
		   setenv("VEXIT_SELECT", env->select, 1) || setenv("VEXIT_CPU", env->cpu, 1)))
		e = errno;
	if (e) {
		(void)!write(err_fd, &e, sizeof(e));
		_exit(127);
	}
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	/* -unlock: a Bochs killed at a timeout leaves its image lock files behind; clear them. */
	execlp(bochs, bochs, "-q", "-unlock", "-f", rc, "-rc", cmds, (char *)NULL);
	e = errno;
	(void)!write(err_fd, &e, sizeof(e));
	_exit(127);
}

#define RFB_RETRIES 5
#define START_GAP_S 0.01

/*
 * Bochs's RFB display binds a port, then listens, in a thread of its own: two
 * Bochs that start at the same instant can both bind one port, and one of them
 * fails (bochs_run_poll then starts it again, at a cost). Starts this process
 * makes are kept START_GAP_S apart, which is enough, as Bochs's start-up takes
 * the same time on every run.
 */
static void space_starts(void)
{
	static double last;
	double wait = last + START_GAP_S - now_s();
	if (last && wait > 0)
		nanosleep(&(struct timespec){ 0, (long)(wait * 1e9) }, NULL);
	last = now_s();
}

static bool rfb_clash(const char *out_path)
{
	size_t len;
	char *out = file_read(out_path, 1u << 20, &len);
	bool clash = out && strstr(out, "RFB could not bind");
	free(out);
	return clash;
}

static bool valid_cpu_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static void finish(const struct bochs_run_opts *o, struct bochs_run_result *r)
{
	untrack(r->pid);
	r->seconds = now_s() - r->start;
	if (o->stream_fd >= 0)
		stream_new(r->serial_path, r->streamed, o->stream_fd, o->stream_prefix, true);
	free(r->serial);
	free(r->bochs_tail);
	r->serial = read_or_empty(r->serial_path, &r->serial_len);
	r->bochs_tail = read_tail(r->out_path);
}

int bochs_run_start(const struct bochs_run_opts *o, struct bochs_run_result *r)
{
	*r = (struct bochs_run_result){ 0 };
	r->serial = xstrndup("", 0);
	r->bochs_tail = xstrndup("", 0);
	const char *bochs = o->bochs ? o->bochs : getenv("VEXIT_BOCHS");
	if (!bochs || !*bochs)
		bochs = "bochs";
	const char *cpu = o->cpu ? o->cpu : BOCHS_RUN_DEFAULT_CPU;
	char iso[PATH_MAX], rc[PATH_MAX], rom[PATH_MAX];
	if (o->kernel)
		snprintf(iso, sizeof(iso), "none"); /* no CD: the bochsrc's drive stays empty */
	else if (!o->iso || !realpath(o->iso, iso))
		return not_started(r, "boot image %s: %s", o->iso ? o->iso : "(none)", strerror(errno));
	if (!o->bochsrc || !realpath(o->bochsrc, rc))
		return not_started(r, "bochsrc %s: %s", o->bochsrc ? o->bochsrc : "(none)", strerror(errno));
	if (o->timeout_s == 0)
		return not_started(r, "%s%s", "the timeout must be at least 1 second", "");
	if (!valid_cpu_name(cpu))
		return not_started(r, "'%s' is not a Bochs CPU model name%s", cpu, "");
	if (missing_rom(rc, rom, sizeof(rom)))
		return not_started(r, "ROM image missing: %s (named in %s; install bochsbios and vgabios)", rom, rc);

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
	char log[PATH_MAX + 16], cmds[PATH_MAX + 16], sel[PATH_MAX + 16], disk[PATH_MAX + 16], clock[PATH_MAX + 32];
	snprintf(r->serial_path, sizeof(r->serial_path), "%s/serial.txt", r->dir);
	snprintf(r->out_path, sizeof(r->out_path), "%s/bochs.out", r->dir);
	snprintf(log, sizeof(log), "%s/bochs.log", r->dir);
	snprintf(cmds, sizeof(cmds), "%s/debugger.rc", r->dir);
	snprintf(sel, sizeof(sel), "%s/select.img", r->dir);
	snprintf(disk, sizeof(disk), "%s/boot-disk.img", r->dir);
	snprintf(clock, sizeof(clock), "%s/frozen-clock.so", r->dir);
	unlink(r->serial_path);
	unlink(log);
	FILE *f = fopen(cmds, "w");
	/* Bochs is built with its debugger: continue at the prompt, quit when the simulation ends. */
	if (!f || fputs(o->debugger_cmds ? o->debugger_cmds : "c\nquit\n", f) < 0 || fclose(f) != 0)
		return not_started(r, "cannot write %s: %s", cmds, strerror(errno));
	if (frozen_clock_write(clock) < 0)
		return not_started(r, "cannot write %s: %s", clock, strerror(errno));
	if ((o->bare ? select_bare_image_write(sel, o->bare) : select_image_write(sel, o->select && !o->kernel ? o->select : "")) < 0)
		return not_started(r, "cannot write the selection image %s: %s", sel, strerror(errno));
	if (o->kernel) {
		char why[PATH_MAX + 256];
		if (direct_boot_disk_write(disk, o->kernel, o->kernel_args ? o->kernel_args : "", o->modules,
					   o->n_modules, why, sizeof(why)))
			return not_started(r, "direct boot: %s%s", why, "");
	} else if (direct_boot_blank_disk(disk) < 0) {
		return not_started(r, "cannot write %s: %s", disk, strerror(errno));
	}

	int errpipe[2];
	if (pipe2(errpipe, O_CLOEXEC) < 0)
		return not_started(r, "pipe: %s%s", strerror(errno), "");
	install_handlers();
	space_starts();
	r->start = now_s();
	pid_t pid = fork();
	if (pid < 0) {
		close(errpipe[0]);
		close(errpipe[1]);
		return not_started(r, "fork: %s%s", strerror(errno), "");
	}
	if (pid == 0) {
		close(errpipe[0]);
		struct child_env env = { iso, o->kernel ? "ejected" : "inserted", disk, o->kernel ? "disk" : "cdrom",
					 r->serial_path, log, sel, cpu, clock };
		child_exec(bochs, rc, cmds, r->out_path, &env, errpipe[1]);
	}
	setpgid(pid, pid); /* also done by the child: whichever runs first */
	r->pid = pid;
	track(pid);
	close(errpipe[1]);
	int child_errno = 0;
	ssize_t got = read(errpipe[0], &child_errno, sizeof(child_errno));
	close(errpipe[0]);
	if (got == (ssize_t)sizeof(child_errno)) {
		waitpid(pid, NULL, 0);
		untrack(pid);
		return not_started(r, "cannot run '%s': %s", bochs,
				   child_errno == ENOENT ? "No such file or directory (is Bochs installed? `make` "
							   "runs ci/install-deps.sh)"
							 : strerror(child_errno));
	}
	return 0;
}

bool bochs_run_poll(const struct bochs_run_opts *o, struct bochs_run_result *r)
{
	if (r->end == BOCHS_RUN_NOT_STARTED || !r->pid)
		return true;
	int status = 0;
	pid_t w = waitpid(r->pid, &status, WNOHANG);
	if (w == r->pid && r->retries < RFB_RETRIES && rfb_clash(r->out_path)) {
		/*
		 * Two Bochs that start at the same instant can both fail to bind an RFB
		 * port (its bind/listen race leaves the socket unusable): start again.
		 */
		unsigned retries = r->retries + 1;
		kill(-r->pid, SIGKILL);
		untrack(r->pid);
		bochs_run_result_free(r);
		nanosleep(&(struct timespec){ 0, (long)(20 + (getpid() * 37u + retries * 53u) % 100u) * 1000000L },
			  NULL);
		bochs_run_start(o, r);
		r->retries = retries;
		return r->end == BOCHS_RUN_NOT_STARTED;
	}
	if (w == r->pid) {
		if (WIFSIGNALED(status)) {
			r->end = BOCHS_RUN_SIGNALED;
			r->code = WTERMSIG(status);
		} else {
			r->end = BOCHS_RUN_EXITED;
			r->code = WEXITSTATUS(status);
		}
		kill(-r->pid, SIGKILL); /* anything Bochs left in its group */
		finish(o, r);
		return true;
	}
	if (o->stream_fd >= 0)
		r->streamed = stream_new(r->serial_path, r->streamed, o->stream_fd, o->stream_prefix, false);
	double t = now_s();
	off_t scanned = r->scanned;
	if (!r->finished_at && capture_finished(r->serial_path, o->end_line, &scanned))
		r->finished_at = t;
	r->scanned = scanned;
	if (t - r->start >= o->timeout_s)
		r->end = BOCHS_RUN_TIMED_OUT;
	else if (r->finished_at && t - r->finished_at >= o->grace_s)
		r->end = BOCHS_RUN_LINGERED;
	else
		return false;
	kill(-r->pid, SIGKILL);
	waitpid(r->pid, &status, 0);
	finish(o, r);
	return true;
}

int bochs_run(const struct bochs_run_opts *o, struct bochs_run_result *r)
{
	if (bochs_run_start(o, r) < 0)
		return -1;
	while (!bochs_run_poll(o, r))
		nanosleep(&(struct timespec){ 0, POLL_NS }, NULL);
	return 0;
}

void bochs_run_describe(const struct bochs_run_result *r, const struct bochs_run_opts *o, char *buf, size_t len)
{
	char retried[96] = "";
	if (r->retries)
		snprintf(retried, sizeof(retried), " (restarted %u time%s after an RFB port clash)", r->retries,
			 r->retries == 1 ? "" : "s");

	switch (r->end) {
	case BOCHS_RUN_EXITED:
		snprintf(buf, len, "Bochs exited with code %d after %.1f s%s", r->code, r->seconds, retried);
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
