#pragma once
// One rtnetlink socket, bound to the network namespace the calling thread was in when it was
// opened (a socket stays in its namespace for life). Extended acks are on, so a refusal
// carries the kernel's own sentence ("Nexthop has invalid gateway"), read in libnl's error
// callback the way iproute2's lib/libnetlink.c reads it.
//
// This header names libnl types only as incomplete types: callers outside src/kernel (tests)
// need not see libnl's headers.
#include <linux/netlink.h>

#include <expected>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "model/error.h"

struct nl_sock;
struct nl_msg;
struct nlmsgerr;
struct sockaddr_nl;

namespace nstopo::kernel {

// Why a request did not succeed: the kernel's refusal (errno and its extended-ack text), or
// a local failure (libnl, the socket) described in `text`.
struct Refusal {
  int error_number = 0;  // errno; 0 when there is none
  std::string text;      // NLMSGERR_ATTR_MSG; else libnl's or strerror's description
};

template <typename T>
using NetlinkResult = std::expected<T, Refusal>;

// The Error for a refused action: `message` ("failed to add address ... to ns:dev") with the
// refusal's errno and text. EPERM is ErrorKind::permission, the rest kernel.
Error refusal_error(const Refusal& refusal, std::string message, std::string object);

class NetlinkSocket {
 public:
  // Called for every message a request or dump answers with.
  using MessageHandler = std::function<void(const nlmsghdr&)>;

  // Opens a NETLINK_ROUTE socket in the calling thread's current network namespace.
  // `label` names the namespace in error messages.
  static Result<std::unique_ptr<NetlinkSocket>> open(std::string_view label);
  ~NetlinkSocket();
  NetlinkSocket(const NetlinkSocket&) = delete;
  NetlinkSocket& operator=(const NetlinkSocket&) = delete;

  // Sends `message` (a built request; completed with sequence number and NLM_F_ACK here) and
  // waits for its acknowledgement. Replies before the ack (a RTM_GETLINK's answer) go to
  // `on_reply`.
  NetlinkResult<void> request(nl_msg* message, const MessageHandler& on_reply = {});

  // Sends a NLM_F_DUMP request and hands every answer to `on_message`. A dump the kernel
  // marks NLM_F_DUMP_INTR (the state changed under it) is read to its end, `on_restart` is
  // called to drop what was collected, and it is asked again, up to `attempts` times in all.
  NetlinkResult<void> dump(nl_msg* message, const std::function<void()>& on_restart,
                           const MessageHandler& on_message, int attempts = 5);

  const std::string& label() const { return label_; }

  // The netns cookie of the namespace the socket lives in (SO_NETNS_COOKIE): 64 bits, unique
  // for as long as the machine runs. 0 when the kernel cannot say (before 5.14).
  uint64_t netns_cookie() const;

  // A new descriptor of the namespace the socket lives in (SIOCGSKNS, Linux 4.9): always the
  // socket's own namespace, whatever has happened to its name since. -1 and errno on failure.
  int open_namespace_fd() const;

 private:
  explicit NetlinkSocket(std::string label);
  static int on_valid(nl_msg* message, void* self);
  static int on_ack(nl_msg* message, void* self);
  static int on_error(sockaddr_nl* peer, nlmsgerr* error, void* self);
  void begin(const MessageHandler* handler);
  NetlinkResult<void> receive_until_done();

  struct SocketRelease {
    void operator()(nl_sock* socket) const;  // nl_objects.h's releaser, kept out of this header
  };
  std::string label_;
  std::unique_ptr<nl_sock, SocketRelease> socket_;
  // The exchange in flight, as the callbacks see it.
  const MessageHandler* handler_ = nullptr;
  bool acked_ = false;
  bool refused_ = false;
  Refusal refusal_;
};

}  // namespace nstopo::kernel
