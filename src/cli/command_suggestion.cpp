#include "cli/command_suggestion.h"

#include <string_view>
#include <vector>

#include "model/suggest.h"

namespace nstopo::cli {

std::optional<std::string> unknown_command_message(const CLI::App& app, int argc,
                                                   const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view word = argv[i];
    if (word.starts_with('-')) {
      // A global option that takes its value in the next word (not --opt=value).
      auto* option = app.get_option_no_throw(std::string(word));
      if (option != nullptr && option->get_expected_min() > 0 && word.find('=') == word.npos) ++i;
      continue;
    }
    std::vector<std::string> names;
    for (const auto* sub : app.get_subcommands({})) names.push_back(sub->get_name());
    for (const auto& name : names)
      if (name == word) return std::nullopt;
    std::vector<std::string_view> views(names.begin(), names.end());
    std::string message = "unknown command '" + std::string(word) + "'";
    std::string hint = model::did_you_mean(word, views);
    if (!hint.empty()) message += "; " + hint;
    return message;
  }
  return std::nullopt;
}

}  // namespace nstopo::cli
