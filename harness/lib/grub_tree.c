#include "grub_tree.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "file_read.h"

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/*
 * The words of `text`, each in GRUB's single quotes. GRUB joins a loader command's arguments with
 * spaces, but puts a backslash before a quote or a backslash (grub_create_loader_cmdline): such a
 * word would reach the kernel changed, so it is refused. 0, or -1 with err.
 */
static int quoted_words(FILE *f, const char *name, const char *text, char *err, size_t errlen)
{
	for (const char *p = text; *p; p++)
		if (*p == '\'' || *p == '"' || *p == '\\' || (unsigned char)*p < 0x20 || *p == 0x7f) {
			snprintf(err, errlen, "kernel %s: GRUB would not pass the argument text '%s' through unchanged "
				 "(a quote, a backslash or a control byte in it)", name, text);
			return -1;
		}
	char *copy = xstrndup(text, strlen(text));
	for (char *save = NULL, *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		fprintf(f, " '%s'", w);
	free(copy);
	return 0;
}

/* Boot module k of guest g: is it the environment, whose text is in the manifest (no file)? */
static bool is_env(const struct suite_guest *g, size_t k)
{
	return k == 0 && g->ext && g->ext->env;
}

/* The name under /ext of guest g's file: the kernel (k = -1) or boot module k. The caller frees it. */
static char *ext_name(const struct suite_guest *g, long k)
{
	if (k >= 0 && is_env(g, (size_t)k)) {
		size_t n = strlen(g->name) + 5;
		char *s = xrealloc(NULL, n);
		snprintf(s, n, "%s.env", g->name);
		return s;
	}
	const char *b = base_name(k < 0 ? g->image : g->boot_paths.v[k]);
	return xstrndup(b, strlen(b));
}

/* Two different files the ISO would hold under one name. 0, or -1 with err. */
static int same_names(const struct suite *s, char *err, size_t errlen)
{
	struct strlist names = { 0 }, paths = { 0 };
	int rc = 0;
	for (size_t i = 0; i < s->n && !rc; i++) {
		const struct suite_guest *g = &s->guests[i];
		for (long k = -1; k < (long)g->boot_paths.n && !rc; k++) {
			char *name = ext_name(g, k);
			const char *path = k < 0 ? g->image : g->boot_paths.v[k];
			long at = strlist_find(&names, name);
			if (at >= 0 && strcmp(paths.v[at], path) != 0) {
				snprintf(err, errlen, "%s and %s have one file name (%s): the ISO holds one directory of them",
					 paths.v[at], path, name);
				rc = -1;
			}
			strlist_addf(&names, "%s", name);
			strlist_addf(&paths, "%s", path);
			free(name);
		}
	}
	strlist_free(&names);
	strlist_free(&paths);
	return rc;
}

/* `<command> /ext/<file> <its string, quoted words>` for each boot module of g; bare: without `+NAME`. */
static int boot_module_lines(FILE *f, const struct suite_guest *g, const char *indent, const char *command, bool bare,
			     char *err, size_t errlen)
{
	for (size_t k = 0; k < g->boot_paths.n; k++) {
		char *name = ext_name(g, (long)k);
		fprintf(f, "%s%s /ext/%s", indent, command, name);
		free(name);
		const char *str = g->boot_strings.v[k];
		if (bare) /* "+NAME STRING": the kernel's own boot loader passes STRING */
			str += strcspn(str, " ") + (str[strcspn(str, " ")] == ' ');
		if (quoted_words(f, g->name, str, err, errlen))
			return -1;
		fputc('\n', f);
	}
	return 0;
}

int grub_tree_cfg(FILE *f, const struct suite *s, const char *kernel_path, const char *kernel_args, char *err,
		  size_t errlen)
{
	if (same_names(s, err, errlen))
		return -1;
	fputs("# Written by vexit-run --grub-tree (harness/lib/grub_tree.h): external kernels under vexit,\n"
	      "# or one of them bare. The harness's floppy sets vexit_select (tests=...) or vexit_bare.\n"
	      "set timeout=0\nset default=0\nset vexit_select=\"\"\nset vexit_bare=\"\"\ninsmod blocklist\n"
	      "if source (fd0)0+8; then true; fi\nmenuentry \"vexit\" {\n", f);
	for (size_t i = 0; i < s->n; i++) {
		const struct suite_guest *g = &s->guests[i];
		fprintf(f, "  if [ \"$vexit_bare\" = \"%s\" ]; then\n    multiboot /ext/%s", g->name, base_name(g->image));
		if (quoted_words(f, g->name, g->module, err, errlen))
			return -1;
		fputc('\n', f);
		if (boot_module_lines(f, g, "    ", "module", true, err, errlen))
			return -1;
		fputs("    boot\n  fi\n", f);
	}
	/* A bare kernel GRUB could not boot says so on COM1 and ends Bochs (its shutdown port), never hangs. */
	fputs("  if [ -n \"$vexit_bare\" ]; then\n    serial --unit=0 --speed=115200\n    terminal_output serial\n"
	      "    echo \"vexit-bare: GRUB could not boot $vexit_bare\"\n"
	      "    for c in 0x53 0x68 0x75 0x74 0x64 0x6f 0x77 0x6e; do outb 0x8900 $c; done\n  fi\n", f);
	fprintf(f, "  multiboot2 %s", kernel_path);
	if (quoted_words(f, "vexit", kernel_args, err, errlen))
		return -1;
	char *opts = suite_kernel_options(s);
	int rc = quoted_words(f, "vexit", opts, err, errlen);
	free(opts);
	if (rc)
		return -1;
	fputs(" $vexit_select\n", f);
	for (size_t i = 0; i < s->n; i++) {
		const struct suite_guest *g = &s->guests[i];
		fprintf(f, "  module2 /ext/%s", base_name(g->image));
		if (quoted_words(f, g->name, g->module, err, errlen))
			return -1;
		fputc('\n', f);
		if (boot_module_lines(f, g, "  ", "module2", false, err, errlen))
			return -1;
	}
	fputs("  boot\n}\n", f);
	return 0;
}

/* Write len bytes to path. 0, or -1 with err. */
static int write_bytes(const char *path, const char *data, size_t len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "wb");
	bool ok = f && fwrite(data, 1, len, f) == len;
	ok = f && fclose(f) == 0 && ok;
	if (!ok)
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
	return ok ? 0 : -1;
}

