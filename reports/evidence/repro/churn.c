/*
 * netconform reproducer: socket()+close() in a loop must succeed
 * indefinitely, since closing a socket releases what creating it took.
 *
 * Modelled on the report "macos 26 - socket() syscall causes ENOBUFS": on
 * affected releases socket(AF_INET6, SOCK_STREAM, 0) fails with ENOBUFS ("No
 * buffer space available") after some 160,000 create+close cycles.
 *
 *   cc -Wall -O2 -o repro repro.c && ./repro [count] [inet6|inet] [stream|dgram]
 *
 * Exit status: 0 every cycle succeeded, 1 the bug is present (socket() or
 * close() failed; the first failing iteration and errno are printed), 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <netinet/in.h>

#ifndef DEFAULT_COUNT
#define DEFAULT_COUNT 250000
#endif
#ifndef DEFAULT_FAMILY
#define DEFAULT_FAMILY "inet6"
#endif
#ifndef DEFAULT_TYPE
#define DEFAULT_TYPE "stream"
#endif

static const char *errno_name(int e) {
    switch (e) {
    case ENOBUFS: return "ENOBUFS";
    case ENFILE: return "ENFILE";
    case EMFILE: return "EMFILE";
    case ENOMEM: return "ENOMEM";
    case EACCES: return "EACCES";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
    case EINTR: return "EINTR";
    case EBADF: return "EBADF";
    }
    return "errno";
}

static double seconds(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return tv.tv_sec + tv.tv_usec / 1e6;
}

int main(int argc, char **argv) {
    long count = DEFAULT_COUNT;
    const char *fam = DEFAULT_FAMILY, *typ = DEFAULT_TYPE;
    if (argc > 1) {
        char *end;
        count = strtol(argv[1], &end, 10);
        if (*end || count < 1) {
            fprintf(stderr, "usage: %s [count] [inet6|inet] [stream|dgram]\n", argv[0]);
            return 2;
        }
    }
    if (argc > 2) fam = argv[2];
    if (argc > 3) typ = argv[3];
    int family = strcmp(fam, "inet") == 0 ? AF_INET : AF_INET6;
    int type = strcmp(typ, "dgram") == 0 ? SOCK_DGRAM : SOCK_STREAM;
    if ((strcmp(fam, "inet") && strcmp(fam, "inet6")) || (strcmp(typ, "stream") && strcmp(typ, "dgram"))) {
        fprintf(stderr, "usage: %s [count] [inet6|inet] [stream|dgram]\n", argv[0]);
        return 2;
    }
    const char *name = family == AF_INET ? "AF_INET" : "AF_INET6";
    const char *tname = type == SOCK_DGRAM ? "SOCK_DGRAM" : "SOCK_STREAM";
    printf("creating and closing %ld %s %s sockets\n", count, name, tname);

    double start = seconds();
    for (long i = 1; i <= count; i++) {
        int fd = socket(family, type, 0);
        if (fd < 0) {
            int e = errno;
            printf("socket() failed at iteration %ld: %s (%d): %s\n", i, errno_name(e), e, strerror(e));
            /* Does it recover? Wait for deferred frees, then try a few more. */
            sleep(1);
            int ok = 0;
            for (int t = 0; t < 5; t++) {
                int f2 = socket(family, type, 0);
                if (f2 >= 0) {
                    ok++;
                    close(f2);
                }
            }
            printf("after a 1 s pause, %d of 5 socket() calls succeeded\n", ok);
            printf("RESULT: FAIL: the bug is present (first failure at iteration %ld, %s)\n", i, errno_name(e));
            return 1;
        }
        if (close(fd) < 0) {
            int e = errno;
            printf("close() failed at iteration %ld: %s (%d): %s\n", i, errno_name(e), e, strerror(e));
            printf("RESULT: FAIL: the bug is present (close() failed at iteration %ld)\n", i);
            return 1;
        }
    }
    double took = seconds() - start;
    printf("created and closed %ld sockets in %.2f s (%.0f per second)\n", count, took, took > 0 ? count / took : 0.0);
    printf("RESULT: PASS: no failure\n");
    return 0;
}
