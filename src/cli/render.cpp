#include "cli/render.h"

#include <cstdio>

namespace nstopo::cli {

std::string seconds_text(std::chrono::nanoseconds duration) {
  double seconds = std::chrono::duration<double>(duration).count();
  if (seconds < 0.001) return fmt::format("{:.0f}us", seconds * 1e6);
  if (seconds < 0.1) return fmt::format("{:.1f}ms", seconds * 1e3);
  return fmt::format("{:.3f}s", seconds);
}

std::string_view change_word(model::Change change) {
  switch (change) {
    case model::Change::create: return "create";
    case model::Change::modify: return "change";
    case model::Change::remove: return "delete";
  }
  return "change";
}

nlohmann::json action_json(const model::Action& action,
                           std::optional<std::chrono::nanoseconds> took) {
  nlohmann::json j{{"change", change_word(action.change())},
                   {"action", action.describe()},
                   {"object", action.object()},
                   {"reason", action.reason.text()},
                   {"why", model::to_string(action.reason.why)}};
  if (took) j["seconds"] = std::chrono::duration<double>(*took).count();
  return j;
}

nlohmann::json error_json(const Error& error) {
  nlohmann::json j{{"kind", to_string(error.kind)}, {"message", error.message}};
  if (!error.object.empty()) j["object"] = error.object;
  if (error.error_number) j["errno"] = errno_name(error.error_number);
  if (!error.kernel_message.empty()) j["kernel_message"] = error.kernel_message;
  if (!error.notes.empty()) j["notes"] = error.notes;
  j["text"] = error.describe();
  return j;
}

nlohmann::json conflicts_json(const std::vector<plan::Conflict>& conflicts) {
  auto list = nlohmann::json::array();
  for (auto& c : conflicts) list.push_back({{"object", c.object}, {"message", c.message}});
  return list;
}

void print_error(const Error& error) {
  std::fprintf(stderr, "nstopo: error: %s\n", error.describe().c_str());
}

void print_json(const nlohmann::json& document) {
  std::fputs((document.dump(2) + "\n").c_str(), stdout);
}

}  // namespace nstopo::cli
