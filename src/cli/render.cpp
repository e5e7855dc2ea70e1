#include "cli/render.h"

#include <cstdio>

#include <yaml-cpp/yaml.h>

namespace nstopo::cli {

nlohmann::json document(std::string_view command) {
  return {{"schema_version", kOutputSchemaVersion}, {"command", command}};
}

void add_object_ref(nlohmann::json& j, const model::ObjectKey& key) {
  j["kind"] = model::to_string(key.kind);
  j["namespace"] = key.ns;
  j["name"] = key.kind == model::ObjectKind::namespace_ ? key.ns : key.name;
}

nlohmann::json diagnostic_json(const parse::Diagnostic& d) {
  nlohmann::json j{{"file", d.file}, {"line", d.line}, {"column", d.column}, {"message", d.message}};
  if (!d.hint.empty()) j["hint"] = d.hint;
  j["text"] = parse::format_diagnostic(d);
  return j;
}

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
  add_object_ref(j, action.key());
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
  for (auto& c : conflicts) {
    nlohmann::json j{{"object", c.object}, {"message", c.message}};
    add_object_ref(j, c.key);
    list.push_back(std::move(j));
  }
  return list;
}

void print_usage_error(std::string_view command, const std::string& message, OutputFormat format) {
  std::string who = command.empty() ? "nstopo" : fmt::format("nstopo {}", command);
  std::fprintf(stderr, "%s: %s\nRun with --help for more information.\n", who.c_str(),
               message.c_str());
  if (!is_document(format)) return;
  auto doc = document(command);
  doc["error"] = error_json({ErrorKind::usage, message});
  print_document(doc, format);
}

void print_error(std::string_view command, const Error& error, OutputFormat format) {
  print_error(error);
  if (!is_document(format)) return;
  auto doc = document(command);
  doc["error"] = error_json(error);
  print_document(doc, format);
}

void print_error(const Error& error) {
  std::fprintf(stderr, "nstopo: error: %s\n", error.describe().c_str());
}

namespace {

void emit_yaml(YAML::Emitter& out, const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object:
      out << YAML::BeginMap;
      for (auto& [key, value] : j.items()) {
        out << YAML::Key << key << YAML::Value;
        emit_yaml(out, value);
      }
      out << YAML::EndMap;
      return;
    case nlohmann::json::value_t::array:
      out << YAML::BeginSeq;
      for (auto& value : j) emit_yaml(out, value);
      out << YAML::EndSeq;
      return;
    case nlohmann::json::value_t::string:
      // Quoted: a name like "no", "1e3" or "null" must stay a string for a YAML reader.
      out << YAML::DoubleQuoted << j.get<std::string>();
      return;
    case nlohmann::json::value_t::null: out << YAML::Null; return;
    default: out << j.dump(); return;  // numbers and booleans are written as JSON writes them
  }
}

}  // namespace

std::string to_yaml(const nlohmann::json& document) {
  YAML::Emitter out;
  emit_yaml(out, document);
  return std::string(out.c_str()) + "\n";
}

void print_document(const nlohmann::json& document, OutputFormat format) {
  std::string text = format == OutputFormat::yaml ? to_yaml(document) : document.dump(2) + "\n";
  std::fputs(text.c_str(), stdout);
  std::fflush(stdout);
}

}  // namespace nstopo::cli
