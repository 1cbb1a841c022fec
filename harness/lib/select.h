/*
 * Choosing guests: name patterns (the CLI's --tests), splitting a selection
 * into shards for parallel Bochs runs, and the selection image that tells one
 * Bochs run which guests to boot.
 *
 * Why an image: the kernel picks its guests from its command line (tests=...),
 * which GRUB reads from the ISO's grub.cfg. Rebuilding an ISO per shard costs
 * about 0.4 s; instead grub.cfg sources the first sector of the floppy drive
 * (`source (fd0)0+8`: 4 KiB), and each run gets a floppy image holding one line,
 * `set vexit_select="tests=a,b"`. Without a floppy (plain Bochs), every guest runs.
 */
#ifndef VEXIT_HARNESS_SELECT_H
#define VEXIT_HARNESS_SELECT_H

#include <stdbool.h>
#include <stddef.h>

#include "strlist.h"

/* The longest tests= value the kernel accepts (TESTS_OPTION_MAX in hypervisor/main.c). */
#define SELECT_MAX_LIST 2047
/* A 1.44 MB floppy: the size Bochs wants for `floppya: 1_44=`. */
#define SELECT_IMAGE_BYTES 1474560

/*
 * Does `name` match one of the comma-separated shell patterns (`*`, `?`, `[..]`)?
 * A pattern without wildcards matches only that exact name. NULL or "" matches all.
 */
bool select_match(const char *patterns, const char *name);
/* The patterns of the list that match none of the names, appended to `unmatched`. */
size_t select_unmatched(const char *patterns, const struct strlist *names, struct strlist *unmatched);

/*
 * What a guest costs to run, relative to an ordinary guest, when its image
 * gives no `cost <n>` hint (docs/protocol.md): 1.
 */
#define SELECT_DEFAULT_COST 1ull

/*
 * Split n items of the given costs over `shards` shards so that the costliest
 * shard costs as little as can be had simply: the costliest item first, each
 * to the shard that costs least so far (ties: the lower item index first, the
 * lower shard). Equal costs deal round-robin. Writes the shard of each item
 * into out[0..n); items keep their order within a shard.
 */
void select_shard(size_t n, unsigned shards, const unsigned long long *cost, unsigned *out);

/*
 * The same, keeping groups together: with[i] is the index of the item that item
 * i must share a shard with (a guest's `shard-with <name>`), or i itself. Each
 * group (the items linked by with[], chains and cycles included) is placed as
 * one item of its members' total cost, and its members keep their order within
 * the shard. Uses at most `shards` shards and never more than there are groups,
 * so none is empty: returns how many (select_shard_count gives it beforehand).
 */
unsigned select_shard_grouped(size_t n, unsigned shards, const unsigned long long *cost, const size_t *with,
			      unsigned *out);
unsigned select_shard_count(size_t n, unsigned shards, const size_t *with);

/* "a,b,c": the names joined by commas, or NULL when longer than SELECT_MAX_LIST. Caller frees. */
char *select_join(const struct strlist *names);

/* Write the selection image for `list` (a select_join result; "": every guest) to path. 0, or -1 with errno set. */
int select_image_write(const char *path, const char *list);
/*
 * Write the image that makes an external-kernel ISO (grub_tree.h) boot kernel `name` bare, without
 * vexit: `set vexit_bare="name"`. 0, or -1 with errno set (EINVAL: a name GRUB's quotes cannot hold).
 */
int select_bare_image_write(const char *path, const char *name);

#endif