/* Copy the file `from` to `to`. 0, or -1 with err. */
static int copy_file(const char *from, const char *to, char *err, size_t errlen)
{
	size_t len;
	char *data = file_read(from, 1u << 30, &len);
	if (!data) {
		snprintf(err, errlen, "cannot read %s: %s", from, strerror(errno));
		return -1;
	}
	int rc = write_bytes(to, data, len, err, errlen);
	free(data);
	return rc;
}

static int make_dir(const char *dir, const char *sub, char *path, size_t len, char *err, size_t errlen)
{
	snprintf(path, len, "%s%s", dir, sub);
	if (mkdir(path, 0755) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int grub_tree_write(const char *dir, const char *kernel, const char *kernel_args, const struct suite *s, char *err,
		    size_t errlen)
{
	char path[PATH_MAX + 64];
	if (make_dir(dir, "", path, sizeof(path), err, errlen) || make_dir(dir, "/boot", path, sizeof(path), err, errlen) ||
	    make_dir(dir, "/boot/grub", path, sizeof(path), err, errlen) ||
	    make_dir(dir, "/ext", path, sizeof(path), err, errlen))
		return -1;
	snprintf(path, sizeof(path), "%s/boot/vexit.elf", dir);
	if (copy_file(kernel, path, err, errlen))
		return -1;
	for (size_t i = 0; i < s->n; i++) {
		const struct suite_guest *g = &s->guests[i];
		for (long k = -1; k < (long)g->boot_paths.n; k++) {
			char *name = ext_name(g, k);
			snprintf(path, sizeof(path), "%s/ext/%s", dir, name);
			free(name);
			int rc = k >= 0 && is_env(g, (size_t)k)
					 ? write_bytes(path, g->ext->env, strlen(g->ext->env), err, errlen)
					 : copy_file(k < 0 ? g->image : g->boot_paths.v[k], path, err, errlen);
			if (rc)
				return -1;
		}
	}
	snprintf(path, sizeof(path), "%s/boot/grub/grub.cfg", dir);
	FILE *f = fopen(path, "w");
	if (!f) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	int rc = grub_tree_cfg(f, s, "/boot/vexit.elf", kernel_args, err, errlen);
	if (fclose(f) != 0 && rc == 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		rc = -1;
	}
	return rc;
}
