/*
 * LD_PRELOAD library that lets auditctl be run against the real kernel without
 * changing the kernel's audit settings.
 *
 * auditctl (through libaudit) talks to the kernel over a NETLINK_AUDIT socket:
 * one sendto() per request with NLM_F_REQUEST|NLM_F_ACK set, then poll() and
 * recvfrom(MSG_PEEK) to look at the NLMSG_ERROR acknowledgement, then a second
 * recvfrom() to consume it. Read-only requests and rule add/delete are passed
 * through, so the kernel's own rule checks take part in the verdict. Every other
 * request type (AUDIT_SET for -e -f -b -r --backlog_wait_time --reset-lost,
 * AUDIT_SET_FEATURE for --loginuid-immutable, user messages for -m,
 * AUDIT_MAKE_EQUIV, AUDIT_TRIM, AUDIT_TTY_SET, anything unknown) is answered
 * here with a success acknowledgement and never reaches the kernel. kill() (used
 * by --signal) is answered with success and no signal is sent.
 *
 * Environment:
 *   AUDITCTL_SHIM_LOG     file that receives one line per request seen
 *                         ("pass AUDIT_ADD_RULE" / "fake AUDIT_SET ...").
 *   AUDITCTL_SHIM_SYSLOG  file that receives what auditctl sends to syslog
 *                         (auditctl -R routes most of its messages there);
 *                         without it, syslog calls go to the real syslog.
 *
 * Build: gcc -shared -fPIC -O2 -Wall -Wextra -Werror -o auditctl-shim.so auditctl-shim.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <syslog.h>
#include <unistd.h>

#define PENDING_CAPACITY 64
#define ACK_LENGTH NLMSG_LENGTH(sizeof(struct nlmsgerr))
#define REQUEST_COPY_LIMIT 65536

struct pending_ack {
  int fd;
  unsigned char bytes[NLMSG_SPACE(sizeof(struct nlmsgerr))];
};

static struct pending_ack pending[PENDING_CAPACITY];
static int pending_count;

static ssize_t (*real_sendto)(int, const void *, size_t, int, const struct sockaddr *,
                              socklen_t);
static ssize_t (*real_sendmsg)(int, const struct msghdr *, int);
static ssize_t (*real_send)(int, const void *, size_t, int);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_recvfrom)(int, void *, size_t, int, struct sockaddr *, socklen_t *);
static ssize_t (*real_recvmsg)(int, struct msghdr *, int);
static ssize_t (*real_recv)(int, void *, size_t, int);
static ssize_t (*real_read)(int, void *, size_t);
static int (*real_poll)(struct pollfd *, nfds_t, int);
static int (*real_ppoll)(struct pollfd *, nfds_t, const struct timespec *,
                         const sigset_t *);
static int (*real_select)(int, fd_set *, fd_set *, fd_set *, struct timeval *);
static int (*real_close)(int);
static void (*real_vsyslog)(int, const char *, va_list);

/* Resolved on first use: libc may call an intercepted function before any
 * constructor of this library has run. */
static void *resolved(void **slot, const char *name) {
  if (*slot == NULL) *slot = dlsym(RTLD_NEXT, name);
  return *slot;
}

#define REAL(name) ((__typeof__(real_##name))resolved((void **)&real_##name, #name))

/* Appends one line to the file named by an environment variable, if it is set. */
static void append_to(const char *variable, const char *text) {
  const char *path = getenv(variable);
  if (path == NULL || *path == '\0' || REAL(write) == NULL || REAL(close) == NULL) return;

  int saved_errno = errno;
  int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0) {
    REAL(write)(fd, text, strlen(text));
    REAL(close)(fd);
  }
  errno = saved_errno;
}

