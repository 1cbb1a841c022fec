/*
 * The hypervisor's layering, checked on its sources: hypervisor/LAYERS lists its
 * folders bottom up (the Makefile builds them from the same list); a file may
 * include only headers of its own folder or of folders below it, always naming
 * the folder ("vm/vcpu.h"); and inline assembly (so every instruction, the VMX
 * ones included) appears only in hw/ (README, "Layout"). main.c sits above every
 * folder; boot/ is the assembly that runs before any C and is not a layer.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run_suite.h"

#define HV "hypervisor"
#define MAX_LAYERS 16

static char layers[MAX_LAYERS][32];
static unsigned n_layers;

static void read_layers(void)
{
	FILE *f = fopen(HV "/LAYERS", "r");
	ck_assert_msg(f, "cannot open " HV "/LAYERS (run from the top of the tree)");
	n_layers = 0;
	while (n_layers < MAX_LAYERS && fscanf(f, "%31s", layers[n_layers]) == 1)
		n_layers++;
	fclose(f);
	ck_assert_uint_ge(n_layers, 2);
}

/* The layer's rank, bottom 0; -1 when the folder is not a layer. */
static int rank(const char *folder)
{
	for (unsigned i = 0; i < n_layers; i++)
		if (strcmp(layers[i], folder) == 0)
			return (int)i;
	return -1;
}

static int is_source(const char *name)
{
	size_t n = strlen(name);
	return n > 2 && name[n - 2] == '.' && (name[n - 1] == 'c' || name[n - 1] == 'h' || name[n - 1] == 'S');
}

/* Every problem of one file, appended to out: includes that go up or name no folder, asm outside hw/. */
static void check_file(const char *folder, int file_rank, const char *path, char *out, size_t out_size)
{
	FILE *f = fopen(path, "r");
	ck_assert_msg(f, "cannot open %s", path);
	char line[1024];
	unsigned lineno = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		char problem[512] = "";
		const char *inc = strstr(line, "#include \"");
		if (inc == line) {
			const char *name = inc + strlen("#include \"");
			const char *slash = strchr(name, '/');
			const char *quote = strchr(name, '"');
			if (!slash || (quote && quote < slash)) {
				snprintf(problem, sizeof(problem), "includes a header without its folder");
			} else {
				char dep[32];
				size_t len = (size_t)(slash - name) < sizeof(dep) - 1 ? (size_t)(slash - name) : sizeof(dep) - 1;
				memcpy(dep, name, len);
				dep[len] = '\0';
				int r = rank(dep);
				if (r < 0)
					snprintf(problem, sizeof(problem), "includes from %s/, which is not a layer", dep);
				else if (r > file_rank)
					snprintf(problem, sizeof(problem), "%s/ includes %s/, a layer above it", folder,
						 dep);
			}
		}
		if (strcmp(folder, "hw") != 0 && strcmp(folder, "boot") != 0) {
			/* VMX and every other instruction can only be reached through asm statements. */
			static const char *const asm_forms[] = { "__asm__", "asm volatile", "asm(" };
			for (unsigned i = 0; i < sizeof(asm_forms) / sizeof(asm_forms[0]); i++)
				if (strstr(line, asm_forms[i]))
					snprintf(problem, sizeof(problem), "has `%s` outside hw/", asm_forms[i]);
		}
		if (problem[0]) {
			size_t used = strlen(out);
			snprintf(out + used, out_size - used, "%s:%u: %s\n", path, lineno, problem);
		}
	}
	fclose(f);
}

/* Check every source file of one folder (rank: its layer's, or above all for main.c's folder). */
static void check_folder(const char *folder, int folder_rank, char *out, size_t out_size)
{
	char dir_path[256];
	snprintf(dir_path, sizeof(dir_path), HV "/%s", folder);
	DIR *d = opendir(dir_path);
	ck_assert_msg(d, "cannot open %s", dir_path);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!is_source(e->d_name))
			continue;
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", dir_path, e->d_name);
		check_file(folder, folder_rank, path, out, out_size);
	}
	closedir(d);
}

START_TEST(test_every_layer_exists)
{
	read_layers();
	for (unsigned i = 0; i < n_layers; i++) {
		char path[256];
		snprintf(path, sizeof(path), HV "/%s", layers[i]);
		DIR *d = opendir(path);
		ck_assert_msg(d, "LAYERS names %s, which does not exist", path);
		closedir(d);
	}
	ck_assert_int_eq(rank("hw"), 1); /* only constants (include/) lie below the hardware */
}
END_TEST

START_TEST(test_includes_point_down_and_asm_stays_in_hw)
{
	read_layers();
	static char problems[16384];
	problems[0] = '\0';
	for (unsigned i = 0; i < n_layers; i++)
		check_folder(layers[i], (int)i, problems, sizeof(problems));
	/* main.c and friends at the top of hypervisor/ may include any layer. */
	char top[32] = ".";
	check_file(top, (int)n_layers, HV "/main.c", problems, sizeof(problems));
	ck_assert_msg(problems[0] == '\0', "layering broken:\n%s", problems);
}
END_TEST

/* The checker itself: an upward include and an asm statement in a file of a low layer are both caught. */
START_TEST(test_checker_catches_breakage)
{
	read_layers();
	char path[] = "/tmp/vexit-layers-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	FILE *f = fdopen(fd, "w");
	fputs("#include \"run/vcpu_run.h\"\n#include \"stdio.h\"\nstatic void f(void) { __asm__(\"nop\"); }\n", f);
	fclose(f);
	char problems[2048] = "";
	check_file("kernel", rank("kernel"), path, problems, sizeof(problems));
	unlink(path);
	ck_assert_msg(strstr(problems, "kernel/ includes run/, a layer above it"), "%s", problems);
	ck_assert_msg(strstr(problems, "without its folder"), "%s", problems);
	ck_assert_msg(strstr(problems, "`__asm__` outside hw/"), "%s", problems);
}
END_TEST

static Suite *layers_suite(void)
{
	Suite *s = suite_create("layers");
	TCase *tc = tcase_create("layers");
	tcase_add_test(tc, test_every_layer_exists);
	tcase_add_test(tc, test_includes_point_down_and_asm_stays_in_hw);
	tcase_add_test(tc, test_checker_catches_breakage);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(layers_suite(), CK_NORMAL);
}
