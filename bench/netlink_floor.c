/* netlink_floor: the kernel floor of the benchmark, the least work any tool could do.
 *
 *   netlink_floor [--parallel] build|show|destroy SPEC
 *
 * Builds, reads back or removes a lab with raw rtnetlink requests, each waiting for its ack:
 * no parsing of a topology file, no diff, no verification, no undo, no ownership marks. Only
 * libc, pthreads and the Linux uapi headers.
 *
 * Without --parallel everything happens on one thread, one request at a time. With it the
 * program uses the parallelism nstopo uses (docs/ARCHITECTURE.md, "Speed"; the counts are
 * those of src/kernel/parallel.cpp), and nothing else changes:
 *   build    the namespaces (file, unshare, sysctl, bind mount, socket, loopback up) are made
 *            by worker threads, one per core less the main thread's, at most three, at least
 *            one, in the order of the spec; meanwhile the main thread makes the bridge and the
 *            links, each as soon as the namespaces it needs are ready, then the addresses and
 *            routes
 *   show     the namespaces (the host one included) are read side by side on one thread per
 *            core, at most four (one thread below eight namespaces)
 *   destroy  the namespaces are unmounted side by side on eight threads (one below eight
 *            namespaces): each unmount waits for an RCU grace period, and the waits overlap;
 *            then, as before, the bridges deleted and the wait for the host's lab links to go
 *
 * SPEC (written by bench/bench.py from a gen_topology Lab) holds one item a line, in the
 * order they are built:
 *
 *   ns NAME                           a namespace, bound at /run/netns/NAME, loopback up,
 *                                     no IPv6 link-local addresses on its links
 *   bridge NAME ADDR/LEN              a bridge in the host, up, with an IPv4 address
 *   veth NS_A IF_A NS_B IF_B MASTER   a veth pair, both ends up; IF_A on bridge MASTER ("-": none)
 *   addr NS IF ADDR/LEN               an IPv4 address
 *   route NS TO VIA                   an IPv4 route to TO ("default" or a prefix) via a gateway
 *
 * NS "host" is the namespace the program runs in. Any error: a message and exit status 1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <search.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define NETNS_DIR "/run/netns"
#define LOOPBACK_IFINDEX 1 /* lo is always index 1 in a new namespace */

/* sock: its rtnetlink socket; fd: the namespace itself; ready: made (set once sock and fd are) */
struct ns { char name[64]; int sock, fd; atomic_int ready; };
struct item { char kind[8], a[64], b[64], c[64], d[64], e[64]; };
struct req { struct nlmsghdr h; char data[1024]; };

static struct ns host = { "host", -1, -1, 1 }, *spaces; /* spaces: the namespaces of the spec */
static struct item *items;
static size_t nspaces, nitems, nitems_max;
static atomic_uint seq;     /* shared by the threads: every request gets its own number */
static _Thread_local union { struct nlmsghdr h; char bytes[1 << 16]; } rx; /* one per thread */
static int parallel;        /* --parallel */
static int home;            /* the namespace the program started in */

#define die(...) (fputs("netlink_floor: ", stderr), fprintf(stderr, __VA_ARGS__), fputc('\n', stderr), exit(1))

/* ---------------------------------------------------------------- requests and replies */

static void *append(struct req *r, size_t len) {
	char *at = (char *)r + r->h.nlmsg_len;
	if (r->h.nlmsg_len + NLMSG_ALIGN(len) > sizeof *r) die("request too large");
	memset(at, 0, NLMSG_ALIGN(len));
	r->h.nlmsg_len += NLMSG_ALIGN(len);
	return at;
}

/* A request of `type` with its fixed header (zeroed, returned) of `len` bytes. */
static void *start(struct req *r, unsigned short type, unsigned short flags, size_t len) {
	r->h = (struct nlmsghdr){ .nlmsg_len = NLMSG_HDRLEN, .nlmsg_type = type,
				  .nlmsg_flags = NLM_F_REQUEST | flags, .nlmsg_seq = atomic_fetch_add(&seq, 1) + 1 };
	return append(r, len);
}

static struct rtattr *attr(struct req *r, unsigned short type, const void *data, size_t len) {
	struct rtattr *a = append(r, RTA_LENGTH(len));
	*a = (struct rtattr){ .rta_len = (unsigned short)RTA_LENGTH(len), .rta_type = type };
	if (len) memcpy(RTA_DATA(a), data, len);
	return a;
}

