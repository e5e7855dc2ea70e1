#pragma once
// Output: the text people read and the JSON scripts read, for every command.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "model/action.h"
#include "model/error.h"
#include "model/object_key.h"
#include "parse/diagnostic.h"
#include "plan/planner.h"

namespace nstopo::cli {

// The contract of -o json and -o yaml (schemas/output.schema.json, docs/OUTPUT.md): every
// document has `schema_version` and `command`; every object it names carries `kind`,
// `namespace` and `name`; an error is an `error` member, on stdout like any result.
inline constexpr int kOutputSchemaVersion = 1;
nlohmann::json document(std::string_view command);
// Adds {kind, namespace, name} to `j` (a namespace is named by itself).
void add_object_ref(nlohmann::json& j, const model::ObjectKey& key);
nlohmann::json diagnostic_json(const parse::Diagnostic& diagnostic);

std::string seconds_text(std::chrono::nanoseconds duration);  // "0.021s", "1.3ms"
std::string_view change_word(model::Change change);          // "create", "change", "delete"

nlohmann::json action_json(const model::Action& action,
                           std::optional<std::chrono::nanoseconds> took = std::nullopt);
nlohmann::json error_json(const Error& error);
nlohmann::json conflicts_json(const std::vector<plan::Conflict>& conflicts);

// A bad command line: "nstopo COMMAND: MESSAGE" on stderr, and with -o json/yaml an error
// document {kind: "usage"} on stdout.
void print_usage_error(std::string_view command, const std::string& message, OutputFormat format);
// An error outside the pipeline: on stderr, and with -o json/yaml as an error document too.
void print_error(std::string_view command, const Error& error, OutputFormat format);
// "nstopo: error: MESSAGE" (with notes) on stderr.
void print_error(const Error& error);
// Prints a document on stdout, as JSON or as YAML (the same tree).
void print_document(const nlohmann::json& document, OutputFormat format);
std::string to_yaml(const nlohmann::json& document);

}  // namespace nstopo::cli
