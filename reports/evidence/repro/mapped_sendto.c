/*
 * netconform reproducer: an AF_INET6 UDP socket sending to an IPv4-mapped
 * IPv6 address must deliver every datagram its call accepted.
 *
 * Modelled on the report "macos 15.6.1 - BSD sendto() fails for IPv4-mapped
 * IPv6 addresses": an AF_INET6 datagram socket with IPV6_V6ONLY = 0 is bound
 * to ::ffff:<IPv4 of this machine> and sends datagrams with distinct payloads
 * to its own address. On affected releases the first is lost while sendto()
 * reports success (the kernel log shows "CFIL: sosend() failed 22": the loss
 * happens where a content filter re-sends what it held, so a Mac with no
 * content filter active does not show it; see docs/macos.md of netconform).
 *
 * The case (how the socket is bound, how it sends, where to) is chosen with
 * options; the defaults are the case the netconform check saw fail.
 *
 *   cc -Wall -O2 -o repro repro.c && ./repro [options] [IPv4 of this machine]
 *
 *   -b mapped|mapped-any|any|unbound   bind ::ffff:IPv4, ::ffff:0.0.0.0, ::, or nothing
 *   -p 0|fixed                         local port 0 (the kernel picks at bind) or a fixed one
 *   -c sendto|connect+send|sendmsg|sendmsg+IPV6_PKTINFO|sendmsg+IP_PKTINFO|connect+sendmsg_x
 *   -d self|loopback                   to its own address and port, or to ::ffff:127.0.0.1
 *                                      (a receiving socket bound to 127.0.0.1)
 *   -6                                 IPV6_V6ONLY on: every datagram must then be refused
 *   -k N                               fresh sockets, 2 datagrams each (rates, not a coin flip)
 *
 * The IPv4 address defaults to 127.0.0.1; the report saw the loss with the
 * machine's LAN address (on macOS: ./repro "$(ipconfig getifaddr en0)").
 * sendmsg_x is xnu's private system call: macOS only.
 * Exit status: 0 every datagram arrived (with -6: every one was refused),
 * 1 the bug is present (a datagram the call accepted was lost or late, or a
 * call refused one), 2 the test could not run.
 */
#define _GNU_SOURCE 1          /* Linux: struct in6_pktinfo, struct in_pktinfo */
#define __APPLE_USE_RFC_3542 1 /* macOS: IPV6_PKTINFO as RFC 3542 (netinet6/in6.h) */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef __APPLE__
#if defined(__has_include)
#if __has_include(<sys/socket_private.h>)
#include <sys/socket_private.h>
#define HAVE_SENDMSG_X_DECL 1
#endif
#endif
#ifndef HAVE_SENDMSG_X_DECL
/*
 * sendmsg_x is not in the public SDK. Declared as xnu's private header does
 * (bsd/sys/socket_private.h, xnu-11417.121.6); it is system call 481
 * (bsd/kern/syscalls.master) and libsystem_kernel has its stub (xnu's own
 * tests/sendmsg_x_test.c calls it by this name).
 */
struct msghdr_x {
    void *msg_name;          /* optional address: must be NULL for sendmsg_x */
    socklen_t msg_namelen;
    struct iovec *msg_iov;
    int msg_iovlen;
    void *msg_control;       /* must be NULL for sendmsg_x */
    socklen_t msg_controllen;
    int msg_flags;
    size_t msg_datalen;
};
ssize_t sendmsg_x(int s, const struct msghdr_x *msgp, unsigned int cnt, int flags);
#endif
#endif

/* Defaults: the bundle puts the failing case's values above this line. */
#ifndef DEFAULT_BIND
#define DEFAULT_BIND "mapped"
#endif
#ifndef DEFAULT_PORT
#define DEFAULT_PORT "0"
#endif
#ifndef DEFAULT_CALL
#define DEFAULT_CALL "sendto"
#endif
#ifndef DEFAULT_DEST
#define DEFAULT_DEST "self"
#endif
#ifndef DEFAULT_V6ONLY
#define DEFAULT_V6ONLY 0
#endif
#ifndef DEFAULT_SOCKETS
#define DEFAULT_SOCKETS 3
#endif
#ifndef TIMEOUT_MS
#define TIMEOUT_MS 2000 /* per datagram; the report waited 15 s, loss is not slowness */
#endif
#define DATAGRAMS 2

static const char *binds[] = {"mapped", "mapped-any", "any", "unbound", NULL};
static const char *calls[] = {"sendto", "connect+send", "sendmsg", "sendmsg+IPV6_PKTINFO", "sendmsg+IP_PKTINFO", "connect+sendmsg_x", NULL};

static int one_of(const char *s, const char **set) {
    for (int i = 0; set[i]; i++)
        if (strcmp(s, set[i]) == 0) return 1;
    return 0;
}