static void nest_end(struct req *r, struct rtattr *nest) {
	nest->rta_len = (unsigned short)((char *)r + r->h.nlmsg_len - (char *)nest);
}

static int nl_socket(void) {
	int one = 1, sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (sock < 0) die("socket(NETLINK_ROUTE): %s", strerror(errno));
	/* Error messages (extended ack) with only the header of the failed request echoed. */
	setsockopt(sock, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
	setsockopt(sock, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
	return sock;
}

/* Dies with the kernel's errno and its extended-ack text, if any. */
static void fail(struct nlmsghdr *h, const char *what) {
	struct nlmsgerr *e = NLMSG_DATA(h);
	const char *text = "";
	if (h->nlmsg_flags & NLM_F_ACK_TLVS) {
		size_t skip = sizeof *e;
		if (!(h->nlmsg_flags & NLM_F_CAPPED)) skip += e->msg.nlmsg_len - NLMSG_HDRLEN;
		struct rtattr *a = (struct rtattr *)((char *)e + NLMSG_ALIGN(skip));
		long left = (long)h->nlmsg_len - NLMSG_HDRLEN - (long)NLMSG_ALIGN(skip);
		for (; RTA_OK(a, left); a = RTA_NEXT(a, left))
			if (a->rta_type == NLMSGERR_ATTR_MSG) text = RTA_DATA(a);
	}
	die("%s: %s (errno %d)%s%s", what, strerror(-e->error), -e->error, *text ? ": " : "", text);
}

/* Sends one request and reads its answer up to its ack (or a dump's NLMSG_DONE), `each` (if
 * any) seeing every other message. Returns the ifindex of a link it was told of, or 0. */
static int talk(int sock, struct req *r, const char *what, void (*each)(struct nlmsghdr *)) {
	int index = 0;
	if (send(sock, r, r->h.nlmsg_len, 0) < 0) die("%s: send: %s", what, strerror(errno));
	for (;;) {
		long n = recv(sock, rx.bytes, sizeof rx.bytes, 0);
		if (n < 0) die("%s: recv: %s", what, strerror(errno));
		for (struct nlmsghdr *h = &rx.h; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != r->h.nlmsg_seq) continue;
			if (h->nlmsg_type == NLMSG_DONE) return index;
			if (h->nlmsg_type == NLMSG_ERROR) {
				if (((struct nlmsgerr *)NLMSG_DATA(h))->error) fail(h, what);
				return index;
			}
			if (h->nlmsg_type == RTM_NEWLINK) index = ((struct ifinfomsg *)NLMSG_DATA(h))->ifi_index;
			if (each) each(h);
		}
	}
}

/* One dump (every message read, `each` sees them); `family` is the first field of each header. */
static void dump(int sock, unsigned short type, unsigned char family, void (*each)(struct nlmsghdr *)) {
	struct req r;
	size_t len = type == RTM_GETLINK ? sizeof(struct ifinfomsg)
		     : type == RTM_GETADDR ? sizeof(struct ifaddrmsg) : sizeof(struct rtmsg);
	*(unsigned char *)start(&r, type, NLM_F_DUMP, len) = family;
	talk(sock, &r, "dump", each);
}

/* ------------------------------------------------------------------------------ threads */

/* A job: work(k) for every k below items, taken in order by whoever is free. */
struct job { size_t items; atomic_size_t next; void (*work)(size_t); };

static void *job_loop(void *arg) {
	struct job *job = arg;
	for (size_t k; (k = atomic_fetch_add(&job->next, 1)) < job->items;) job->work(k);
	return NULL;
}

/* The threads a job of `items` gets, the caller's included, as nstopo's parallel_workers:
 * one below eight items; else one per core, at most four, for busy work, eight for waiting. */
enum work { BUSY, WAITING };
static unsigned threads_for(size_t items, enum work work) {
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	if (items < 8) return 1;
	if (work == WAITING) return 8;
	return cores < 1 ? 1 : cores > 4 ? 4 : (unsigned)cores;
}

static pthread_t helpers[8];
static unsigned nhelpers;

/* Starts up to `count` helper threads on the job; returns how many there are. */
static unsigned start_helpers(struct job *job, unsigned count) {
	for (nhelpers = 0; nhelpers < count && nhelpers < sizeof helpers / sizeof *helpers; nhelpers++)
		if (pthread_create(&helpers[nhelpers], NULL, job_loop, job)) break; /* fewer, then */
	return nhelpers;
}

static void join_helpers(void) {
	for (unsigned t = 0; t < nhelpers; t++) pthread_join(helpers[t], NULL);
	nhelpers = 0;
}

/* The job done on `threads` threads, this one among them. */
static void run_job(struct job *job, unsigned threads) {
	start_helpers(job, threads - 1);
	job_loop(job);
	join_helpers();
}

static pthread_mutex_t made_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t made_cond = PTHREAD_COND_INITIALIZER;

static void mark_ready(struct ns *space) {
	pthread_mutex_lock(&made_lock);
	atomic_store(&space->ready, 1);
	pthread_cond_broadcast(&made_cond);
	pthread_mutex_unlock(&made_lock);
}

/* Waits until a worker has made `space` (without --parallel it was made before its use). */
static struct ns *when_ready(struct ns *space) {
	if (atomic_load(&space->ready)) return space;
	if (!parallel) die("namespace %s used before its ns line", space->name);
	pthread_mutex_lock(&made_lock);
	while (!atomic_load(&space->ready)) pthread_cond_wait(&made_cond, &made_lock);
	pthread_mutex_unlock(&made_lock);
	return space;
}

/* --------------------------------------------------------------------------- the steps */

static void parse_prefix(const char *text, struct in_addr *address, unsigned char *len) {
	char copy[64], *slash;
	snprintf(copy, sizeof copy, "%s", text);
	slash = strchr(copy, '/');
	if (slash) *slash = '\0';
	if (inet_pton(AF_INET, copy, address) != 1 || (slash && (atoi(slash + 1) < 0 || atoi(slash + 1) > 32)))
		die("not an IPv4 address or prefix: %s", text);
	*len = slash ? (unsigned char)atoi(slash + 1) : 32;
}

/* The namespace of that name, once it is made (by a worker, with --parallel). */
static struct ns *find(const char *name) {
	if (!strcmp(name, host.name)) return &host;
	ENTRY *found = hsearch((ENTRY){ .key = (char *)name }, FIND);
	if (!found) die("no namespace %s in the spec", name);
	return when_ready(found->data);
}

/* ifindex of the link `name` in `space` (RTM_GETLINK by name). */
static int ifindex(struct ns *space, const char *name) {
	struct req r;
	char what[160];
	start(&r, RTM_GETLINK, NLM_F_ACK, sizeof(struct ifinfomsg));
	attr(&r, IFLA_IFNAME, name, strlen(name) + 1);
	snprintf(what, sizeof what, "RTM_GETLINK %s in %s", name, space->name);
	int index = talk(space->sock, &r, what, NULL);
	if (!index) die("%s: no reply", what);
	return index;
}

/* Link up, by ifindex or (index 0) by name. */
static void set_up(struct ns *space, int index, const char *name) {
	struct req r;
	char what[160];
	struct ifinfomsg *ifm = start(&r, RTM_NEWLINK, NLM_F_ACK, sizeof *ifm);
	ifm->ifi_index = index;
	ifm->ifi_flags = ifm->ifi_change = IFF_UP;
	if (name) attr(&r, IFLA_IFNAME, name, strlen(name) + 1);
	snprintf(what, sizeof what, "set %s up in %s", name ? name : "lo", space->name);
	talk(space->sock, &r, what, NULL);
}

/* Once, as `ip netns add` does: /run/netns a shared mount point (bound onto itself first). */
static void share_netns_dir(void) {
	if (mkdir(NETNS_DIR, 0755) && errno != EEXIST) die("mkdir %s: %s", NETNS_DIR, strerror(errno));
	if (!mount("", NETNS_DIR, "none", MS_SHARED | MS_REC, NULL)) return;
	if (errno != EINVAL || mount(NETNS_DIR, NETNS_DIR, "none", MS_BIND | MS_REC, NULL)
	    || mount("", NETNS_DIR, "none", MS_SHARED | MS_REC, NULL))
		die("making %s a shared mount point: %s", NETNS_DIR, strerror(errno));
}

static void make_namespace(struct ns *space) {
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", NETNS_DIR, space->name);
	int fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0) die("create %s: %s", path, strerror(errno));
	close(fd);
	if (unshare(CLONE_NEWNET)) die("unshare(CLONE_NEWNET) for %s: %s", space->name, strerror(errno));
	/* No IPv6 link-local address on the links made in here, as nstopo sets on its links: else
	 * the DAD and MLD of every star peer is flooded to every bridge port, O(N^2) at N=1000. */
	int conf = open("/proc/sys/net/ipv6/conf/default/addr_gen_mode", O_WRONLY | O_CLOEXEC);
	if ((conf < 0 && errno != ENOENT) || (conf >= 0 && (write(conf, "1", 1) != 1 || close(conf))))
		die("net.ipv6.conf.default.addr_gen_mode in %s: %s", space->name, strerror(errno));
	if (mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL))
		die("bind-mount %s: %s", path, strerror(errno));
	space->fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (space->fd < 0) die("open the namespace %s: %s", space->name, strerror(errno));
	space->sock = nl_socket();
	set_up(space, LOOPBACK_IFINDEX, NULL);
	if (setns(home, CLONE_NEWNET)) die("setns home: %s", strerror(errno));
	mark_ready(space);
}

