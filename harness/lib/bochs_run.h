/*
 * Run Bochs once, headless, on vexit (ISO or direct boot), with a hard timeout, and capture
 * what the hypervisor wrote to COM1. Bochs may ignore SIGTERM, so it runs in a
 * process group of its own that is SIGKILLed at the timeout (and if the harness
 * itself is interrupted): no Bochs outlives a run.
 */
#ifndef VEXIT_HARNESS_BOCHS_RUN_H
#define VEXIT_HARNESS_BOCHS_RUN_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "direct_boot.h"

struct bochs_run_opts {
	const char *bochs;      /* program; NULL means $VEXIT_BOCHS, else "bochs" from PATH */
	/*
	 * What boots: the GRUB ISO (iso, exported to the bochsrc as $VEXIT_ISO), or,
	 * when kernel is set, the kernel ELF and the modules straight from a disk the
	 * harness writes (direct_boot.h, $VEXIT_DISK). $VEXIT_BOOT says which: cdrom or disk.
	 */
	const char *iso;
	const char *kernel;
	const char *kernel_args; /* direct boot: the kernel's command line (GRUB: grub.cfg's) */
	const struct direct_boot_module *modules;
	size_t n_modules;
	const char *bochsrc;
	unsigned timeout_s;     /* hard limit for the whole run */
	unsigned grace_s;       /* after 'VEXIT end' or 'VEXIT panic', how long Bochs may take to exit */
	const char *work_dir;   /* keep serial.txt, bochs.log, bochs.out here; NULL: a temporary directory */
	int stream_fd;          /* >= 0: copy the capture there as it grows (live output) */
	const char *stream_prefix; /* with stream_fd: streamed a whole line at a time, each after this */
	const char *cpu;        /* Bochs CPU model, exported as $VEXIT_CPU; NULL: corei7_skylake_x */
	const char *select;     /* GRUB: tests= list for the kernel (select.h), via $VEXIT_SELECT; NULL: all */
	const char *bare;       /* GRUB, an external-kernel ISO (grub_tree.h): boot this kernel bare, no vexit */
	const char *end_line;   /* a console line that ends the run as 'VEXIT end' does (grace_s, then killed) */
	const char *debugger_cmds; /* Bochs debugger script (one command a line); NULL: continue, quit at the end */
};

#define BOCHS_RUN_DEFAULT_CPU "corei7_skylake_x"

enum bochs_run_end {
	BOCHS_RUN_EXITED,       /* Bochs exited by itself (its exit code proves nothing) */
	BOCHS_RUN_SIGNALED,     /* Bochs died of a signal */
	BOCHS_RUN_TIMED_OUT,    /* killed at the timeout */
	BOCHS_RUN_LINGERED,     /* the run ended but Bochs did not exit within grace_s: killed */
	BOCHS_RUN_NOT_STARTED,  /* bad options, missing files, or exec failed: see error */
};

struct bochs_run_result {
	enum bochs_run_end end;
	int code;               /* exit code (EXITED) or signal number (SIGNALED) */
	double seconds;         /* wall time, for the human reading; never in the protocol */
	char *serial;           /* the COM1 capture, NUL-terminated */
	size_t serial_len;
	char *bochs_tail;       /* the last lines Bochs printed itself (stdout+stderr) */
	char dir[PATH_MAX];     /* where the run's files are */
	bool own_dir;           /* dir is temporary: bochs_run_result_free removes it */
	char error[2 * PATH_MAX + 256]; /* NOT_STARTED: why */
	/* Private state of a run in progress (bochs_run_start .. bochs_run_poll). */
	int pid;
	unsigned retries;       /* restarts after an RFB port clash with another Bochs */
	double start, finished_at;
	long long streamed, scanned;
	char serial_path[PATH_MAX + 16], out_path[PATH_MAX + 16];
};

/* Returns 0 when Bochs ran (whatever its end), -1 when it could not be started. */
int bochs_run(const struct bochs_run_opts *o, struct bochs_run_result *r);
/*
 * The same in two steps, to run several Bochs at once: start (0, or -1 with
 * r->end == BOCHS_RUN_NOT_STARTED), then poll until it returns true (the run
 * is over and r is complete). Poll every few tens of milliseconds.
 */
int bochs_run_start(const struct bochs_run_opts *o, struct bochs_run_result *r);
bool bochs_run_poll(const struct bochs_run_opts *o, struct bochs_run_result *r);
/* Kill every Bochs this process started and that still runs (for fatal errors). */
void bochs_run_kill_all(void);
/* One line saying how the run ended, e.g. "timed out after 600 s (Bochs killed)". */
void bochs_run_describe(const struct bochs_run_result *r, const struct bochs_run_opts *o, char *buf,
			size_t len);
void bochs_run_result_free(struct bochs_run_result *r);

#endif