static long now_ms(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return tv.tv_sec * 1000L + tv.tv_usec / 1000;
}

static void mapped_addr(struct sockaddr_in6 *sa, struct in_addr v4, unsigned short port) {
    memset(sa, 0, sizeof *sa);
#ifdef __APPLE__
    sa->sin6_len = sizeof *sa;
#endif
    sa->sin6_family = AF_INET6;
    sa->sin6_port = htons(port);
    sa->sin6_addr.s6_addr[10] = 0xff;
    sa->sin6_addr.s6_addr[11] = 0xff;
    memcpy(&sa->sin6_addr.s6_addr[12], &v4, 4);
}

struct opts {
    const char *bind, *port, *call, *dest;
    int v6only, sockets;
    struct in_addr ipv4;
};

/* bind_socket binds fd as the options say: 0, or -1 with errno set. */
static int bind_socket(int fd, const struct opts *o) {
    struct sockaddr_in6 sa;
    struct in_addr any = {0};
    if (strcmp(o->bind, "unbound") == 0) return 0;
    if (strcmp(o->bind, "mapped") == 0) {
        mapped_addr(&sa, o->ipv4, 0);
    } else if (strcmp(o->bind, "mapped-any") == 0) {
        mapped_addr(&sa, any, 0);
    } else {
        memset(&sa, 0, sizeof sa);
#ifdef __APPLE__
        sa.sin6_len = sizeof sa;
#endif
        sa.sin6_family = AF_INET6;
        sa.sin6_addr = in6addr_any;
    }
    if (strcmp(o->port, "fixed") == 0) {
        /* A port the kernel says is free: a scratch socket's, then closed. */
        int s = socket(AF_INET6, SOCK_DGRAM, 0), off = o->v6only;
        socklen_t len = sizeof sa;
        if (s < 0) return -1;
        if (setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off) < 0 ||
            bind(s, (struct sockaddr *)&sa, sizeof sa) < 0 || getsockname(s, (struct sockaddr *)&sa, &len) < 0) {
            int e = errno;
            close(s);
            errno = e;
            return -1;
        }
        close(s);
    }
    return bind(fd, (struct sockaddr *)&sa, sizeof sa);
}

/* send_one sends msg to dst with the chosen call; returns the call's value. */
static ssize_t send_one(int fd, const struct opts *o, const char *msg, size_t len, struct sockaddr_in6 *dst) {
    struct iovec iov = {(void *)msg, len};
    if (strcmp(o->call, "sendto") == 0) return sendto(fd, msg, len, 0, (struct sockaddr *)dst, sizeof *dst);
    if (strcmp(o->call, "connect+send") == 0) return send(fd, msg, len, 0);
    if (strcmp(o->call, "connect+sendmsg_x") == 0) {
#ifdef __APPLE__
        struct msghdr_x mx;
        memset(&mx, 0, sizeof mx);
        mx.msg_iov = &iov;
        mx.msg_iovlen = 1;
        return sendmsg_x(fd, &mx, 1, 0); /* datagrams sent, not bytes */
#else
        errno = ENOSYS;
        return -1;
#endif
    }
    struct msghdr mh;
    union {
        char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
        struct cmsghdr align;
    } ctl;
    memset(&mh, 0, sizeof mh);
    memset(&ctl, 0, sizeof ctl);
    mh.msg_name = dst;
    mh.msg_namelen = sizeof *dst;
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    if (strcmp(o->call, "sendmsg+IPV6_PKTINFO") == 0) {
        /* the source, mapped; interface 0 */
        struct in6_pktinfo pi;
        struct sockaddr_in6 src;
        mapped_addr(&src, o->ipv4, 0);
        memset(&pi, 0, sizeof pi);
        pi.ipi6_addr = src.sin6_addr;
        mh.msg_control = ctl.buf;
        mh.msg_controllen = CMSG_SPACE(sizeof pi);
        struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = IPPROTO_IPV6;
        c->cmsg_type = IPV6_PKTINFO;
        c->cmsg_len = CMSG_LEN(sizeof pi);
        memcpy(CMSG_DATA(c), &pi, sizeof pi);
    } else if (strcmp(o->call, "sendmsg+IP_PKTINFO") == 0) {
        /* the IPv4 source as ipi_spec_dst; interface 0 */
        struct in_pktinfo pi;
        memset(&pi, 0, sizeof pi);
        pi.ipi_spec_dst = o->ipv4;
        pi.ipi_addr = o->ipv4;
        mh.msg_control = ctl.buf;
        mh.msg_controllen = CMSG_SPACE(sizeof pi);
        struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = IPPROTO_IP;
        c->cmsg_type = IP_PKTINFO;
        c->cmsg_len = CMSG_LEN(sizeof pi);
        memcpy(CMSG_DATA(c), &pi, sizeof pi);
    }
    return sendmsg(fd, &mh, 0);
}

