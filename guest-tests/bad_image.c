/*
 * bad_image: a guest image the hypervisor must refuse. The Makefile links it at
 * 3 MiB, outside the guest image area (vm/guest_layout.h), so the loader rejects
 * it before any VM entry: the VM stops as bad-image with the loader's reason,
 * and the suite goes on with the next guest.
 */
#include "vexit_guest.h"

EXPECT("stop bad-image");
EXPECT("field why=segment-outside-guest-image-area");
EXPECT("field exits=0");

int main(void)
{
	guest_printf("FAIL a refused image ran\n");
	return 1;
}