static const char *request_name(unsigned type) {
  switch (type) {
  case AUDIT_GET: return "AUDIT_GET";
  case AUDIT_SET: return "AUDIT_SET";
  case AUDIT_USER: return "AUDIT_USER";
  case AUDIT_LOGIN: return "AUDIT_LOGIN";
  case AUDIT_SIGNAL_INFO: return "AUDIT_SIGNAL_INFO";
  case AUDIT_ADD_RULE: return "AUDIT_ADD_RULE";
  case AUDIT_DEL_RULE: return "AUDIT_DEL_RULE";
  case AUDIT_LIST_RULES: return "AUDIT_LIST_RULES";
  case AUDIT_TRIM: return "AUDIT_TRIM";
  case AUDIT_MAKE_EQUIV: return "AUDIT_MAKE_EQUIV";
  case AUDIT_TTY_GET: return "AUDIT_TTY_GET";
  case AUDIT_TTY_SET: return "AUDIT_TTY_SET";
  case AUDIT_SET_FEATURE: return "AUDIT_SET_FEATURE";
  case AUDIT_GET_FEATURE: return "AUDIT_GET_FEATURE";
  }
  if (type >= AUDIT_FIRST_USER_MSG && type <= AUDIT_LAST_USER_MSG) return "user message";
  if (type >= AUDIT_FIRST_USER_MSG2 && type <= AUDIT_LAST_USER_MSG2) return "user message";
  return "unknown request";
}

/* The only requests the kernel may see: they read state or add/delete one rule. */
static int reaches_kernel(unsigned type) {
  return type == AUDIT_GET || type == AUDIT_LIST_RULES || type == AUDIT_GET_FEATURE ||
         type == AUDIT_ADD_RULE || type == AUDIT_DEL_RULE;
}

static int is_audit_socket(int fd) {
  int saved_errno = errno;
  int domain = 0;
  int protocol = 0;
  socklen_t size = sizeof(domain);
  int is_audit = getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &size) == 0 &&
                 domain == AF_NETLINK;
  size = sizeof(protocol);
  is_audit = is_audit &&
             getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &protocol, &size) == 0 &&
             protocol == NETLINK_AUDIT;
  errno = saved_errno;
  return is_audit;
}

static struct pending_ack *first_pending(int fd) {
  for (int i = 0; i < pending_count; i++) {
    if (pending[i].fd == fd) return &pending[i];
  }
  return NULL;
}

static void drop_pending(struct pending_ack *ack) {
  int index = (int)(ack - pending);
  memmove(&pending[index], &pending[index + 1],
          (size_t)(pending_count - index - 1) * sizeof(pending[0]));
  pending_count--;
}

static void drop_all_pending(int fd) {
  struct pending_ack *ack;
  while ((ack = first_pending(fd)) != NULL) drop_pending(ack);
}

/* The acknowledgement the kernel's netlink_ack() builds for a successful request:
 * NLMSG_ERROR, error 0, the request header echoed, NLM_F_CAPPED set. */
static void queue_success_ack(int fd, const struct nlmsghdr *request) {
  if (pending_count == PENDING_CAPACITY) return;

  struct pending_ack *ack = &pending[pending_count++];
  memset(ack, 0, sizeof(*ack));
  ack->fd = fd;

  struct sockaddr_nl local;
  socklen_t local_size = sizeof(local);
  memset(&local, 0, sizeof(local));
  int saved_errno = errno;
  getsockname(fd, (struct sockaddr *)&local, &local_size);
  errno = saved_errno;

  struct nlmsghdr *header = (struct nlmsghdr *)ack->bytes;
  header->nlmsg_len = ACK_LENGTH;
  header->nlmsg_type = NLMSG_ERROR;
  header->nlmsg_flags = NLM_F_CAPPED;
  header->nlmsg_seq = request->nlmsg_seq;
  header->nlmsg_pid = local.nl_pid;

  struct nlmsgerr *error = NLMSG_DATA(header);
  error->error = 0;
  error->msg = *request;
}

/*
 * Looks at the netlink messages of one outgoing buffer. Returns 1 when the buffer
 * was answered here (a success ack is queued for every message that asked for one),
 * 0 when it may go to the kernel. A buffer mixing allowed and forbidden requests is
 * answered here as a whole, so nothing forbidden can slip through in a batch.
 */
static int answer_locally(int fd, const void *buffer, size_t length) {
  const struct nlmsghdr *header;
  int remaining = (int)length;
  int forbidden = 0;
  char line[160];

  for (header = buffer; NLMSG_OK(header, remaining); header = NLMSG_NEXT(header, remaining)) {
    if (!reaches_kernel(header->nlmsg_type)) forbidden = 1;
  }
  if (remaining > 0) forbidden = 1;

  remaining = (int)length;
  for (header = buffer; NLMSG_OK(header, remaining); header = NLMSG_NEXT(header, remaining)) {
    snprintf(line, sizeof(line), "%s %s %u seq=%u\n", forbidden ? "fake" : "pass",
             request_name(header->nlmsg_type), header->nlmsg_type, header->nlmsg_seq);
    append_to("AUDITCTL_SHIM_LOG", line);
    if (forbidden && (header->nlmsg_flags & NLM_F_ACK)) queue_success_ack(fd, header);
  }
  return forbidden;
}