/* wait_for receives on rx until "netconform <sock> <want>" arrives or the
 * timeout passes, recording every datagram of this socket seen in arrived[]
 * (1-based; a datagram seen after its own wait ended is late). */
static void wait_for(int rx, int sock, int want, int arrived[], int late[]) {
    long deadline = now_ms() + TIMEOUT_MS;
    while (!arrived[want]) {
        long left = deadline - now_ms();
        if (left <= 0) {
            printf("    datagram %d: nothing received within %d ms\n", want, TIMEOUT_MS);
            return;
        }
        struct pollfd p = {rx, POLLIN, 0};
        int r = poll(&p, 1, (int)left);
        if (r < 0) {
            if (errno == EINTR) continue;
            printf("    poll() failed: %s\n", strerror(errno));
            return;
        }
        if (r == 0) continue;
        char buf[64];
        ssize_t n = recvfrom(rx, buf, sizeof buf - 1, 0, NULL, NULL);
        if (n < 0) {
            printf("    recvfrom() failed: %s\n", strerror(errno));
            return;
        }
        buf[n] = 0;
        int s = 0, k = 0;
        if (sscanf(buf, "netconform %d %d", &s, &k) != 2 || s != sock || k < 1 || k > DATAGRAMS) {
            printf("    received %zd bytes of something else: \"%s\"\n", n, buf);
            continue;
        }
        if (k < want) late[k] = 1;
        arrived[k] = 1;
        printf("    received \"%s\"%s\n", buf, k < want ? " (late: after its own wait ended)" : "");
    }
}

/* A loopback receiver: AF_INET, 127.0.0.1, port 0. */
static int open_receiver(struct sockaddr_in6 *dst) {
    struct sockaddr_in sin;
    socklen_t len = sizeof sin;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) return -1;
    memset(&sin, 0, sizeof sin);
#ifdef __APPLE__
    sin.sin_len = sizeof sin;
#endif
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&sin, sizeof sin) < 0 || getsockname(fd, (struct sockaddr *)&sin, &len) < 0) {
        close(fd);
        return -1;
    }
    mapped_addr(dst, sin.sin_addr, ntohs(sin.sin_port));
    return fd;
}

static void usage(const char *argv0, const char *why) {
    fprintf(stderr, "%s\nusage: %s [-b mapped|mapped-any|any|unbound] [-p 0|fixed] "
                    "[-c sendto|connect+send|sendmsg|sendmsg+IPV6_PKTINFO|sendmsg+IP_PKTINFO|connect+sendmsg_x] "
                    "[-d self|loopback] [-6] [-k sockets] [IPv4 address of this machine]\n",
            why, argv0);
}

