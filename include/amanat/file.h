/*
 * file.h - files amanat writes for people (sheets, acts, labels, reports).
 *
 * They can hold IINs and staff names, so none is ever readable by others:
 * mode 0640 at most whatever the umask, a file that exists is tightened too,
 * and a symbolic link in the last component is refused (a shared /tmp).
 */
#ifndef AMANAT_FILE_H
#define AMANAT_FILE_H

#include <stdio.h>

/* Create or truncate PATH for writing; NULL with errno set on failure. */
FILE *file_create(const char *path);
/* The same, closed at once: for a library (zint) that then writes the file
 * itself and keeps the mode of an existing file. 0 or -1 with errno. */
int file_precreate(const char *path);

#endif