static void make_nth_namespace(size_t k) { make_namespace(&spaces[k]); }

/* Bridge: created up, then its ifindex looked up and its address added. Returns the index. */
static int make_bridge(const char *name) {
	struct req r;
	struct ifinfomsg *ifm = start(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, sizeof *ifm);
	ifm->ifi_flags = ifm->ifi_change = IFF_UP;
	attr(&r, IFLA_IFNAME, name, strlen(name) + 1);
	struct rtattr *info = attr(&r, IFLA_LINKINFO, NULL, 0);
	attr(&r, IFLA_INFO_KIND, "bridge", sizeof "bridge");
	nest_end(&r, info);
	talk(host.sock, &r, "RTM_NEWLINK bridge", NULL);
	return ifindex(&host, name);
}

static void add_address(struct ns *space, int index, const char *prefix) {
	struct req r;
	struct in_addr address;
	struct ifaddrmsg *ifa = start(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, sizeof *ifa);
	ifa->ifa_family = AF_INET;
	ifa->ifa_index = (unsigned)index;
	parse_prefix(prefix, &address, &ifa->ifa_prefixlen);
	attr(&r, IFA_LOCAL, &address, sizeof address);
	attr(&r, IFA_ADDRESS, &address, sizeof address);
	talk(space->sock, &r, "RTM_NEWADDR", NULL);
}