int main(int argc, char **argv) {
    struct opts o = {DEFAULT_BIND, DEFAULT_PORT, DEFAULT_CALL, DEFAULT_DEST, DEFAULT_V6ONLY, DEFAULT_SOCKETS, {0}};
    const char *ipv4 = "127.0.0.1";
    int ch;
    while ((ch = getopt(argc, argv, "b:p:c:d:6k:")) != -1) {
        switch (ch) {
        case 'b': o.bind = optarg; break;
        case 'p': o.port = optarg; break;
        case 'c': o.call = optarg; break;
        case 'd': o.dest = optarg; break;
        case '6': o.v6only = 1; break;
        case 'k': o.sockets = atoi(optarg); break;
        default: usage(argv[0], "unknown option"); return 2;
        }
    }
    if (optind < argc) ipv4 = argv[optind];
    if (inet_pton(AF_INET, ipv4, &o.ipv4) != 1) {
        usage(argv[0], "not an IPv4 address");
        return 2;
    }
    if (!one_of(o.bind, binds) || !one_of(o.call, calls) || (strcmp(o.port, "0") != 0 && strcmp(o.port, "fixed") != 0) ||
        (strcmp(o.dest, "self") != 0 && strcmp(o.dest, "loopback") != 0) || o.sockets < 1 || o.sockets > 1000) {
        usage(argv[0], "bad option value");
        return 2;
    }
    if (strcmp(o.bind, "unbound") == 0 && strcmp(o.dest, "self") == 0) {
        usage(argv[0], "an unbound socket has no port to send its own datagram to: use -d loopback");
        return 2;
    }
#ifndef __APPLE__
    if (strcmp(o.call, "connect+sendmsg_x") == 0) {
        printf("sendmsg_x is xnu's private system call: macOS only\n");
        return 2;
    }
#endif
    {
        /* The address must be this machine's: a scratch AF_INET socket binds it. */
        struct sockaddr_in sin;
        int s = socket(AF_INET, SOCK_DGRAM, 0);
        memset(&sin, 0, sizeof sin);
#ifdef __APPLE__
        sin.sin_len = sizeof sin;
#endif
        sin.sin_family = AF_INET;
        sin.sin_addr = o.ipv4;
        if (s < 0 || bind(s, (struct sockaddr *)&sin, sizeof sin) < 0) {
            printf("%s is not an address of this machine (bind: %s)\n", ipv4, strerror(errno));
            return 2;
        }
        close(s);
    }
    int connects = strncmp(o.call, "connect+", 8) == 0;
    printf("case: AF_INET6 UDP, IPV6_V6ONLY %s, bind %s, port %s, %s to %s (IPv4 %s), %d fresh sockets x %d datagrams\n",
           o.v6only ? "on" : "off", o.bind, o.port, o.call, o.dest, ipv4, o.sockets, DATAGRAMS);

    int lost[DATAGRAMS + 1] = {0}, refused[DATAGRAMS + 1] = {0}, delivered[DATAGRAMS + 1] = {0}, late_n[DATAGRAMS + 1] = {0};
    for (int k = 1; k <= o.sockets; k++) {
        int arrived[DATAGRAMS + 1] = {0}, late[DATAGRAMS + 1] = {0}, failed[DATAGRAMS + 1] = {0};
        struct sockaddr_in6 dst;
        int rx = -1;
        int fd = socket(AF_INET6, SOCK_DGRAM, 0);
        if (fd < 0) {
            printf("socket(AF_INET6, SOCK_DGRAM) failed: %s\n", strerror(errno));
            return 2;
        }
        if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &o.v6only, sizeof o.v6only) < 0) {
            printf("setsockopt(IPV6_V6ONLY, %d) failed: %s\n", o.v6only, strerror(errno));
            return 2;
        }
        const char *stage = NULL;
        int stage_errno = 0;
        if (bind_socket(fd, &o) < 0) {
            if (errno == EADDRNOTAVAIL) {
                printf("bind failed: %s (is %s an address of this machine?)\n", strerror(errno), ipv4);
                return 2;
            }
            stage = "bind";
            stage_errno = errno;
        }
        if (!stage && strcmp(o.dest, "loopback") == 0) {
            rx = open_receiver(&dst);
            if (rx < 0) {
                printf("could not open the loopback receiver: %s\n", strerror(errno));
                return 2;
            }
        } else if (!stage) {
            struct sockaddr_in6 self;
            socklen_t len = sizeof self;
            if (getsockname(fd, (struct sockaddr *)&self, &len) < 0) {
                printf("getsockname() failed: %s\n", strerror(errno));
                return 2;
            }
            mapped_addr(&dst, o.ipv4, ntohs(self.sin6_port));
            rx = fd;
        }
        if (!stage && connects && connect(fd, (struct sockaddr *)&dst, sizeof dst) < 0) {
            stage = "connect";
            stage_errno = errno;
        }
        printf("socket %d:\n", k);
        for (int i = 1; i <= DATAGRAMS; i++) {
            char msg[48];
            int mlen = snprintf(msg, sizeof msg, "netconform %d %d", k, i);
            if (stage) {
                printf("  datagram %d: %s() failed: %s\n", i, stage, strerror(stage_errno));
                failed[i] = 1;
                continue;
            }
            ssize_t n = send_one(fd, &o, msg, (size_t)mlen, &dst);
            if (n < 0) {
                printf("  datagram %d: %s failed: %s\n", i, o.call, strerror(errno));
                failed[i] = 1;
                continue;
            }
            printf("  datagram %d: %s returned %zd for \"%s\"\n", i, o.call, n, msg);
            wait_for(rx, k, i, arrived, late);
        }
        if (rx >= 0 && rx != fd) close(rx);
        close(fd);
        for (int i = 1; i <= DATAGRAMS; i++) {
            if (failed[i]) refused[i]++;
            else if (!arrived[i]) lost[i]++;
            else if (late[i]) late_n[i]++;
            else delivered[i]++;
        }
    }

    int bad = 0;
    for (int i = 1; i <= DATAGRAMS; i++) {
        printf("datagram %d: delivered %d/%d, lost after a successful call %d, late %d, refused by a call %d\n",
               i, delivered[i], o.sockets, lost[i], late_n[i], refused[i]);
        if (o.v6only) bad |= refused[i] != o.sockets;
        else bad |= delivered[i] != o.sockets;
    }
    if (bad && o.v6only) {
        printf("RESULT: FAIL: IPV6_V6ONLY is on, yet a datagram to a mapped address was not refused by its call\n");
        return 1;
    }
    if (bad) {
        printf("RESULT: FAIL: the bug is present (a datagram the call accepted was lost or late, or a call refused one)\n");
        return 1;
    }
    printf(o.v6only ? "RESULT: PASS: every datagram was refused, as IPV6_V6ONLY requires\n" : "RESULT: PASS: every datagram arrived\n");
    return 0;
}
