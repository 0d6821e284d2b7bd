/*
 * netconform reproducer: TCP connection churn must not leave TCP control
 * blocks behind. Once every socket is closed and TIME_WAIT set aside, the
 * kernel's count of TCP control blocks must come back to where it started;
 * an abortive close (SO_LINGER on, 0 s) must reach the peer as an RST.
 *
 * Modelled on public reports against macOS 26: TCP PCBs that no process
 * owns pile up (net.inet.tcp.pcbcount) until socket() fails with ENOBUFS
 * (JDK-8375658, oven-sh/bun#43462), and an abortive close's RST was lost
 * on loopback (FB23590387, python/cpython#153117).
 *
 *   cc -Wall -O2 -o repro repro.c
 *   ./repro [pattern [count [family [peer-address peer-port]]]]
 *
 * pattern  connect           connect to a loopback listener, accept, close both ends
 *          close-connecting  non-blocking connect to a peer that drops SYNs, closed
 *                            before it completes; without a peer address, the peer is
 *                            a loopback listener whose accept queue is full (it drops
 *                            SYNs on Linux and macOS)
 *          abort             connect, accept, SO_LINGER {1, 0} and close the
 *                            connecting end (an RST), close the accepted end
 *          rst               flow-control N loopback connections (the connecting end
 *                            writes until its send would block: the accepted end reads
 *                            nothing), abort each, then read each accepted end until
 *                            its data is gone: the read must fail with ECONNRESET
 * family   inet6 (::1), inet (127.0.0.1) or mapped (AF_INET6 with IPV6_V6ONLY off,
 *          to ::ffff:127.0.0.1, or to the IPv4 peer address given)
 *
 * It counts TCP control blocks before the loop, at the last close and after
 * waiting up to DRAIN_SECONDS for the count to come back. macOS:
 * net.inet.tcp.pcbcount minus the TIME_WAIT lines of `netstat -an -p tcp`
 * (xnu counts TIME_WAIT PCBs in pcbcount); Linux: TCP inuse + TCP6 inuse
 * of /proc/net/sockstat{,6} (TIME_WAIT is counted apart there). Run it on
 * an otherwise idle machine: on macOS the count covers the whole machine.
 *
 * Exit status: 0 no failure, 1 the bug is present (a call failed, control
 * blocks stayed, or an RST did not arrive), 2 usage or setup error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#ifdef __APPLE__
#include <sys/sysctl.h>
#endif

#ifndef DEFAULT_PATTERN
#define DEFAULT_PATTERN "connect"
#endif
#ifndef DEFAULT_COUNT
#define DEFAULT_COUNT 2000
#endif
#ifndef DEFAULT_FAMILY
#define DEFAULT_FAMILY "inet6"
#endif
#ifndef DRAIN_SECONDS
#define DRAIN_SECONDS 15
#endif
#ifndef RST_WAIT_MS
#define RST_WAIT_MS 1000
#endif
/* rst: send and receive buffers of the flow-controlled connections. */
#define FLOW_BUFFER 4096

enum { P_CONNECT, P_CONNECTING, P_ABORT, P_RST };
enum { F_INET6, F_INET, F_MAPPED };

static const char *errno_name(int e) {
    switch (e) {
    case ENOBUFS: return "ENOBUFS";
    case ENFILE: return "ENFILE";
    case EMFILE: return "EMFILE";
    case ENOMEM: return "ENOMEM";
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case EADDRINUSE: return "EADDRINUSE";
    case ECONNREFUSED: return "ECONNREFUSED";
    case ECONNRESET: return "ECONNRESET";
    case ECONNABORTED: return "ECONNABORTED";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EINPROGRESS: return "EINPROGRESS";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case ENETUNREACH: return "ENETUNREACH";
    case EHOSTUNREACH: return "EHOSTUNREACH";
    case EINTR: return "EINTR";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case EAGAIN: return "EAGAIN";
    }
    return "errno";
}

static double seconds(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return tv.tv_sec + tv.tv_usec / 1e6;
}

