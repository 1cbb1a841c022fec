/* Read a whole file into memory (the harness's captures, logs and guest images). */
#ifndef VEXIT_HARNESS_FILE_READ_H
#define VEXIT_HARNESS_FILE_READ_H

#include <stddef.h>

/*
 * The file's bytes plus a terminating NUL (not counted in *len), or NULL with
 * errno set when it cannot be opened or read, or is larger than max_bytes
 * (EFBIG). The caller frees the buffer.
 */
char *file_read(const char *path, size_t max_bytes, size_t *len);

#endif