/* One RTM_NEWLINK makes the pair with each end in its namespace, the main end up and on its
 * bridge; then the peer is set up through its namespace's socket. */
static void make_veth(const struct item *it, int master) {
	struct ns *a = find(it->a), *b = find(it->c);
	struct req r;
	struct ifinfomsg *ifm = start(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, sizeof *ifm);
	ifm->ifi_flags = ifm->ifi_change = IFF_UP;
	attr(&r, IFLA_IFNAME, it->b, strlen(it->b) + 1);
	if (a != &host) attr(&r, IFLA_NET_NS_FD, &a->fd, sizeof a->fd);
	if (master) attr(&r, IFLA_MASTER, &master, sizeof master);
	struct rtattr *info = attr(&r, IFLA_LINKINFO, NULL, 0);
	attr(&r, IFLA_INFO_KIND, "veth", sizeof "veth");
	struct rtattr *data = attr(&r, IFLA_INFO_DATA, NULL, 0);
	struct rtattr *peer = attr(&r, VETH_INFO_PEER, NULL, 0);
	append(&r, sizeof(struct ifinfomsg));
	attr(&r, IFLA_IFNAME, it->d, strlen(it->d) + 1);
	if (b != &host) attr(&r, IFLA_NET_NS_FD, &b->fd, sizeof b->fd);
	nest_end(&r, peer);
	nest_end(&r, data);
	nest_end(&r, info);
	char what[300];
	snprintf(what, sizeof what, "RTM_NEWLINK veth %s:%s %s:%s", it->a, it->b, it->c, it->d);
	talk(host.sock, &r, what, NULL);
	set_up(b, 0, it->d);
}

