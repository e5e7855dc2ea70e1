#include "services/command_lookup.h"

#include <sys/stat.h>
#include <unistd.h>

#include <string_view>

#include <fmt/format.h>

#include "services/identity.h"

namespace nstopo::services {

namespace {

// The PATH a service that declares none runs with.
std::string default_service_path() {
  for (const auto& entry : service_environment({}, std::nullopt, inherited_environment()))
    if (entry.starts_with("PATH=")) return entry.substr(5);
  return {};
}

enum class FileState { missing, executable, not_executable };

FileState file_state(const std::string& file) {
  struct stat st{};
  if (::stat(file.c_str(), &st) != 0) return FileState::missing;
  if (!S_ISREG(st.st_mode) || ::access(file.c_str(), X_OK) != 0) return FileState::not_executable;
  return FileState::executable;
}

}  // namespace

std::optional<model::CommandFound> find_command(const model::CommandLookup& lookup) {
  using State = model::CommandFound::State;
  const std::string& command = lookup.command;
  if (command.find('/') != std::string::npos) {
    if (!command.starts_with("/")) return std::nullopt;
    switch (file_state(command)) {
      case FileState::executable: return model::CommandFound{State::found, command, ""};
      case FileState::not_executable: return model::CommandFound{State::not_executable, command, ""};
      case FileState::missing: return model::CommandFound{State::missing, command, ""};
    }
  }
  std::string path = lookup.declared_path ? *lookup.declared_path : default_service_path();
  // As execvp: the first executable file wins; one that is there but not executable is what
  // the start would fail on (EACCES) when nothing later is.
  std::optional<std::string> not_executable;
  std::string_view rest(path);
  while (true) {
    auto colon = rest.find(':');
    std::string_view dir = rest.substr(0, colon);
    std::string file = fmt::format("{}/{}", dir.empty() ? std::string_view(".") : dir, command);
    auto state = file_state(file);
    if (state == FileState::executable) return model::CommandFound{State::found, file, path};
    if (state == FileState::not_executable && !not_executable) not_executable = file;
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  if (not_executable) return model::CommandFound{State::not_executable, *not_executable, path};
  return model::CommandFound{State::missing, "", path};
}

}  // namespace nstopo::services
