#include "run/boot_modules.h"

bool boot_module_is_attached(const struct mb2_module *m)
{
	return m->cmdline[0] == BOOT_MODULE_MARK;
}

static bool word_end(char c)
{
	return c == ' ' || c == '\0';
}

/* Are the first words (up to a space or the end) of a and b the same? */
static bool same_first_word(const char *a, const char *b)
{
	for (; !word_end(*a) && *a == *b; a++, b++)
		;
	return word_end(*a) && word_end(*b);
}

/* A boot module's own string: what follows its first word and the spaces after it. */
static const char *module_string(const char *s)
{
	while (!word_end(*s))
		s++;
	while (*s == ' ')
		s++;
	return s;
}

unsigned boot_modules_of(const struct mb2_module *all, size_t n, const char *name, struct mb1_module *out,
			 unsigned max)
{
	unsigned found = 0;
	for (size_t i = 0; i < n; i++) {
		if (!boot_module_is_attached(&all[i]) || !same_first_word(all[i].cmdline + 1, name))
			continue;
		if (found < max)
			out[found] = (struct mb1_module){ (const uint8_t *)(uintptr_t)all[i].start,
							  all[i].end - all[i].start, module_string(all[i].cmdline) };
		found++;
	}
	return found;
}

const struct mb2_module *boot_module_orphan(const struct mb2_module *all, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!boot_module_is_attached(&all[i]))
			continue;
		bool owned = false;
		for (size_t g = 0; g < n && !owned; g++)
			owned = !boot_module_is_attached(&all[g]) && !word_end(all[g].cmdline[0]) &&
				same_first_word(all[i].cmdline + 1, all[g].cmdline);
		if (!owned)
			return &all[i];
	}
	return NULL;
}