static void add_route(struct ns *space, const char *to, const char *via) {
	struct req r;
	struct in_addr dst, gateway;
	unsigned char len;
	struct rtmsg *rtm = start(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, sizeof *rtm);
	*rtm = (struct rtmsg){ .rtm_family = AF_INET, .rtm_table = RT_TABLE_MAIN, .rtm_protocol = RTPROT_BOOT,
			       .rtm_scope = RT_SCOPE_UNIVERSE, .rtm_type = RTN_UNICAST };
	if (strcmp(to, "default")) {
		parse_prefix(to, &dst, &rtm->rtm_dst_len);
		attr(&r, RTA_DST, &dst, sizeof dst);
	}
	parse_prefix(via, &gateway, &len);
	attr(&r, RTA_GATEWAY, &gateway, sizeof gateway);
	talk(space->sock, &r, "RTM_NEWROUTE", NULL);
}

/* ------------------------------------------------------------------------ the commands */

static void build(void) {
	struct rlimit files; /* two descriptors a namespace (its socket and itself): 2000+ at N=1000 */
	if (!getrlimit(RLIMIT_NOFILE, &files) && files.rlim_cur < files.rlim_max)
		files.rlim_cur = files.rlim_max, setrlimit(RLIMIT_NOFILE, &files);
	share_netns_dir();
	/* --parallel: workers make the namespaces while this thread goes on (nstopo: the caller is
	 * one of the busy threads); find() waits for each one before its first use. */
	static struct job namespaces;
	namespaces = (struct job){ .items = nspaces, .work = make_nth_namespace };
	if (parallel) {
		unsigned busy = threads_for(nspaces, BUSY);
		if (!start_helpers(&namespaces, busy > 1 ? busy - 1 : 1))
			job_loop(&namespaces); /* no thread to be had: made here and now */
	}
	char bridge[64] = "";
	int bridge_index = 0, last_index = 0;
	const char *last_ns = "", *last_if = "";
	for (struct item *it = items; it < items + nitems; it++) {
		if (!strcmp(it->kind, "ns")) {
			if (!parallel) make_namespace(hsearch((ENTRY){ .key = it->a }, FIND)->data);
		} else if (!strcmp(it->kind, "bridge")) {
			bridge_index = make_bridge(it->a);
			snprintf(bridge, sizeof bridge, "%s", it->a);
			add_address(&host, bridge_index, it->b);
		} else if (!strcmp(it->kind, "veth")) {
			if (strcmp(it->e, "-") && strcmp(it->e, bridge)) die("veth %s: no bridge %s before it", it->b, it->e);
			make_veth(it, strcmp(it->e, "-") ? bridge_index : 0);
		} else if (!strcmp(it->kind, "addr")) {
			if (strcmp(it->a, last_ns) || strcmp(it->b, last_if)) /* one lookup an interface */
				last_index = ifindex(find(it->a), it->b);
			last_ns = it->a, last_if = it->b;
			add_address(find(it->a), last_index, it->c);
		} else {
			add_route(find(it->a), it->b, it->c);
		}
	}
	join_helpers();
}

/* One socket a namespace, three dumps: links, addresses, IPv4 routes. i == nspaces: the host. */
static void show_one(size_t i) {
	char path[PATH_MAX];
	int sock = host.sock, fd = -1;
	if (i < nspaces) {
		snprintf(path, sizeof path, "%s/%s", NETNS_DIR, spaces[i].name);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || setns(fd, CLONE_NEWNET))
			die("enter %s: %s", path, strerror(errno));
		sock = nl_socket();
		if (setns(home, CLONE_NEWNET) || close(fd)) die("setns home: %s", strerror(errno));
	}
	dump(sock, RTM_GETLINK, AF_UNSPEC, NULL);
	dump(sock, RTM_GETADDR, AF_UNSPEC, NULL);
	dump(sock, RTM_GETROUTE, AF_INET, NULL);
	if (i < nspaces) close(sock);
}

static void show(void) {
	static struct job reads;
	reads = (struct job){ .items = nspaces + 1, .work = show_one };
	run_job(&reads, parallel ? threads_for(nspaces + 1, BUSY) : 1);
}

static void unmount_one(size_t i) {
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", NETNS_DIR, spaces[i].name);
	if (umount2(path, MNT_DETACH) || unlink(path)) die("remove %s: %s", path, strerror(errno));
}

static int lab_link_seen; /* by the last dump of the host's links */

