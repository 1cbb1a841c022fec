#include "bochs_oracle.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "strlist.h"

/*
 * Bochs's reason texts (bochs 2.7, cpu/vmx.cc) by prefix, first match wins, to
 * the families of hypervisor/vmx/entry_check.h. Only prefixes whose meaning is
 * certain are listed; anything else maps to no family and is shown, not compared.
 */
static const struct {
	const char *prefix, *family;
} map[] = {
	{ "VMFAIL: VMCS EXEC CTRL:", "ctl" },
	{ "VMFAIL: VMCS VMENTRY CTRL:", "ctl" },
	{ "VMFAIL: VMCS VMEXIT CTRL:", "ctl" },
	{ "VMFAIL: VMENTRY bad", "ctl" },
	{ "VMFAIL: VMENTRY broken interruption info", "ctl" },
	{ "VMFAIL: VMENTRY injected event", "ctl" },
	{ "VMFAIL: save_VMX_preemption_timer", "ctl" },
	{ "VMFAIL: VMCS host", "host" },
	{ "VMFAIL: VMCS invalid host", "host" },
	{ "VMFAIL: VMCS x86-64 host", "host" },
	{ "VMFAIL: VMCS x86-64 guest(", "host" }, /* SDM 27.2.4: host address-space size vs IA-32e guest */
	{ "VMFAIL: invalid Memory Type in host", "host" },
	{ "VMFAIL: VMCS link pointer", "guest-nonreg" },
	{ "VMENTER FAIL: VMCS guest invalid CR", "guest-cr" },
	{ "VMENTER FAIL: VMCS guest invalid DR7", "guest-cr" },
	{ "VMENTER FAIL: VMCS unrestricted guest CR0", "guest-cr" },
	{ "VMENTER FAIL: VMCS guest CR4.", "guest-cr" },
	{ "VMENTER FAIL: VMCS CR4.PCIDE", "guest-cr" },
	{ "VMENTER FAIL: VMCS guest EFER", "guest-msr" },
	{ "VMENTER FAIL: VMCS guest SYSENTER", "guest-msr" },
	{ "VMENTER FAIL: invalid Memory Type in guest", "guest-msr" },
	{ "VMENTER FAIL: RFLAGS", "guest-rip" },
	{ "VMENTER FAIL: Enter to x86-64 guest with RFLAGS.VM", "guest-rip" },
	{ "VMENTER FAIL: VMCS guest RIP", "guest-rip" },
	{ "VMENTER FAIL: VMCS guest activity state", "guest-nonreg" },
	{ "VMENTER FAIL: VMCS guest HLT state", "guest-nonreg" },
	{ "VMENTER FAIL: VMCS guest interruptibility", "guest-nonreg" },
	{ "VMENTER FAIL: VMCS guest interrupts", "guest-nonreg" },
	{ "VMENTER FAIL: VMCS guest tmpDR6", "guest-nonreg" },
	{ "VMENTER FAIL: VMCS guest ", "guest-seg" }, /* what is left of "VMCS guest": segments, TR, LDTR, GDTR/IDTR */
	{ "VMENTER FAIL: VMCS unrestricted guest CS", "guest-seg" },
	{ "VMENTER FAIL: VMCS unrestricted guest SS", "guest-seg" },
	{ "VMENTER FAIL: VMCS v8086 guest", "guest-seg" },
};

/* VMFAIL lines of VMX instructions other than VMLAUNCH/VMRESUME: not entry failures. */
static const char *const not_entry[] = {
	"VMFAIL: VMREAD", "VMFAIL: VMWRITE", "VMFAIL: VMPTRLD", "VMFAIL: VMCLEAR", "VMFAIL: VMLEAR",
	"VMFAIL: VMCALL", "VMFAIL: VMFUNC", "VMFAIL: invalid or not page aligned",
};

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

const char *bochs_reason_family(const char *text)
{
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (starts(text, map[i].prefix))
			return map[i].family;
	return NULL;
}

void bochs_reasons_parse(const char *log, size_t len, struct bochs_reasons *out)
{
	*out = (struct bochs_reasons){ 0 };
	const char *p = log, *end = log + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = nl ? nl : end;
		/* "00174575965e[CPU0  ] VMENTER FAIL: ...": the message follows the first "] ". */
		const char *msg = NULL;
		for (const char *q = p; q + 1 < line_end; q++)
			if (q[0] == ']' && q[1] == ' ') {
				msg = q + 2;
				break;
			}
		if (msg) {
			size_t n = (size_t)(line_end - msg);
			while (n && (msg[n - 1] == '\r' || msg[n - 1] == ' '))
				n--;
			char *text = xstrndup(msg, n);
			bool entry = starts(text, "VMFAIL: ") || starts(text, "VMENTER FAIL: ");
			for (size_t i = 0; entry && i < sizeof(not_entry) / sizeof(not_entry[0]); i++)
				entry = !starts(text, not_entry[i]);
			if (entry) {
				out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
				out->v[out->n++] = (struct bochs_reason){ .text = text, .family = bochs_reason_family(text) };
			} else {
				free(text);
			}
		}
		p = nl ? nl + 1 : end;
	}
}

void bochs_reasons_free(struct bochs_reasons *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].text);
	free(r->v);
	*r = (struct bochs_reasons){ 0 };
}
