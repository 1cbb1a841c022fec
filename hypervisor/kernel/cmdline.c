#include "kernel/cmdline.h"

#include "kernel/kstring.h"

bool cmdline_get(const char *cmdline, const char *key, char *out, size_t n)
{
	size_t klen = strlen(key);
	const char *p = cmdline;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *word = p;
		while (*p && *p != ' ')
			p++;
		if ((size_t)(p - word) > klen && strncmp(word, key, klen) == 0 && word[klen] == '=') {
			const char *v = word + klen + 1;
			size_t len = (size_t)(p - v);
			if (n == 0)
				return true;
			if (len > n - 1)
				len = n - 1;
			memcpy(out, v, len);
			out[len] = '\0';
			return true;
		}
	}
	return false;
}

bool cmdline_parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		uint64_t d = (uint64_t)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

void cmdline_first_word(const char *s, char *out, size_t n)
{
	size_t len = 0;
	while (*s == ' ')
		s++;
	while (s[len] && s[len] != ' ' && len < n - 1)
		len++;
	memcpy(out, s, len);
	out[len] = '\0';
}

bool cmdline_list_has(const char *list, const char *name)
{
	size_t nlen = strlen(name);
	const char *p = list;
	for (;;) {
		const char *item = p;
		while (*p && *p != ',')
			p++;
		if ((size_t)(p - item) == nlen && strncmp(item, name, nlen) == 0)
			return true;
		if (!*p)
			return false;
		p++;
	}
}
