// http checks: one GET over plain TCP (HTTP/1.0, so the server closes when it is done), its
// status line and body compared with what the check expects.
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include <fmt/format.h>

#include "checks/connect.h"
#include "checks/probes.h"

namespace nstopo::checks {
namespace {

constexpr size_t kMaxResponse = 1 << 20;  // what is read of an answer; the rest is left
constexpr size_t kBodyExcerpt = 200;

std::string printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, kBodyExcerpt))
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : (static_cast<unsigned char>(c) < ' ' ? '?' : c);
  if (text.size() > kBodyExcerpt) out += "...";
  return out;
}

// Reads until the server closes, the deadline or the cap. False with `error` set on a failure.
bool read_response(int fd, Clock::time_point deadline, std::string& response, std::string& error) {
  char buffer[16384];
  while (response.size() < kMaxResponse) {
    pollfd waiting{.fd = fd, .events = POLLIN, .revents = 0};
    int ready = ::poll(&waiting, 1, poll_timeout(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) {
      error = fmt::format("the answer did not end in time ({} bytes so far)", response.size());
      return false;
    }
    ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (got < 0) {
      error = "receive: " + errno_text(errno);
      return false;
    }
    if (got == 0) return true;
    response.append(buffer, static_cast<size_t>(got));
  }
  return true;
}

bool send_all(int fd, std::string_view data, std::string& error) {
  while (!data.empty()) {
    ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0 && errno == EAGAIN) {
      pollfd waiting{.fd = fd, .events = POLLOUT, .revents = 0};
      ::poll(&waiting, 1, 1000);
      continue;
    }
    if (sent < 0) {
      error = "send: " + errno_text(errno);
      return false;
    }
    data.remove_prefix(static_cast<size_t>(sent));
  }
  return true;
}

}  // namespace

ProbeOutcome http(const model::HttpCheck& check, const ProbeContext& context) {
  ProbeOutcome outcome;
  auto deadline = Clock::now() + context.timeout;
  auto socket = connect_from(context.netns_dir, check.from, check.host, check.port, deadline, outcome);
  if (!socket) return outcome;
  // A url naming a node sends its name, as a client resolving it would.
  std::string host = check.host_name ? fmt::format("{}:{}", *check.host_name, check.port)
                     : check.host.family == model::Family::inet
                         ? fmt::format("{}:{}", check.host, check.port)
                         : fmt::format("[{}]:{}", check.host, check.port);
  std::string request = fmt::format(
      "GET {} HTTP/1.0\r\nHost: {}\r\nUser-Agent: nstopo-check\r\nAccept: */*\r\n\r\n", check.path,
      host);
  outcome.evidence.push_back(fmt::format("sent: GET {} HTTP/1.0 (Host: {})", check.path, host));
  std::string error, response;
  if (!send_all(socket.get(), request, error) ||
      !read_response(socket.get(), deadline, response, error)) {
    outcome.summary = error;
    outcome.evidence.push_back(error);
    return outcome;
  }
  auto line_end = response.find("\r\n");
  std::string status_line = response.substr(0, line_end == std::string::npos ? response.find('\n') : line_end);
  // "HTTP/1.1 200 OK"
  int status = 0;
  if (status_line.starts_with("HTTP/") && status_line.size() >= 12 && status_line[8] == ' ') {
    for (char c : status_line.substr(9, 3))
      status = (c >= '0' && c <= '9' && status >= 0) ? status * 10 + (c - '0') : -1;
  }
  if (status <= 0) {
    outcome.summary = fmt::format("the answer is not HTTP: '{}'", printable(response));
    outcome.evidence.push_back(outcome.summary);
    return outcome;
  }
  auto body_at = response.find("\r\n\r\n");
  std::string_view body = body_at == std::string::npos ? std::string_view()
                                                       : std::string_view(response).substr(body_at + 4);
  outcome.evidence.push_back(fmt::format("got: {} ({} bytes of body)", printable(status_line), body.size()));
  if (status != check.status) {
    outcome.summary = fmt::format("status {} where {} was expected ('{}')", status, check.status,
                                  printable(status_line));
    outcome.evidence.push_back(fmt::format("body begins: {}", printable(body)));
    return outcome;
  }
  if (check.contains && body.find(*check.contains) == std::string_view::npos) {
    outcome.summary = fmt::format("status {}, but the body does not contain '{}'", status, *check.contains);
    outcome.evidence.push_back(fmt::format("body begins: {}", printable(body)));
    return outcome;
  }
  outcome.succeeded = true;
  outcome.summary = check.contains ? fmt::format("status {}, body contains '{}'", status, *check.contains)
                                   : fmt::format("status {}", status);
  return outcome;
}

}  // namespace nstopo::checks
