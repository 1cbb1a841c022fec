/*
 * A 16550A UART at COM1 (0x3F8-0x3FF) for external kernels (vm/devices.h). What
 * the guest transmits becomes `VEXIT console <name> <line>` lines. The line is
 * always ready to send (LSR THRE and TEMT set) and nothing ever arrives, so no
 * interrupt is ever pending (IIR bit 0 set). In loopback mode (MCR bit 4) a
 * transmitted byte comes back in RBR and the modem-status inputs follow the
 * modem-control outputs, as the Linux 8250 probe checks (PC16550D datasheet).
 */
#include "vm/devices.h"
#include "vm/guest_line.h"
#include "vm/vm.h"

struct uart {
	uint8_t ier, lcr, mcr, scr, fcr, dll, dlm;
	uint8_t rbr;       /* loopback: the byte last sent to ourselves */
	bool data_ready;   /* loopback: rbr holds an unread byte */
	struct guest_line out;
};

static bool dlab(const struct uart *u)
{
	return u->lcr & UART_LCR_DLAB;
}

/* Modem status: in loopback the outputs drive the inputs (RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD);
 * otherwise a peer is always there (CTS, DSR, DCD), as QEMU's UART reports. */
static uint8_t modem_status(const struct uart *u)
{
	if (!(u->mcr & UART_MCR_LOOP))
		return UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DCD;
	return (uint8_t)(((u->mcr & 0x2) << 3) | ((u->mcr & 0x1) << 5) | ((u->mcr & 0x4) << 4) | ((u->mcr & 0x8) << 4));
}

static uint8_t uart_read_reg(struct uart *u, unsigned reg)
{
	switch (reg) {
	case UART_RBR:
		if (dlab(u))
			return u->dll;
		u->data_ready = false;
		return u->rbr;
	case UART_IER:
		return dlab(u) ? u->dlm : u->ier;
	case UART_IIR:
		/* No interrupt pending; bits 7:6 say the FIFOs are on (a 16550A) when FCR enabled them. */
		return (uint8_t)(UART_IIR_NO_INTERRUPT | ((u->fcr & UART_FCR_ENABLE) ? UART_IIR_FIFOS : 0));
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		return (uint8_t)(UART_LSR_THRE | UART_LSR_TEMT | (u->data_ready ? UART_LSR_DR : 0));
	case UART_MSR:
		return modem_status(u);
	default: /* UART_SCR */
		return u->scr;
	}
}

static void uart_write_reg(struct uart *u, unsigned reg, uint8_t v)
{
	switch (reg) {
	case UART_THR:
		if (dlab(u)) {
			u->dll = v;
		} else if (u->mcr & UART_MCR_LOOP) {
			u->rbr = v;
			u->data_ready = true;
		} else {
			guest_line_putc(&u->out, (char)v);
		}
		break;
	case UART_IER:
		if (dlab(u))
			u->dlm = v;
		else
			u->ier = v & 0x0f; /* bits 7:4 are reserved, read as 0 */
		break;
	case UART_FCR:
		u->fcr = v & (UART_FCR_ENABLE | 0xc0); /* the clear bits act once and read nowhere */
		break;
	case UART_LCR:
		u->lcr = v;
		break;
	case UART_MCR:
		u->mcr = v & 0x1f;
		break;
	case UART_LSR:
	case UART_MSR:
		break; /* status registers: writes have no defined effect */
	default: /* UART_SCR */
		u->scr = v;
		break;
	}
}

static uint32_t uart_read(void *state, uint16_t port, unsigned size)
{
	/* A wider IN reads consecutive registers, low byte first, as the ISA bus splits it. */
	uint32_t v = 0;
	for (unsigned i = 0; i < size; i++) {
		unsigned reg = (unsigned)(port - UART_COM1_PORT) + i;
		v |= (uint32_t)(reg < UART_PORTS ? uart_read_reg(state, reg) : 0xff) << (8 * i);
	}
	return v;
}

static void uart_write(void *state, uint16_t port, unsigned size, uint32_t value)
{
	for (unsigned i = 0; i < size; i++) {
		unsigned reg = (unsigned)(port - UART_COM1_PORT) + i;
		if (reg < UART_PORTS)
			uart_write_reg(state, reg, (uint8_t)(value >> (8 * i)));
	}
}

static void uart_stop(void *state)
{
	struct uart *u = state;
	guest_line_flush(&u->out);
}

static const struct io_device uart = {
	.name = "uart",
	.read = uart_read,
	.write = uart_write,
	.stop = uart_stop,
};

bool uart_attach(struct vm *vm)
{
	struct uart *u = vm_device_state(vm, sizeof(*u));
	if (!u)
		return false;
	/* Reset state (datasheet table II): all zero but the line status; 5 data bits until LCR says more. */
	guest_line_init(&u->out, vm, "console", true);
	return io_bus_add(&vm->bus, &uart, u, UART_COM1_PORT, UART_PORTS);
}