/* The TCP control blocks: total as the source counts them, how many of
 * them are TIME_WAIT, and held = what is neither. */
struct count {
    long total, tw, held;
    int ok;
};

#ifdef __APPLE__
static struct count read_count(void) {
    struct count c = {0, 0, 0, 0};
    unsigned int v = 0;
    size_t len = sizeof v;
    if (sysctlbyname("net.inet.tcp.pcbcount", &v, &len, NULL, 0) != 0)
        return c;
    c.total = v;
    FILE *p = popen("netstat -an -p tcp", "r");
    if (p == NULL)
        return c;
    char line[512];
    while (fgets(line, sizeof line, p) != NULL)
        if (strncmp(line, "tcp", 3) == 0 && strstr(line, " TIME_WAIT") != NULL)
            c.tw++;
    if (pclose(p) != 0)
        return c;
    c.held = c.total - c.tw;
    c.ok = 1;
    return c;
}
#else
static long sockstat_field(const char *path, const char *proto, const char *field) {
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    char line[512];
    long v = -1;
    size_t plen = strlen(proto);
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, proto, plen) != 0 || line[plen] != ':')
            continue;
        char *tok = strtok(line + plen + 1, " \n");
        while (tok != NULL) {
            char *val = strtok(NULL, " \n");
            if (val == NULL)
                break;
            if (strcmp(tok, field) == 0)
                v = strtol(val, NULL, 10);
            tok = strtok(NULL, " \n");
        }
    }
    fclose(f);
    return v;
}

static struct count read_count(void) {
    struct count c = {0, 0, 0, 0};
    long in4 = sockstat_field("/proc/net/sockstat", "TCP", "inuse");
    long tw = sockstat_field("/proc/net/sockstat", "TCP", "tw");
    long in6 = sockstat_field("/proc/net/sockstat6", "TCP6", "inuse");
    if (in4 < 0 || tw < 0)
        return c;
    if (in6 < 0)
        in6 = 0; /* no IPv6 */
    c.total = in4 + in6;
    c.tw = tw;
    c.held = c.total; /* TIME_WAIT is never in inuse */
    c.ok = 1;
    return c;
}
#endif

static void usage(const char *argv0) {
    fprintf(stderr, "usage: %s [connect|close-connecting|abort|rst [count [inet6|inet|mapped [peer-address peer-port]]]]\n", argv0);
    exit(2);
}

/* make_addr fills ss for family and a textual address ("%zone" allowed on
 * IPv6; for mapped, an IPv4 address that is then mapped). */
static int make_addr(int fam, const char *text, int port, struct sockaddr_storage *ss, socklen_t *len) {
    memset(ss, 0, sizeof *ss);
    if (fam == F_INET) {
        struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons((unsigned short)port);
        if (inet_pton(AF_INET, text, &s4->sin_addr) != 1)
            return -1;
        *len = sizeof *s4;
#ifdef __APPLE__
        s4->sin_len = sizeof *s4;
#endif
        return 0;
    }
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
    s6->sin6_family = AF_INET6;
    s6->sin6_port = htons((unsigned short)port);
#ifdef __APPLE__
    s6->sin6_len = sizeof *s6;
#endif
    *len = sizeof *s6;
    if (fam == F_MAPPED) {
        struct in_addr a4;
        if (inet_pton(AF_INET, text, &a4) != 1)
            return -1;
        s6->sin6_addr.s6_addr[10] = 0xff;
        s6->sin6_addr.s6_addr[11] = 0xff;
        memcpy(&s6->sin6_addr.s6_addr[12], &a4, 4);
        return 0;
    }
    char buf[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
    snprintf(buf, sizeof buf, "%s", text);
    char *zone = strchr(buf, '%');
    if (zone != NULL) {
        *zone++ = 0;
        s6->sin6_scope_id = if_nametoindex(zone);
        if (s6->sin6_scope_id == 0)
            return -1;
    }
    return inet_pton(AF_INET6, buf, &s6->sin6_addr) == 1 ? 0 : -1;
}

static int domain_of(int fam) { return fam == F_INET ? AF_INET : AF_INET6; }

/* open_socket makes the connecting socket: dual-stack for mapped,
 * non-blocking when asked. It returns -1 with errno and *call set. */
static int open_socket(int fam, int nonblock, const char **call) {
    *call = "socket";
    int type = SOCK_STREAM;
#ifdef SOCK_NONBLOCK
    /* Linux: non-blocking in the same call, as the probe does. */
    if (nonblock) {
        type |= SOCK_NONBLOCK;
        nonblock = 0;
    }
#endif
    int fd = socket(domain_of(fam), type, 0);
    if (fd < 0)
        return -1;
    if (fam == F_MAPPED) {
        int off = 0;
        if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off) != 0) {
            int e = errno;
            close(fd);
            errno = e;
            *call = "setsockopt";
            return -1;
        }
    }
    if (nonblock && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        *call = "fcntl";
        return -1;
    }
    return fd;
}

