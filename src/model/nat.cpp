#include "model/nat.h"

#include <fmt/format.h>

namespace nstopo::model {

std::string_view to_string(PortProtocol protocol) {
  return protocol == PortProtocol::tcp ? "tcp" : "udp";
}

std::string PortForward::to_string() const {
  std::string target = to.family == Family::inet6 ? fmt::format("[{}]", to.to_string()) : to.to_string();
  return fmt::format("{}/{} -> {}:{}", host_port, model::to_string(protocol), target, to_port);
}

std::string nat_table_name(std::string_view lab) { return fmt::format("nstopo-{}", lab); }

std::string nat_table_mark(std::string_view lab) { return fmt::format("nstopo lab {}", lab); }

}  // namespace nstopo::model