ssize_t sendto(int fd, const void *buffer, size_t length, int flags,
               const struct sockaddr *address, socklen_t address_size) {
  if (is_audit_socket(fd) && answer_locally(fd, buffer, length)) return (ssize_t)length;
  return REAL(sendto)(fd, buffer, length, flags, address, address_size);
}

ssize_t send(int fd, const void *buffer, size_t length, int flags) {
  if (is_audit_socket(fd) && answer_locally(fd, buffer, length)) return (ssize_t)length;
  return REAL(send)(fd, buffer, length, flags);
}

ssize_t write(int fd, const void *buffer, size_t length) {
  if (is_audit_socket(fd) && answer_locally(fd, buffer, length)) return (ssize_t)length;
  return REAL(write)(fd, buffer, length);
}

ssize_t sendmsg(int fd, const struct msghdr *message, int flags) {
  if (!is_audit_socket(fd)) return REAL(sendmsg)(fd, message, flags);

  static unsigned char joined[REQUEST_COPY_LIMIT];
  size_t length = 0;
  for (size_t i = 0; i < message->msg_iovlen; i++) {
    size_t part = message->msg_iov[i].iov_len;
    if (length + part > sizeof(joined)) part = sizeof(joined) - length;
    memcpy(joined + length, message->msg_iov[i].iov_base, part);
    length += part;
  }
  if (answer_locally(fd, joined, length)) return (ssize_t)length;
  return REAL(sendmsg)(fd, message, flags);
}

/* Hands out a queued ack the way the kernel would: from pid 0, honouring MSG_PEEK. */
static ssize_t deliver_ack(struct pending_ack *ack, void *buffer, size_t length, int flags,
                           struct sockaddr *address, socklen_t *address_size) {
  size_t copied = length < ACK_LENGTH ? length : ACK_LENGTH;
  memcpy(buffer, ack->bytes, copied);

  if (address != NULL && address_size != NULL) {
    struct sockaddr_nl kernel;
    memset(&kernel, 0, sizeof(kernel));
    kernel.nl_family = AF_NETLINK;
    size_t room = *address_size < sizeof(kernel) ? *address_size : sizeof(kernel);
    memcpy(address, &kernel, room);
    *address_size = sizeof(kernel);
  }
  if (!(flags & MSG_PEEK)) drop_pending(ack);
  return (flags & MSG_TRUNC) ? (ssize_t)ACK_LENGTH : (ssize_t)copied;
}

ssize_t recvfrom(int fd, void *buffer, size_t length, int flags, struct sockaddr *address,
                 socklen_t *address_size) {
  struct pending_ack *ack = first_pending(fd);
  if (ack != NULL) return deliver_ack(ack, buffer, length, flags, address, address_size);
  return REAL(recvfrom)(fd, buffer, length, flags, address, address_size);
}

ssize_t recv(int fd, void *buffer, size_t length, int flags) {
  struct pending_ack *ack = first_pending(fd);
  if (ack != NULL) return deliver_ack(ack, buffer, length, flags, NULL, NULL);
  return REAL(recv)(fd, buffer, length, flags);
}

ssize_t read(int fd, void *buffer, size_t length) {
  struct pending_ack *ack = first_pending(fd);
  if (ack != NULL) return deliver_ack(ack, buffer, length, 0, NULL, NULL);
  return REAL(read)(fd, buffer, length);
}

ssize_t recvmsg(int fd, struct msghdr *message, int flags) {
  struct pending_ack *ack = first_pending(fd);
  if (ack == NULL || message->msg_iovlen == 0) return REAL(recvmsg)(fd, message, flags);

  socklen_t address_size = message->msg_namelen;
  ssize_t result = deliver_ack(ack, message->msg_iov[0].iov_base, message->msg_iov[0].iov_len,
                               flags, message->msg_name, &address_size);
  message->msg_namelen = address_size;
  message->msg_controllen = 0;
  message->msg_flags = 0;
  return result;
}