/* listen_loopback opens a listener on the family's loopback address (any
 * port) and gives the address to connect to. */
static int listen_loopback(int fam, int backlog, int rcvbuf, struct sockaddr_storage *ss, socklen_t *len) {
    const char *addr = fam == F_INET ? "127.0.0.1" : fam == F_MAPPED ? "127.0.0.1" : "::1";
    if (make_addr(fam, addr, 0, ss, len) != 0)
        return -1;
    const char *call;
    int l = open_socket(fam, 0, &call);
    int one = 1;
    if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        (rcvbuf > 0 && setsockopt(l, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf) != 0) ||
        bind(l, (struct sockaddr *)ss, *len) != 0 || listen(l, backlog) != 0 ||
        getsockname(l, (struct sockaddr *)ss, len) != 0) {
        perror("loopback listener");
        return -1;
    }
    return l;
}

static int connect_retry(int fd, const struct sockaddr_storage *ss, socklen_t len) {
    int r = connect(fd, (const struct sockaddr *)ss, len);
    while (r != 0 && errno == EINTR) {
        r = connect(fd, (const struct sockaddr *)ss, len);
        if (r != 0 && errno == EISCONN)
            return 0;
    }
    return r;
}

static int accept_retry(int l) {
    int s;
    do
        s = accept(l, NULL, NULL);
    while (s < 0 && errno == EINTR);
    return s;
}

/* fill_backlog makes the loopback listener l drop SYNs: connections that
 * are never accepted fill its queue (listen backlog 1), until a connect
 * stays in progress. The fillers are kept open. */
static int fill_backlog(int fam, const struct sockaddr_storage *ss, socklen_t len, int *fillers, int max) {
    for (int n = 0; n < max; n++) {
        const char *call;
        int fd = open_socket(fam, 1, &call);
        if (fd < 0)
            return -1;
        fillers[n] = fd;
        if (connect(fd, (const struct sockaddr *)ss, len) == 0)
            continue;
        if (errno != EINPROGRESS)
            return -1;
        struct pollfd p = {fd, POLLOUT, 0};
        if (poll(&p, 1, 300) == 0)
            return n + 1; /* still connecting: SYNs are being dropped */
    }
    return -1;
}

/* fill_send makes fd non-blocking and writes until its send would block:
 * the peer's window is closed, the rest stays queued. */
static long fill_send(int fd, const char **call) {
    static char buf[4096];
    long total = 0;
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) {
        *call = "fcntl";
        return -1;
    }
    while (total < (4L << 20)) {
        ssize_t n = write(fd, buf, sizeof buf);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return total;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *call = "write";
            return -1;
        }
        total += n;
    }
    return total;
}

