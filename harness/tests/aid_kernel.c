#include "aid_kernel.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_files.h"

#define CODE_OFF 0x100
#define SYMTAB_OFF 0x200
#define STRTAB_OFF 0x240
#define SHDR_OFF 0x280

void aid_kernel_write(const char *dir, const char *name, const char *symbol, const unsigned char *code,
		      size_t code_len)
{
	static unsigned char img[SHDR_OFF + 4 * sizeof(Elf32_Shdr)];
	memset(img, 0, sizeof(img));
	size_t strtab_len = 1 + strlen(symbol) + 1;
	if (code_len > SYMTAB_OFF - CODE_OFF || strtab_len > SHDR_OFF - STRTAB_OFF)
		abort();
	Elf32_Ehdr eh = { .e_type = ET_EXEC, .e_machine = EM_386, .e_version = EV_CURRENT, .e_entry = AID_KERNEL_VADDR,
			  .e_phoff = sizeof(Elf32_Ehdr), .e_shoff = SHDR_OFF, .e_ehsize = sizeof(Elf32_Ehdr),
			  .e_phentsize = sizeof(Elf32_Phdr), .e_phnum = 1, .e_shentsize = sizeof(Elf32_Shdr),
			  .e_shnum = 4 };
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS32;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	Elf32_Phdr ph = { .p_type = PT_LOAD, .p_offset = CODE_OFF, .p_vaddr = AID_KERNEL_VADDR,
			  .p_paddr = AID_KERNEL_PADDR, .p_filesz = 0x100, .p_memsz = 0x100, .p_flags = PF_R | PF_X };
	Elf32_Sym sym[2] = { { 0 }, { .st_name = 1, .st_value = AID_KERNEL_VADDR, .st_size = (Elf32_Word)code_len,
				       .st_info = ELF32_ST_INFO(STB_GLOBAL, STT_FUNC), .st_shndx = 1 } };
	Elf32_Shdr sh[4] = {
		{ 0 },
		{ .sh_type = SHT_PROGBITS, .sh_flags = SHF_ALLOC | SHF_EXECINSTR, .sh_addr = AID_KERNEL_VADDR,
		  .sh_offset = CODE_OFF, .sh_size = 0x100 },
		{ .sh_type = SHT_SYMTAB, .sh_offset = SYMTAB_OFF, .sh_size = sizeof(sym), .sh_link = 3,
		  .sh_entsize = sizeof(Elf32_Sym) },
		{ .sh_type = SHT_STRTAB, .sh_offset = STRTAB_OFF, .sh_size = (Elf32_Word)strtab_len },
	};
	memcpy(img, &eh, sizeof(eh));
	memcpy(img + eh.e_phoff, &ph, sizeof(ph));
	memset(img + CODE_OFF, 0xcc, 0x100);
	memcpy(img + CODE_OFF, code, code_len);
	memcpy(img + SYMTAB_OFF, sym, sizeof(sym));
	memcpy(img + STRTAB_OFF + 1, symbol, strlen(symbol));
	memcpy(img + SHDR_OFF, sh, sizeof(sh));
	test_write_file(dir, name, img, sizeof(img));
}

char *aid_kernel_bochs_out(unsigned at, const char *insn, unsigned long long rcx, unsigned long long rax)
{
	char *s = NULL;
	if (asprintf(&s,
		     "========================================================================\n"
		     "Next at t=0\n"
		     "(0) [0x0000fffffff0] f000:fff0 (unk. ctxt): jmpf 0xf000:e05b          ; ea5be000f0\n"
		     "(0) Breakpoint 1, 0x%016x in ?? ()\n"
		     "Next at t=77213859\n"
		     "(0) [0x%012x] 0008:%016x (unk. ctxt): %-26s; 0f30\n"
		     "CPU0:\n"
		     "rax: %08llx_%08llx\n"
		     "rbx: 00000000_00010010\n"
		     "rcx: %08llx_%08llx\n"
		     "rdx: 00000000_00000000\n"
		     "rip: 00000000_%08x\n"
		     "eflags 0x00000046: id vip vif ac vm rf nt IOPL=0 of df if tf sf ZF af PF cf\n"
		     "00000000000i[      ] dbg: Quit\n",
		     at, at, at, insn, rax >> 32, rax & 0xffffffffull, rcx >> 32, rcx & 0xffffffffull, at) < 0)
		abort();
	return s;
}
