#include "kernel/rtnl/netlink_socket.h"

#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <netlink/errno.h>

#include <cerrno>
#include <cstring>

#include "kernel/rtnl/nl_objects.h"

namespace nstopo::kernel {

namespace {

// The largest datagram the kernel sends to a reader: a dump's skb is at most 32 KiB
// (netlink_dump caps it at the reader's buffer, itself capped at 32 KiB). A buffer that size
// lets libnl read each datagram with one recvmsg instead of peeking first.
constexpr size_t kReceiveBuffer = 32768;

// NETLINK_EXT_ACK and NETLINK_CAP_ACK as iproute2 sets them: the kernel's message in every
// error, without a copy of our request. Kernels before 4.12 lack them; that only costs text.
void enable_extended_acks(int fd) {
  int one = 1;
  ::setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
  ::setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
}

// The NLMSGERR_ATTR_MSG of an error message, when the kernel attached one. libnl hands the
// callback the nlmsgerr inside the received message, so its header sits just before it.
std::string extended_ack_text(const nlmsgerr& error) {
  const auto* header =
      reinterpret_cast<const nlmsghdr*>(reinterpret_cast<const char*>(&error) - NLMSG_HDRLEN);
  if ((header->nlmsg_flags & NLM_F_ACK_TLVS) == 0) return {};
  size_t offset = sizeof(nlmsgerr);
  if ((header->nlmsg_flags & NLM_F_CAPPED) == 0) offset += error.msg.nlmsg_len - NLMSG_HDRLEN;
  offset = NLMSG_ALIGN(offset);
  size_t payload = header->nlmsg_len - NLMSG_HDRLEN;
  if (header->nlmsg_len < NLMSG_HDRLEN || offset >= payload) return {};
  auto* attributes =
      reinterpret_cast<nlattr*>(const_cast<char*>(reinterpret_cast<const char*>(&error) + offset));
  nlattr* found[NLMSGERR_ATTR_MAX + 1] = {};
  if (nla_parse(found, NLMSGERR_ATTR_MAX, attributes, static_cast<int>(payload - offset), nullptr) <
      0)
    return {};
  const nlattr* text = found[NLMSGERR_ATTR_MSG];
  if (text == nullptr) return {};
  const char* data = static_cast<const char*>(nla_data(text));
  return std::string(data, ::strnlen(data, static_cast<size_t>(nla_len(text))));
}

Refusal local_failure(int libnl_error, int error_number) {
  if (error_number != 0) return Refusal{error_number, std::strerror(error_number)};
  return Refusal{0, nl_geterror(libnl_error)};
}

}  // namespace

Error refusal_error(const Refusal& refusal, std::string message, std::string object) {
  int e = refusal.error_number;
  // Netlink says EPERM for a missing capability. EACCES is a policy refusal by the object
  // itself ("IPv6 is disabled on this device"): a kernel refusal, not a privilege problem.
  ErrorKind kind = e == EPERM ? ErrorKind::permission : ErrorKind::kernel;
  std::string text = refusal.text.empty() && e != 0 ? std::strerror(e) : refusal.text;
  return Error{kind, std::move(message), std::move(object), e, std::move(text)};
}

void NetlinkSocket::SocketRelease::operator()(nl_sock* socket) const {
  nl::SocketPtr owned(socket);
}

NetlinkSocket::NetlinkSocket(std::string label) : label_(std::move(label)) {}

NetlinkSocket::~NetlinkSocket() = default;

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71  // linux/asm-generic/socket.h, Linux 5.14
#endif

uint64_t NetlinkSocket::netns_cookie() const {
  uint64_t cookie = 0;
  socklen_t size = sizeof cookie;
  if (::getsockopt(nl_socket_get_fd(socket_.get()), SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &size) != 0)
    return 0;
  return cookie;
}

int NetlinkSocket::open_namespace_fd() const {
  return ::ioctl(nl_socket_get_fd(socket_.get()), SIOCGSKNS);  // opened O_CLOEXEC
}

Result<std::unique_ptr<NetlinkSocket>> NetlinkSocket::open(std::string_view label) {
  std::unique_ptr<NetlinkSocket> self(new NetlinkSocket(std::string(label)));
  auto failed = [&](int libnl_error, int error_number) {
    Refusal why = local_failure(libnl_error, error_number);
    return std::unexpected(refusal_error(
        why, fmt::format("cannot open a netlink socket in namespace {}", label), self->label_));
  };
  nl::CallbacksPtr callbacks(nl_cb_alloc(NL_CB_DEFAULT));
  if (!callbacks) return failed(-NLE_NOMEM, ENOMEM);
  nl_cb_set(callbacks.get(), NL_CB_VALID, NL_CB_CUSTOM, &NetlinkSocket::on_valid, self.get());
  nl_cb_set(callbacks.get(), NL_CB_ACK, NL_CB_CUSTOM, &NetlinkSocket::on_ack, self.get());
  nl_cb_err(callbacks.get(), NL_CB_CUSTOM, &NetlinkSocket::on_error, self.get());
  self->socket_.reset(nl_socket_alloc_cb(callbacks.get()));  // takes its own reference
  if (!self->socket_) return failed(-NLE_NOMEM, ENOMEM);
  errno = 0;
  if (int err = nl_connect(self->socket_.get(), NETLINK_ROUTE); err < 0) return failed(err, errno);
  if (int err = nl_socket_set_msg_buf_size(self->socket_.get(), kReceiveBuffer); err < 0)
    return failed(err, 0);
  enable_extended_acks(nl_socket_get_fd(self->socket_.get()));
  return self;
}

int NetlinkSocket::on_valid(nl_msg* message, void* self) {
  auto* socket = static_cast<NetlinkSocket*>(self);
  if (socket->handler_ != nullptr && *socket->handler_) (*socket->handler_)(*nlmsg_hdr(message));
  return NL_OK;
}

int NetlinkSocket::on_ack(nl_msg*, void* self) {
  static_cast<NetlinkSocket*>(self)->acked_ = true;
  return NL_STOP;
}

int NetlinkSocket::on_error(sockaddr_nl*, nlmsgerr* error, void* self) {
  auto* socket = static_cast<NetlinkSocket*>(self);
  socket->refused_ = true;
  socket->refusal_ = Refusal{-error->error, extended_ack_text(*error)};
  // A negative return ends the receive loop whatever the libnl version makes of NL_STOP;
  // the refusal recorded above is what the caller reads.
  return error->error < 0 ? error->error : -NLE_FAILURE;
}

void NetlinkSocket::begin(const MessageHandler* handler) {
  handler_ = handler;
  acked_ = false;
  refused_ = false;
  refusal_ = {};
}

NetlinkResult<void> NetlinkSocket::request(nl_msg* message, const MessageHandler& on_reply) {
  begin(&on_reply);
  errno = 0;
  if (int sent = nl_send_auto(socket_.get(), message); sent < 0) {
    handler_ = nullptr;
    return std::unexpected(local_failure(sent, errno));
  }
  // A request that is answered (RTM_GETLINK) gets its answer and then the ack, in separate
  // datagrams: read until one of the two callbacks says the exchange is over.
  int received = 0;
  while (!acked_ && !refused_) {
    errno = 0;
    received = nl_recvmsgs_default(socket_.get());
    if (received < 0) break;
  }
  handler_ = nullptr;
  if (refused_) return std::unexpected(refusal_);
  if (received < 0) return std::unexpected(local_failure(received, errno));
  return {};
}

NetlinkResult<void> NetlinkSocket::dump(nl_msg* message, const std::function<void()>& on_restart,
                                        const MessageHandler& on_message, int attempts) {
  nlmsghdr* header = nlmsg_hdr(message);
  for (int attempt = 1;; ++attempt) {
    begin(&on_message);
    // A dump ends with NLMSG_DONE; it is never acked, so do not ask for one.
    header->nlmsg_seq = NL_AUTO_SEQ;
    nl_complete_msg(socket_.get(), message);
    header->nlmsg_flags &= ~static_cast<uint16_t>(NLM_F_ACK);
    errno = 0;
    if (int sent = nl_send(socket_.get(), message); sent < 0) {
      handler_ = nullptr;
      return std::unexpected(local_failure(sent, errno));
    }
    errno = 0;
    int received = nl_recvmsgs_default(socket_.get());
    handler_ = nullptr;
    if (refused_) return std::unexpected(refusal_);
    if (received == -NLE_DUMP_INTR && attempt < attempts) {
      on_restart();
      continue;
    }
    if (received == -NLE_DUMP_INTR)
      return std::unexpected(Refusal{
          EINTR, fmt::format("the dump was interrupted by changes {} times in a row", attempts)});
    if (received < 0) return std::unexpected(local_failure(received, errno));
    return {};
  }
}

}  // namespace nstopo::kernel