/* A queued ack makes its socket readable at once, as the kernel's ack would. */
static int mark_readable(struct pollfd *fds, nfds_t count) {
  int ready = 0;
  for (nfds_t i = 0; i < count; i++) {
    if (first_pending(fds[i].fd) != NULL && (fds[i].events & POLLIN)) {
      fds[i].revents |= POLLIN;
    }
    if (fds[i].revents) ready++;
  }
  return ready;
}

static int any_pending(struct pollfd *fds, nfds_t count) {
  for (nfds_t i = 0; i < count; i++) {
    if (first_pending(fds[i].fd) != NULL) return 1;
  }
  return 0;
}

int poll(struct pollfd *fds, nfds_t count, int timeout) {
  if (!any_pending(fds, count)) return REAL(poll)(fds, count, timeout);

  int result = REAL(poll)(fds, count, 0);
  if (result < 0) return result;
  return mark_readable(fds, count);
}

int ppoll(struct pollfd *fds, nfds_t count, const struct timespec *timeout,
          const sigset_t *mask) {
  if (!any_pending(fds, count)) return REAL(ppoll)(fds, count, timeout, mask);

  int result = REAL(poll)(fds, count, 0);
  if (result < 0) return result;
  return mark_readable(fds, count);
}

int select(int limit, fd_set *readable, fd_set *writable, fd_set *failed,
           struct timeval *timeout) {
  int pending_readable = 0;
  for (int fd = 0; readable != NULL && fd < limit && fd < FD_SETSIZE; fd++) {
    if (FD_ISSET(fd, readable) && first_pending(fd) != NULL) pending_readable = 1;
  }
  if (!pending_readable) return REAL(select)(limit, readable, writable, failed, timeout);

  fd_set wanted = *readable;
  struct timeval now = {0, 0};
  int result = REAL(select)(limit, readable, writable, failed, &now);
  if (result < 0) return result;

  for (int fd = 0; fd < limit && fd < FD_SETSIZE; fd++) {
    if (FD_ISSET(fd, &wanted) && first_pending(fd) != NULL && !FD_ISSET(fd, readable)) {
      FD_SET(fd, readable);
      result++;
    }
  }
  return result;
}

int close(int fd) {
  drop_all_pending(fd);
  return REAL(close)(fd);
}

/* --signal looks up auditd's pid and signals it; no signal leaves this process. */
int kill(pid_t pid, int signal_number) {
  char line[96];
  snprintf(line, sizeof(line), "fake kill pid=%d signal=%d\n", (int)pid, signal_number);
  append_to("AUDITCTL_SHIM_LOG", line);
  return 0;
}

static const char *priority_name(int priority) {
  switch (LOG_PRI(priority)) {
  case LOG_EMERG: return "emerg";
  case LOG_ALERT: return "alert";
  case LOG_CRIT: return "crit";
  case LOG_ERR: return "err";
  case LOG_WARNING: return "warning";
  case LOG_NOTICE: return "notice";
  case LOG_INFO: return "info";
  default: return "debug";
  }
}

/* auditctl -R switches libaudit to syslog mode; those messages are kept in a file. */
static void capture_syslog(int priority, const char *format, va_list arguments) {
  if (getenv("AUDITCTL_SHIM_SYSLOG") == NULL) {
    if (REAL(vsyslog) != NULL) real_vsyslog(priority, format, arguments);
    return;
  }

  char text[8192];
  int offset = snprintf(text, sizeof(text), "%s: ", priority_name(priority));
  vsnprintf(text + offset, sizeof(text) - (size_t)offset - 1, format, arguments);
  size_t end = strlen(text);
  text[end] = '\n';
  text[end + 1] = '\0';
  append_to("AUDITCTL_SHIM_SYSLOG", text);
}

void vsyslog(int priority, const char *format, va_list arguments) {
  capture_syslog(priority, format, arguments);
}

void syslog(int priority, const char *format, ...) {
  va_list arguments;
  va_start(arguments, format);
  capture_syslog(priority, format, arguments);
  va_end(arguments);
}

void __vsyslog_chk(int priority, int flag, const char *format, va_list arguments) {
  (void)flag;
  capture_syslog(priority, format, arguments);
}

void __syslog_chk(int priority, int flag, const char *format, ...) {
  (void)flag;
  va_list arguments;
  va_start(arguments, format);
  capture_syslog(priority, format, arguments);
  va_end(arguments);
}
