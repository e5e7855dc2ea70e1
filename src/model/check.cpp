#include "model/check.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "model/overloaded.h"

namespace nstopo::model {

std::string_view Check::kind() const {
  return std::visit(overloaded{[](const PingCheck&) { return std::string_view("ping"); },
                               [](const TcpCheck&) { return std::string_view("tcp"); },
                               [](const HttpCheck&) { return std::string_view("http"); },
                               [](const ExecCheck&) { return std::string_view("exec"); },
                               [](const RouteCheck&) { return std::string_view("route"); }},
                    probe);
}

const std::string& Check::ns() const {
  return std::visit(overloaded{[](const PingCheck& p) -> const std::string& { return p.from; },
                               [](const TcpCheck& p) -> const std::string& { return p.from; },
                               [](const HttpCheck& p) -> const std::string& { return p.from; },
                               [](const ExecCheck& p) -> const std::string& { return p.in; },
                               [](const RouteCheck& p) -> const std::string& { return p.in; }},
                    probe);
}

namespace {

std::string what(const CheckProbe& probe) {
  return std::visit(
      overloaded{
          [](const PingCheck& p) { return fmt::format("ping {} -> {}", p.from, p.to_text); },
          [](const TcpCheck& p) { return fmt::format("tcp {} -> {}:{}", p.from, p.to, p.port); },
          [](const HttpCheck& p) { return fmt::format("http {} -> {}", p.from, p.url); },
          [](const ExecCheck& p) {
            return fmt::format("exec in {}: {}", p.in, fmt::join(p.command, " "));
          },
          [](const RouteCheck& p) {
            std::string text = fmt::format("route in {} to {}", p.in, p.to);
            if (p.via) text += fmt::format(" via {}", *p.via);
            if (p.dev) text += fmt::format(" dev {}", *p.dev);
            return text;
          }},
      probe);
}

}  // namespace

std::string Check::describe() const {
  return what(probe) + (expect == CheckExpectation::fail ? " (expect fail)" : "");
}

namespace {

// Only the characters a given name may hold (parse::check_name_problem): an exec's program
// can be called anything.
std::string tidy(std::string name) {
  for (char& c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::string_view("_.:/@+-").find(c) != std::string_view::npos;
    if (!ok) c = '_';
  }
  return name.substr(0, 100);
}

}  // namespace

std::string derived_check_name(const CheckProbe& probe) {
  return tidy(std::visit(
      overloaded{
          [](const PingCheck& p) { return fmt::format("ping-{}-{}", p.from, p.to_text); },
          [](const TcpCheck& p) { return fmt::format("tcp-{}-{}-{}", p.from, p.to, p.port); },
          [](const HttpCheck& p) {
            return fmt::format("http-{}-{}-{}", p.from, p.host, p.port);
          },
          [](const ExecCheck& p) {
            auto slash = p.command.front().rfind('/');
            return fmt::format("exec-{}-{}", p.in,
                               slash == std::string::npos ? p.command.front()
                                                          : p.command.front().substr(slash + 1));
          },
          [](const RouteCheck& p) { return fmt::format("route-{}-{}", p.in, p.to); }},
      probe));
}

}  // namespace nstopo::model
