#pragma once
// Output: the text people read and the JSON scripts read, for every command.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/action.h"
#include "model/error.h"
#include "plan/planner.h"

namespace nstopo::cli {

std::string seconds_text(std::chrono::nanoseconds duration);  // "0.021s", "1.3ms"
std::string_view change_word(model::Change change);          // "create", "change", "delete"

nlohmann::json action_json(const model::Action& action,
                           std::optional<std::chrono::nanoseconds> took = std::nullopt);
nlohmann::json error_json(const Error& error);
nlohmann::json conflicts_json(const std::vector<plan::Conflict>& conflicts);

// "nstopo: error: MESSAGE" (with notes) on stderr.
void print_error(const Error& error);
// Prints a JSON document on stdout.
void print_json(const nlohmann::json& document);

}  // namespace nstopo::cli