static void note_lab_link(struct nlmsghdr *h) {
	struct rtattr *a = IFLA_RTA(NLMSG_DATA(h));
	long left = (long)IFLA_PAYLOAD(h);
	lab_link_seen |= !!(h->nlmsg_flags & NLM_F_DUMP_INTR); /* an inconsistent dump: look again */
	for (; RTA_OK(a, left); a = RTA_NEXT(a, left))
		if (a->rta_type == IFLA_IFNAME && hsearch((ENTRY){ .key = RTA_DATA(a) }, FIND)) lab_link_seen = 1;
}

/* Each namespace unbound (its links die with it), the bridges deleted, then wait until the
 * host holds no link of the lab: destroyed means gone. */
static void destroy(void) {
	static struct job unmounts;
	unmounts = (struct job){ .items = nspaces, .work = unmount_one };
	run_job(&unmounts, parallel ? threads_for(nspaces, WAITING) : 1);
	hdestroy(); /* from now on the table holds the names of the lab's links in the host */
	if (!hcreate(2 * nitems + 16)) die("hcreate: %s", strerror(errno));
	for (struct item *it = items; it < items + nitems; it++) {
		char *name = !strcmp(it->kind, "bridge") ? it->a : strcmp(it->kind, "veth") ? NULL
			     : !strcmp(it->a, host.name) ? it->b : !strcmp(it->c, host.name) ? it->d : NULL;
		if (name && !hsearch((ENTRY){ .key = name }, ENTER)) die("hsearch: %s", strerror(errno));
		if (strcmp(it->kind, "bridge")) continue;
		struct req r;
		start(&r, RTM_DELLINK, NLM_F_ACK, sizeof(struct ifinfomsg));
		attr(&r, IFLA_IFNAME, it->a, strlen(it->a) + 1);
		talk(host.sock, &r, "RTM_DELLINK bridge", NULL);
	}
	struct timespec pause = { 0, 2000000 }; /* 2 ms, at most 5000 times: 10 s */
	for (int polls = 0; ; polls++) {
		lab_link_seen = 0;
		dump(host.sock, RTM_GETLINK, AF_UNSPEC, note_lab_link);
		if (!lab_link_seen) return;
		if (polls == 5000) die("links of the lab still in the host after 10 s");
		nanosleep(&pause, NULL);
	}
}

static void read_spec(const char *path) {
	const char *kinds = " ns:2 bridge:3 veth:6 addr:4 route:4 ";
	char line[512], kind[32];
	FILE *f = fopen(path, "r");
	if (!f) die("%s: %s", path, strerror(errno));
	for (int number = 1; fgets(line, sizeof line, f); number++) {
		struct item it = { 0 };
		int fields = sscanf(line, "%7s %63s %63s %63s %63s %63s", it.kind, it.a, it.b, it.c, it.d, it.e);
		if (fields <= 0 || it.kind[0] == '#') continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(kind, sizeof kind, " %s:%d ", it.kind, fields);
		if (!strstr(kinds, kind)) die("%s:%d: not an item: %s", path, number, line);
		if (nitems == nitems_max && !(items = realloc(items, (nitems_max = 2 * nitems + 64) * sizeof *items)))
			die("out of memory");
		items[nitems++] = it;
	}
	fclose(f);
	spaces = calloc(nitems + 1, sizeof *spaces);
	if (!spaces || !hcreate(2 * nitems + 16)) die("out of memory");
	for (struct item *it = items; it < items + nitems; it++) {
		if (strcmp(it->kind, "ns")) continue;
		struct ns *space = &spaces[nspaces++];
		*space = (struct ns){ .sock = -1, .fd = -1, .ready = 0 };
		snprintf(space->name, sizeof space->name, "%s", it->a);
		if (!hsearch((ENTRY){ .key = space->name, .data = space }, ENTER)) die("hsearch: %s", strerror(errno));
	}
}

int main(int argc, char **argv) {
	parallel = argc == 4 && !strcmp(argv[1], "--parallel");
	argv += parallel, argc -= parallel;
	const char *command = argc == 3 ? argv[1] : "";
	if (strcmp(command, "build") && strcmp(command, "show") && strcmp(command, "destroy")) {
		fprintf(stderr, "usage: netlink_floor [--parallel] build|show|destroy SPEC\n");
		return 2;
	}
	read_spec(argv[2]);
	home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0) die("open /proc/self/ns/net: %s", strerror(errno));
	host.sock = nl_socket();
	if (!strcmp(command, "build")) build();
	else if (!strcmp(command, "show")) show();
	else destroy();
	return 0;
}
