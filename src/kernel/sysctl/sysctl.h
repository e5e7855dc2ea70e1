#pragma once
// Network sysctls of the calling thread's current network namespace, through /proc/sys/net
// (procfs resolves net/ entries against the namespace of the thread that opens them: the
// caller enters the namespace first).
#include <optional>
#include <string>
#include <string_view>

#include "model/error.h"

namespace nstopo::kernel {

// "net.ipv4.ip_forward" -> "/proc/sys/net/ipv4/ip_forward". As sysctl(8) does, dots and
// slashes swap, so an interface name with a dot is written "net.ipv4.conf.eth0/100.forwarding";
// a key already in path form ("net/ipv4/ip_forward") is taken as it is.
// nullopt for a key outside net. or one that would leave it ("..", empty parts).
std::optional<std::string> sysctl_path(std::string_view key);

// The value without its trailing newline; nullopt when the key does not exist (yet): a per-
// interface key before its interface is made.
Result<std::optional<std::string>> read_sysctl(std::string_view key, std::string_view ns);

Result<void> write_sysctl(std::string_view key, std::string_view value, std::string_view ns);

}  // namespace nstopo::kernel
