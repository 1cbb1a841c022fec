/*
 * The version of the output protocol (docs/protocol.md) the hypervisor speaks: its
 * first line, "VEXIT protocol <n>". Shared by main.c and boot/entry.S (which prints
 * it before any C runs, when the CPU cannot run the hypervisor), so plain #defines only.
 */
#ifndef VEXIT_PROTOCOL_H
#define VEXIT_PROTOCOL_H

#define VEXIT_PROTOCOL_VERSION 1

#endif
