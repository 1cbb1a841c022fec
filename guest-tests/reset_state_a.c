/*
 * reset_state_a: one of a pair of identical guests (guest-tests/lib/reset_state.h).
 * It asserts that everything it can reach starts at its reset value, then dirties it
 * all for the guest after it, its twin when both share a shard.
 */
#include "reset_state.h"

EXPECT("stop done");
EXPECT("asserts 18");

int main(void)
{
	return reset_state_main();
}