int main(int argc, char **argv) {
    const char *pat = DEFAULT_PATTERN, *famname = DEFAULT_FAMILY, *peer = NULL;
    long count = DEFAULT_COUNT;
    int peer_port = 0;
    if (argc > 1)
        pat = argv[1];
    if (argc > 2) {
        char *end;
        count = strtol(argv[2], &end, 10);
        if (*end || count < 1)
            usage(argv[0]);
    }
    if (argc > 3)
        famname = argv[3];
    if (argc == 5 || argc > 6)
        usage(argv[0]);
    if (argc == 6) {
        peer = argv[4];
        peer_port = atoi(argv[5]);
        if (peer_port < 1 || peer_port > 65535)
            usage(argv[0]);
    }
    int pattern = strcmp(pat, "connect") == 0 ? P_CONNECT : strcmp(pat, "close-connecting") == 0 ? P_CONNECTING
                : strcmp(pat, "abort") == 0 ? P_ABORT : strcmp(pat, "rst") == 0 ? P_RST : -1;
    int fam = strcmp(famname, "inet6") == 0 ? F_INET6 : strcmp(famname, "inet") == 0 ? F_INET
            : strcmp(famname, "mapped") == 0 ? F_MAPPED : -1;
    if (pattern < 0 || fam < 0 || (peer != NULL && pattern != P_CONNECTING))
        usage(argv[0]);

    struct sockaddr_storage ss;
    socklen_t len = 0;
    int l = -1, fillers[8], nfill = 0;
    if (peer != NULL) {
        if (make_addr(fam, peer, peer_port, &ss, &len) != 0) {
            fprintf(stderr, "peer %s does not fit family %s\n", peer, famname);
            return 2;
        }
    } else {
        l = listen_loopback(fam, pattern == P_CONNECTING ? 1 : 128, pattern == P_RST ? FLOW_BUFFER : 0, &ss, &len);
        if (l < 0)
            return 2;
        if (pattern == P_CONNECTING && (nfill = fill_backlog(fam, &ss, len, fillers, 8)) < 0) {
            fprintf(stderr, "could not fill the loopback listener's queue: its SYNs are not dropped\n");
            return 2;
        }
    }
    printf("%s: %ld %s connections%s%s\n", pat, count, famname, peer ? " to " : " over loopback", peer ? peer : "");

    int *accepted = NULL;
    if (pattern == P_RST) {
        /* Every accepted end stays open until the reads: room for them. */
        struct rlimit rl;
        if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)count + 64) {
            rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > (rlim_t)count + 64 ? (rlim_t)count + 64 : rl.rlim_max;
            setrlimit(RLIMIT_NOFILE, &rl);
        }
        if ((accepted = calloc((size_t)count, sizeof *accepted)) == NULL)
            return 2;
    }
    struct count start = read_count();
    const char *failed = NULL;
    int fail_errno = 0;
    long i, done = 0, written = 0;
    double t0 = seconds();
    for (i = 1; i <= count && failed == NULL; i++) {
        const char *call;
        int fd = open_socket(fam, pattern == P_CONNECTING, &call);
        if (fd < 0) {
            failed = call, fail_errno = errno;
            break;
        }
        if (pattern == P_CONNECTING) {
            if (connect(fd, (struct sockaddr *)&ss, len) == 0) {
                fprintf(stderr, "connect() completed at once: the peer answers SYNs\n");
                return 2;
            }
            if (errno != EINPROGRESS) {
                failed = "connect", fail_errno = errno;
                close(fd);
                break;
            }
            if (close(fd) != 0) {
                failed = "close", fail_errno = errno;
                break;
            }
            done = i;
            continue;
        }
        int sndbuf = FLOW_BUFFER;
        if (pattern == P_RST && setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf) != 0) {
            failed = "setsockopt", fail_errno = errno;
            close(fd);
            break;
        }
        if (connect_retry(fd, &ss, len) != 0) {
            failed = "connect", fail_errno = errno;
            close(fd);
            break;
        }
        int s = accept_retry(l);
        if (s < 0) {
            failed = "accept", fail_errno = errno;
            close(fd);
            break;
        }
        if (pattern == P_RST) {
            long n = fill_send(fd, &call);
            if (n < 0) {
                failed = call, fail_errno = errno;
                close(fd);
                close(s);
                break;
            }
            written += n;
        }
        if (pattern == P_ABORT || pattern == P_RST) {
            struct linger lg = {1, 0};
            if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) != 0) {
                failed = "setsockopt", fail_errno = errno;
                close(fd);
                close(s);
                break;
            }
        }
        if (close(fd) != 0) {
            failed = "close", fail_errno = errno;
            close(s);
            break;
        }
        if (pattern == P_RST) {
            accepted[done] = s;
        } else if (close(s) != 0) {
            failed = "close", fail_errno = errno;
            break;
        }
        done = i;
    }
    double took = seconds() - t0;
    printf("%ld connections in %.3f s: RATE %.0f connections per second\n", done, took, took > 0 ? done / took : 0.0);
    if (failed != NULL) {
        printf("%s() failed at connection %ld: %s (%d): %s\n", failed, done + 1, errno_name(fail_errno), fail_errno, strerror(fail_errno));
        printf("RESULT: FAIL: the bug is present (%s() failed with %s)\n", failed, errno_name(fail_errno));
        return 1;
    }

    if (pattern == P_RST) {
        /* Every RST was sent: give them RST_WAIT_MS to arrive, then read
         * each accepted end once. */
        double deadline = seconds() + RST_WAIT_MS / 1000.0;
        for (long k = 0; k < done; k++) {
            struct pollfd p = {accepted[k], POLLIN, 0};
            double left = deadline - seconds();
            poll(&p, 1, left > 0 ? (int)(left * 1000) : 0);
        }
        long reset = 0, fin = 0, nothing = 0, other = 0;
        static char b[65536];
        for (long k = 0; k < done; k++) {
            /* Data queued before the RST may come first; the outcome is how
             * the reads end. */
            ssize_t n;
            int reads = 0;
            do
                n = recv(accepted[k], b, sizeof b, MSG_DONTWAIT);
            while (n > 0 && ++reads < 1024);
            if (n < 0 && errno == ECONNRESET)
                reset++;
            else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                nothing++;
            else if (n == 0)
                fin++;
            else
                other++;
            close(accepted[k]);
        }
        printf("%ld bytes written before the abortive closes (%ld per connection)\n", written, done ? written / done : 0);
        printf("ECONNRESET on %ld of %ld accepted ends; end of file (a FIN) %ld, nothing %ld, other %ld\n", reset, done, fin, nothing, other);
        if (reset != done) {
            printf("RESULT: FAIL: the bug is present (RST not seen by the peer in %ld of %ld)\n", done - reset, done);
            return 1;
        }
        printf("RESULT: PASS: every abortive close reached the peer as an RST\n");
        return 0;
    }

    /* The connect and abort listener is closed now; its control block
     * was in the start count. close-connecting's loopback listener and
     * fillers stay open until the count is done: they were open at the
     * start too. */
    long target_held = start.held;
    if (l >= 0 && pattern != P_CONNECTING) {
        close(l);
        target_held--;
    }
    struct count end = read_count(), after = end;
    if (!start.ok || !end.ok) {
        printf("no TCP control-block count to read here\n");
        printf("RESULT: PASS: no call failed (control blocks not counted)\n");
        return 0;
    }
    /* The count has no notification: poll it until it is back, or the
     * drain is over; keep the lowest (other processes may add to it). */
    double d0 = seconds();
    while (after.held > target_held && seconds() - d0 < DRAIN_SECONDS) {
        usleep(20000);
        struct count c = read_count();
        if (c.ok && c.held < after.held)
            after = c;
    }
    for (int k = 0; k < nfill; k++)
        close(fillers[k]);
    if (pattern == P_CONNECTING && l >= 0)
        close(l);
    long left = after.held - target_held;
    printf("TCP control blocks held (TIME_WAIT set aside): %ld at the start, %ld at the last close, %ld after %.2f s (%ld in TIME_WAIT)\n",
           start.held, end.held, after.held, seconds() - d0, after.tw);
    if (left > 0) {
        printf("RESULT: FAIL: the bug is present (%ld TCP control blocks stayed: %.1f per thousand connections)\n", left, left * 1000.0 / done);
        return 1;
    }
    printf("RESULT: PASS: no failure, TCP control blocks back to the start\n");
    return 0;
}
