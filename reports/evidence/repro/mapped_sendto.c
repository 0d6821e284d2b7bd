/*
 * netconform reproducer: sendto() on a dual-stack UDP socket bound to an
 * IPv4-mapped IPv6 address must deliver every datagram.
 *
 * Modelled on the report "macos 15.6.1 - BSD sendto() fails for IPv4-mapped
 * IPv6 addresses": an AF_INET6 datagram socket with IPV6_V6ONLY = 0 is bound
 * to ::ffff:<IPv4 of this machine> and sends two datagrams with distinct
 * payloads to its own address. On affected releases the first is lost while
 * sendto() reports success (the kernel log shows "CFIL: sosend() failed 22").
 *
 *   cc -Wall -o repro repro.c && ./repro [IPv4 address of this machine]
 *
 * The default address is 127.0.0.1; the report saw the loss with the
 * machine's LAN address (on macOS: ./repro "$(ipconfig getifaddr en0)").
 * Exit status: 0 both datagrams arrived, 1 the bug is present (a datagram was
 * lost, arrived late, or sendto() failed), 2 the test could not run.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#ifndef TIMEOUT_MS
#define TIMEOUT_MS 2000 /* per datagram; the report waited 15 s, loss is not slowness */
#endif
#define DATAGRAMS 2

static long now_ms(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return tv.tv_sec * 1000L + tv.tv_usec / 1000;
}

/* wait_for receives until datagram want arrives or the timeout passes,
 * recording every datagram seen in arrived[] (1-based, 0 = not yet). */
static void wait_for(int fd, int want, int arrived[], int late[]) {
    long deadline = now_ms() + TIMEOUT_MS;
    while (!arrived[want]) {
        long left = deadline - now_ms();
        if (left <= 0) {
            printf("  datagram %d: nothing received within %d ms\n", want, TIMEOUT_MS);
            return;
        }
        struct pollfd p = {fd, POLLIN, 0};
        int r = poll(&p, 1, (int)left);
        if (r < 0) {
            if (errno == EINTR) continue;
            printf("  poll() failed: %s\n", strerror(errno));
            return;
        }
        if (r == 0) continue;
        char buf[64];
        ssize_t n = recvfrom(fd, buf, sizeof buf - 1, 0, NULL, NULL);
        if (n < 0) {
            printf("  recvfrom() failed: %s\n", strerror(errno));
            return;
        }
        buf[n] = 0;
        int k = 0;
        if (sscanf(buf, "netconform %d", &k) != 1 || k < 1 || k > DATAGRAMS) {
            printf("  received %zd unexpected bytes\n", n);
            continue;
        }
        if (k < want) late[k] = 1;
        arrived[k] = 1;
        printf("  received \"%s\"%s\n", buf, k < want ? " (late: sent before the previous wait ended)" : "");
    }
}

int main(int argc, char **argv) {
    const char *ipv4 = argc > 1 ? argv[1] : "127.0.0.1";
    char mapped[INET6_ADDRSTRLEN + 8];
    snprintf(mapped, sizeof mapped, "::ffff:%s", ipv4);

    struct sockaddr_in6 addr;
    memset(&addr, 0, sizeof addr);
#ifdef __APPLE__
    addr.sin6_len = sizeof addr;
#endif
    addr.sin6_family = AF_INET6;
    if (inet_pton(AF_INET6, mapped, &addr.sin6_addr) != 1) {
        fprintf(stderr, "usage: %s [IPv4 address of this machine]: %s is not an IPv4 address\n", argv[0], ipv4);
        return 2;
    }
    int fd = socket(AF_INET6, SOCK_DGRAM, 0);
    if (fd < 0) {
        printf("socket(AF_INET6, SOCK_DGRAM) failed: %s\n", strerror(errno));
        return 2;
    }
    int off = 0;
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off) < 0) {
        printf("setsockopt(IPV6_V6ONLY, 0) failed: %s\n", strerror(errno));
        return 2;
    }
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        printf("bind([%s]:0) failed: %s (is %s an address of this machine?)\n", mapped, strerror(errno), ipv4);
        return 2;
    }
    socklen_t len = sizeof addr;
    if (getsockname(fd, (struct sockaddr *)&addr, &len) < 0) {
        printf("getsockname() failed: %s\n", strerror(errno));
        return 2;
    }
    printf("bound a dual-stack AF_INET6 datagram socket to [%s]:%d; sending to the same address\n",
           mapped, ntohs(addr.sin6_port));

    int arrived[DATAGRAMS + 1] = {0}, late[DATAGRAMS + 1] = {0}, send_failed = 0;
    for (int i = 1; i <= DATAGRAMS; i++) {
        char msg[32];
        int mlen = snprintf(msg, sizeof msg, "netconform %d", i);
        ssize_t n = sendto(fd, msg, (size_t)mlen, 0, (struct sockaddr *)&addr, sizeof addr);
        if (n < 0) {
            printf("datagram %d: sendto() failed: %s\n", i, strerror(errno));
            send_failed = 1;
            continue;
        }
        printf("datagram %d: sendto() returned %zd for \"%s\"\n", i, n, msg);
        wait_for(fd, i, arrived, late);
    }
    close(fd);

    int bad = send_failed;
    for (int i = 1; i <= DATAGRAMS; i++) {
        if (!arrived[i]) {
            printf("datagram %d was never received\n", i);
            bad = 1;
        } else if (late[i]) {
            printf("datagram %d arrived late\n", i);
            bad = 1;
        }
    }
    if (bad) {
        printf("RESULT: FAIL: the bug is present (a datagram sendto() accepted was lost, late, or refused)\n");
        return 1;
    }
    printf("RESULT: PASS: every datagram arrived\n");
    return 0;
}
