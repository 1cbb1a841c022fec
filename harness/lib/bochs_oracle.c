#include "bochs_oracle.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "strlist.h"

#define CAUSE(fmt, fam) { fmt, fam, BOCHS_CAUSE }
#define OUTCOME(fmt) { fmt, NULL, BOCHS_OUTCOME }
#define IGNORED(fmt) { fmt, NULL, BOCHS_IGNORED }
#define CTL "ctl"
#define HOST "host"
#define CR "guest-cr"
#define MSR "guest-msr"
#define SEG "guest-seg"
#define RIP "guest-rip"
#define NONREG "guest-nonreg"
#define PDPTE "guest-pdpte"
#define MSR_LOAD "msr-load"
/* VMLAUNCH/VMRESUME refused before any check of SDM 27.2 (SDM 31.3: VMfailInvalid, errors 4, 5, 26). */
#define LAUNCH "launch"

/*
 * Every message Bochs 2.7's cpu/vmx.cc logs while it runs VMLAUNCH/VMRESUME, in
 * the order of its checks (VMenterLoadCheckVmControls, ...HostState,
 * ...GuestState, LoadMSRs, VMLAUNCH itself), then the VMX messages that are not
 * about an entry. The texts are Bochs's own, with its printf conversions.
 */
const struct bochs_message bochs_messages[] = {
	/* VM-execution, VM-exit and VM-entry control fields: VMfailValid 7. */
	CAUSE("VMFAIL: VMCS EXEC CTRL: VMX pin-based controls allowed 0-settings", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: VMX pin-based controls allowed 1-settings [0x%x]", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: VMX proc-based controls allowed 0-settings", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: VMX proc-based controls allowed 1-settings [0x%x]", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: VMX secondary proc-based controls allowed 0-settings", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: VMX secondary controls allowed 1-settings [0x%x]", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: too may CR3 targets %d", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: I/O bitmap %c phy addr malformed", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: MSR bitmap phy addr malformed", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: misconfigured virtual NMI control", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: VMREAD bitmap phy addr malformed", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: VMWRITE bitmap phy addr malformed", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: broken #VE information address", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: virtual apic phy addr malformed", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: virtual interrupt delivery must be set together with external interrupt exiting",
	      CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: TPR threshold too big", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: TPR threshold > TPR shadow", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: apic virtualization is enabled without TPR shadow", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: apic access page phy addr malformed", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: virtualize X2APIC mode enabled together with APIC access virtualization", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: invalid EPTPTR value", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: unrestricted guest without EPT", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: guest VPID == 0", CTL),
	CAUSE("VMFAIL: VMCS VM Functions control reserved bits set", CTL),
	CAUSE("VMFAIL: VMFUNC EPTP-SWITCHING: EPT disabled", CTL),
	CAUSE("VMFAIL: VMFUNC EPTP-SWITCHING: eptp list phy addr malformed", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: PML is enabled without EPT", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: PML base phy addr malformed", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: SPP is enabled without EPT", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: SPP base phy addr malformed", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: TSC multiplier should be non zero", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: VMX vmexit controls allowed 0-settings", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: VMX vmexit controls allowed 1-settings [0x%x]", CTL),
	CAUSE("VMFAIL: save_VMX_preemption_timer VMEXIT control is set but VMX_preemption_timer VMEXEC control is clear",
	      CTL),
	CAUSE("VMFAIL: VMCS VMEXIT CTRL: msr store addr malformed", CTL),
	CAUSE("VMFAIL: VMCS VMEXIT CTRL: msr store addr too high", CTL),
	CAUSE("VMFAIL: VMCS VMEXIT CTRL: msr load addr malformed", CTL),
	CAUSE("VMFAIL: VMCS VMEXIT CTRL: msr load addr too high", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: VMX vmentry controls allowed 0-settings", CTL),
	CAUSE("VMFAIL: VMCS EXEC CTRL: VMX vmentry controls allowed 1-settings [0x%x]", CTL),
	CAUSE("VMFAIL: VMENTRY from outside SMM with dual-monitor treatment enabled", CTL),
	CAUSE("VMFAIL: VMCS VMENTRY CTRL: msr load addr malformed", CTL),
	CAUSE("VMFAIL: VMCS VMENTRY CTRL: msr load addr too high", CTL),
	CAUSE("VMFAIL: VMENTRY broken interruption info field", CTL),
	CAUSE("VMFAIL: VMENTRY bad injected event vector %d", CTL),
	CAUSE("VMFAIL: VMENTRY injected NMI vector when blocked by NMI in interruptibility state", CTL),
	CAUSE("VMFAIL: VMENTRY bad injected event instr length", CTL),
	CAUSE("VMFAIL: VMENTRY bad MTF injection with vector=%d", CTL),
	CAUSE("VMFAIL: VMENTRY bad injected event type %d", CTL),
	CAUSE("VMFAIL: VMENTRY injected event vector %d broken error code", CTL),
	CAUSE("VMFAIL: VMENTRY bad error code 0x%x for injected event %d", CTL),
	/* Host-state area: VMfailValid 8. */
	CAUSE("VMFAIL: VMCS x86-64 host control invalid on VMENTRY", HOST),
	CAUSE("VMFAIL: VMCS x86-64 guest(%d)/host(%d) controls invalid on VMENTRY", HOST),
	CAUSE("VMFAIL: VMCS host state invalid CR0 0x%x", HOST),
	CAUSE("VMFAIL: VMCS host state invalid CR3", HOST),
	CAUSE("VMFAIL: VMCS host state invalid CR4 0x%x", HOST),
	CAUSE("VMFAIL: VMCS host segreg %d TI/RPL != 0", HOST),
	CAUSE("VMFAIL: VMCS host CS selector 0", HOST),
	CAUSE("VMFAIL: VMCS host SS selector 0", HOST),
	CAUSE("VMFAIL: VMCS invalid host TR selector", HOST),
	CAUSE("VMFAIL: VMCS host TR BASE non canonical", HOST),
	CAUSE("VMFAIL: VMCS host FS BASE non canonical", HOST),
	CAUSE("VMFAIL: VMCS host GS BASE non canonical", HOST),
	CAUSE("VMFAIL: VMCS host GDTR BASE non canonical", HOST),
	CAUSE("VMFAIL: VMCS host IDTR BASE non canonical", HOST),
	CAUSE("VMFAIL: VMCS host SYSENTER_ESP_MSR non canonical", HOST),
	CAUSE("VMFAIL: VMCS host SYSENTER_EIP_MSR non canonical", HOST),
	CAUSE("VMFAIL: invalid Memory Type in host MSR_PAT", HOST),
	CAUSE("VMFAIL: VMCS host IA32_S_CET/EB_LEG_BITMAP_BASE non canonical or invalid", HOST),
	CAUSE("VMFAIL: VMCS host IA32_S_CET invalid", HOST),
	CAUSE("VMFAIL: VMCS host SSP non canonical or invalid", HOST),
	CAUSE("VMFAIL: VMCS host SSP[1:0] not zero", HOST),
	CAUSE("VMFAIL: VMCS host INTERRUPT_SSP_TABLE_ADDR non canonical or invalid", HOST),
	CAUSE("FAIL: VMCS host CR4.CET=1 when CR0.WP=0", HOST),
	CAUSE("VMFAIL: invalid host IA32_PKRS value", HOST),
	CAUSE("VMFAIL: VMCS host EFER reserved bits set !", HOST),
	CAUSE("VMFAIL: VMCS host EFER (0x%x) inconsistent value !", HOST),
	CAUSE("VMFAIL: VMCS host CR4.PAE=0 with x86-64 host", HOST),
	CAUSE("VMFAIL: VMCS host RIP non-canonical", HOST),
	CAUSE("VMFAIL: VMCS host RIP > 32 bit", HOST),
	CAUSE("VMFAIL: VMCS host CR4.PCIDE set", HOST),
	/* Guest-state area: an exit with reason 33 ("VMEXIT: Guest State Checks Failed" follows). */
	CAUSE("VMENTER FAIL: RFLAGS reserved bits are set", RIP),
	CAUSE("VMENTER FAIL: RFLAGS[1] cleared", RIP),
	CAUSE("VMENTER FAIL: Enter to x86-64 guest with RFLAGS.VM", RIP),
	CAUSE("VMENTER FAIL: VMCS guest invalid CR0", CR),
	CAUSE("VMENTER FAIL: VMCS unrestricted guest CR0.PG without CR0.PE", CR),
	CAUSE("VMENTER FAIL: VMCS guest invalid CR3", CR),
	CAUSE("VMENTER FAIL: VMCS guest invalid CR4", CR),
	CAUSE("VMENTER FAIL: VMCS guest CR4.PAE=0 in x86-64 mode", CR),
	CAUSE("VMENTER FAIL: VMCS CR4.PCIDE set in 32-bit guest", CR),
	CAUSE("VMENTER FAIL: VMCS guest invalid DR7", CR),
	CAUSE("VMENTER FAIL: VMCS guest CR4.CET=1 when CR0.WP=0", CR),
	CAUSE("VMFAIL: VMCS guest IA32_S_CET/EB_LEG_BITMAP_BASE non canonical or invalid", MSR),
	CAUSE("VMFAIL: VMCS guest IA32_S_CET invalid", MSR),
	CAUSE("VMFAIL: VMCS guest SSP non canonical or invalid", MSR),
	CAUSE("VMFAIL: VMCS guest SSP[1:0] not zero", MSR),
	CAUSE("VMFAIL: VMCS guest INTERRUPT_SSP_TABLE_ADDR non canonical or invalid", MSR),
	CAUSE("VMFAIL: invalid guest IA32_PKRS value", MSR),
	CAUSE("VMENTER FAIL: VMCS v8086 guest bad %s.BASE", SEG),
	CAUSE("VMENTER FAIL: VMCS v8086 guest %s.LIMIT != 0xFFFF", SEG),
	CAUSE("VMENTER FAIL: VMCS v8086 guest %s.AR != 0xF3", SEG),
	CAUSE("VMENTER FAIL: VMCS guest non-conforming CS.RPL <> CS.DPL", SEG),
	CAUSE("VMENTER FAIL: VMCS guest non-conforming CS.RPL < CS.DPL", SEG),
	CAUSE("VMENTER FAIL: VMCS unrestricted guest CS.DPL != 0", SEG),
	CAUSE("VMENTER FAIL: VMCS guest CS.TYPE", SEG),
	CAUSE("VMENTER FAIL: VMCS x86_64 guest wrong CS.D_B/L", SEG),
	CAUSE("VMENTER FAIL: VMCS guest SS.TYPE", SEG),
	CAUSE("VMENTER FAIL: VMCS guest %s not ACCESSED", SEG),
	CAUSE("VMENTER FAIL: VMCS guest CODE segment %s not READABLE", SEG),
	CAUSE("VMENTER FAIL: VMCS guest non-conforming %s.RPL < %s.DPL", SEG),
	CAUSE("VMENTER FAIL: VMCS guest CS.RPL != SS.RPL", SEG),
	CAUSE("VMENTER FAIL: VMCS guest SS.RPL <> SS.DPL", SEG),
	CAUSE("VMENTER FAIL: VMCS unrestricted guest SS.DPL != 0", SEG),
	CAUSE("VMENTER FAIL: VMCS guest IDTR/IDTR.BASE non canonical", SEG),
	CAUSE("VMENTER FAIL: VMCS guest GDTR/IDTR limit > 0xFFFF", SEG),
	CAUSE("VMENTER FAIL: VMCS guest LDTR.TI set", SEG),
	CAUSE("VMENTER FAIL: VMCS guest incorrect LDTR type (%d)", SEG),
	CAUSE("VMENTER FAIL: VMCS guest LDTR is not system segment", SEG),
	CAUSE("VMENTER FAIL: VMCS guest LDTR not present", SEG),
	CAUSE("VMENTER FAIL: VMCS guest LDTR.AR/LIMIT malformed", SEG),
	CAUSE("VMENTER FAIL: VMCS guest LDTR.BASE non canonical", SEG),
	CAUSE("VMENTER FAIL: VMCS guest TR.BASE non canonical", SEG),
	CAUSE("VMENTER FAIL: VMCS guest TR invalid", SEG),
	CAUSE("VMENTER FAIL: VMCS guest TR.TI set", SEG),
	CAUSE("VMENTER FAIL: VMCS guest TR is not system segment", SEG),
	CAUSE("VMENTER FAIL: VMCS guest TR not present", SEG),
	CAUSE("VMENTER FAIL: VMCS guest TR.AR/LIMIT malformed", SEG),
	CAUSE("VMENTER FAIL: VMCS guest incorrect TR type", SEG),
	/* Any segment: after LDTR and TR, whose own texts these would match first. */
	CAUSE("VMENTER FAIL: VMCS guest %s.BASE non canonical", SEG),
	CAUSE("VMENTER FAIL: VMCS guest %s.BASE > 32 bit", SEG),
	CAUSE("VMENTER FAIL: VMCS guest %s not segment", SEG),
	CAUSE("VMENTER FAIL: VMCS guest %s not present", SEG),
	CAUSE("VMENTER FAIL: VMCS guest %s.AR/LIMIT malformed", SEG),
	CAUSE("VMENTER FAIL: VMCS guest SYSENTER_ESP_MSR non canonical", MSR),
	CAUSE("VMENTER FAIL: VMCS guest SYSENTER_EIP_MSR non canonical", MSR),
	CAUSE("VMENTER FAIL: invalid Memory Type in guest MSR_PAT", MSR),
	CAUSE("VMENTER FAIL: VMCS guest EFER reserved bits set !", MSR),
	CAUSE("VMENTER FAIL: VMCS guest EFER.LMA doesn't match x86_64_guest !", MSR),
	CAUSE("VMENTER FAIL: VMCS guest EFER (0x%x) inconsistent value !", MSR),
	CAUSE("VMENTER FAIL: VMCS guest RIP > 32 bit", RIP),
	CAUSE("VMFAIL: VMCS link pointer malformed", NONREG),
	CAUSE("VMFAIL: VMCS link pointer must indicate shadow VMCS revision ID = %d", NONREG),
	CAUSE("VMFAIL: VMCS link pointer incorrect revision ID %d != %d", NONREG),
	CAUSE("VMFAIL: VMCS link pointer equal to current VMCS pointer", NONREG),
	CAUSE("VMFAIL: VMCS link pointer equal to VMXON pointer", NONREG),
	CAUSE("VMENTER FAIL: VMCS guest tmpDR6 reserved bits", NONREG),
	CAUSE("VMENTER FAIL: VMCS guest activity state %d", NONREG),
	CAUSE("VMENTER FAIL: VMCS guest HLT state with SS.DPL=%d", NONREG),
	CAUSE("VMENTER FAIL: VMCS guest interruptibility state broken", NONREG),
	CAUSE("VMENTER FAIL: VMCS guest interruptibility state broken when entering non active CPU state %d", NONREG),
	CAUSE("VMENTER FAIL: VMCS guest interrupts can't be blocked by STI when EFLAGS.IF = 0", NONREG),
	CAUSE("VMENTER FAIL: VMCS guest interrupts blocked when injecting external interrupt", NONREG),
	CAUSE("VMENTER FAIL: VMCS guest interrupts blocked when injecting NMI", NONREG),
	CAUSE("VMENTER FAIL: No guest interruptions are allowed when entering Wait-For-Sipi state", NONREG),
	CAUSE("VMENTER FAIL: Only NMI or #MC guest interruption is allowed when entering shutdown state", NONREG),
	CAUSE("VMENTER FAIL: VMCS SMM guest should block SMI", NONREG),
	CAUSE("VMENTER FAIL: The activity state must not indicate the wait-for-SIPI state if entering to SMM guest",
	      NONREG),
	CAUSE("VMENTER FAIL: VMCS SMI blocked when not in SMM mode", NONREG),
	CAUSE("VMENTER: EPT Guest State PDPTRs Checks Failed", PDPTE),
	CAUSE("VMENTER: Guest State PDPTRs Checks Failed", PDPTE),
	/* The VM-entry MSR-load area: an exit with reason 34, qualification = the entry's number. */
	CAUSE("VMX LoadMSRs %d: broken msr index 0x%x", MSR_LOAD),
	CAUSE("VMX LoadMSRs %d: unable to restore FSBASE or GSBASE", MSR_LOAD),
	CAUSE("VMX LoadMSRs %d: unable to restore X2APIC range MSR %x", MSR_LOAD),
	CAUSE("VMX LoadMSRs %d: unable to set up MSR %x", MSR_LOAD),
	/* VMLAUNCH/VMRESUME themselves. */
	CAUSE("VMFAIL: VMLAUNCH with invalid VMCS ptr !", LAUNCH),
	CAUSE("VMFAIL: VMLAUNCH with interrupts blocked by MOV_SS !", LAUNCH),
	CAUSE("VMFAIL: VMLAUNCH with non-clear VMCS!", LAUNCH),
	CAUSE("VMFAIL: VMRESUME with non-launched VMCS!", LAUNCH),
	OUTCOME("VMEXIT: Guest State Checks Failed"),
	OUTCOME("VMEXIT: Error when loading guest MSR number %d"),
	/* Not about an entry: other VMX instructions, and CR loads outside VMX. */
	IGNORED("VMFAIL: VMCALL with invalid VMCS ptr"),
	IGNORED("VMFAIL: VMCALL with launched VMCS"),
	IGNORED("VMFAIL: invalid or not page aligned physical address !"),
	IGNORED("VMFAIL: VMPTRLD with VMXON ptr !"),
	IGNORED("VMFAIL: VMREAD with invalid VMCS ptr !"),
	IGNORED("VMFAIL: VMWRITE with invalid VMCS ptr !"),
	IGNORED("VMFAIL: VMCLEAR with invalid physical address!"),
	IGNORED("VMFAIL: VMLEAR with VMXON ptr !"),
	IGNORED("VMABORT: host PDPTRs are corrupted !"),
	IGNORED("%s: PDPTR check failed !"),
	IGNORED("SetCR0(): PDPTR check failed !"),
	IGNORED("SetCR4(): PDPTR check failed !"),
	IGNORED("SMM restore: PDPTR check failed !"),
	IGNORED("task_switch(exception after commit point): PDPTR check failed !"),
};
const size_t bochs_message_count = sizeof(bochs_messages) / sizeof(bochs_messages[0]);

/* What makes a log line one to look up: a message holding none of these is not about VMX entries. */
static const char *const entry_words[] = {
	"VMFAIL", "VMENTER", "VMENTRY", "LoadMSRs", "VMEXIT: Guest State", "VMEXIT: Error when loading", "PDPTR",
	"VMCS host", "VMCS guest",
};

/* Does text match a Bochs format completely? %d, %u, %x (after any 'l'), %s and %c stand for one field. */
static bool matches(const char *f, const char *t)
{
	while (*f) {
		if (*f != '%') {
			if (*f++ != *t++)
				return false;
			continue;
		}
		f++;
		while (*f == 'l')
			f++;
		char conv = *f++;
		const char *start = t;
		if (conv == 'c') {
			if (!*t++)
				return false;
			continue;
		}
		if (conv == 'd' && *t == '-')
			t++;
		while (*t && ((conv == 'x' && isxdigit((unsigned char)*t)) || ((conv == 'd' || conv == 'u') && isdigit((unsigned char)*t)) ||
			      (conv == 's' && (isalnum((unsigned char)*t) || *t == '_'))))
			t++;
		if (t == start || (conv == 'd' && t == start + 1 && *start == '-'))
			return false;
	}
	return *t == '\0';
}

const struct bochs_message *bochs_message_find(const char *text)
{
	for (size_t i = 0; i < bochs_message_count; i++)
		if (matches(bochs_messages[i].format, text))
			return &bochs_messages[i];
	return NULL;
}

const char *bochs_reason_family(const char *text)
{
	const struct bochs_message *m = bochs_message_find(text);
	return m && m->role == BOCHS_CAUSE ? m->family : NULL;
}

static bool about_entries(const char *text)
{
	for (size_t i = 0; i < sizeof(entry_words) / sizeof(entry_words[0]); i++)
		if (strstr(text, entry_words[i]))
			return true;
	return false;
}

void bochs_lines_parse(const char *log, size_t len, struct bochs_lines *out)
{
	*out = (struct bochs_lines){ 0 };
	const char *p = log, *end = log + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = nl ? nl : end;
		/* "00174575965e[CPU0  ] VMENTER FAIL: ...": the tick, a level letter, the module; the message follows "] ". */
		unsigned long long tick = 0;
		const char *q = p;
		while (q < line_end && isdigit((unsigned char)*q))
			tick = tick * 10 + (unsigned long long)(*q++ - '0');
		const char *msg = NULL;
		if (q > p)
			for (; q + 1 < line_end; q++)
				if (q[0] == ']' && q[1] == ' ') {
					msg = q + 2;
					break;
				}
		if (msg) {
			size_t n = (size_t)(line_end - msg);
			while (n && (msg[n - 1] == '\r' || msg[n - 1] == ' '))
				n--;
			char *text = xstrndup(msg, n);
			const struct bochs_message *m = about_entries(text) ? bochs_message_find(text) : NULL;
			if (about_entries(text) && (!m || m->role != BOCHS_IGNORED)) {
				out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
				out->v[out->n++] = (struct bochs_line){ .tick = tick, .text = text, .family = m ? m->family : NULL,
									.role = m ? m->role : BOCHS_UNKNOWN };
			} else {
				free(text);
			}
		}
		p = nl ? nl + 1 : end;
	}
}

void bochs_lines_free(struct bochs_lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	*l = (struct bochs_lines){ 0 };
}
