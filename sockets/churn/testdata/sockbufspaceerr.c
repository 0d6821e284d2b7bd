/*
 * The reproducer from the seed (socket-churn-enobufs: macOS 26 socket() fails
 * with ENOBUFS "No buffer space available" near iteration 160995), reconstructed
 * verbatim from the report's text. BenchmarkChurnRate compiles it with cc -O2 and
 * compares its create+close rate with the Go probe's.
 */
#include <stdio.h>
#include <sys/socket.h>
#include <string.h>
#include <unistd.h>
#include <sys/errno.h>

static int create_socket(const int attempt_number) {
    const int fd = socket(AF_INET6, SOCK_STREAM, 0);
    if (fd < 0) {
        fprintf(stderr, "socket creation failed on attempt %d,"
                " due to: %s\n", attempt_number, strerror(errno));
        return fd;
    }
    return fd;
}

int main() {
    const unsigned int num_times = 250000;
    for (unsigned int i = 1; i <= num_times; i++) {
        const int fd = create_socket(i);
        if (fd < 0) {
            return -1;
        }
        close(fd);
    }
    fprintf(stderr, "successfully created and closed %d sockets\n", num_times);
}
