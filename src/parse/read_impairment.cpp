// The impairment keys of an interface or a link: rate, delay, jitter, loss, duplicate,
// corrupt, reorder, limit (model/impairment.h). Each value is checked where it is written.
#include <fmt/format.h>

#include "parse/reader.h"
#include "parse/values.h"

namespace nstopo::parse {

ImpairmentDecl read_impairment(const Fields& fields, Reporter& reporter) {
  ImpairmentDecl decl;
  auto text_of = [&](std::string_view key) -> std::pair<const Entry*, std::optional<std::string>> {
    const Entry* field = fields.get(key);
    if (!field) return {nullptr, std::nullopt};
    return {field, read_text(*field, reporter)};
  };
  auto read = [&]<typename T>(std::string_view key, std::optional<T>& out, auto parse) {
    auto [field, text] = text_of(key);
    if (!field) return;
    decl.where[std::string(key)] = field->value_at;  // given, even if wrong: not "empty"
    if (!text) return;
    auto value = parse(*text, key);
    if (!value) {
      reporter.error(field->value_at, value.error());
      return;
    }
    out = static_cast<T>(*value);
  };
  model::Impairment& v = decl.value;
  read("rate", v.rate, parse_rate);
  read("delay", v.delay, parse_delay);
  read("jitter", v.jitter, parse_delay);
  read("loss", v.loss, parse_percent);
  read("duplicate", v.duplicate, parse_percent);
  read("corrupt", v.corrupt, parse_percent);
  read("reorder", v.reorder, parse_percent);
  if (const Entry* field = fields.get("limit")) {
    decl.where["limit"] = field->value_at;
    if (auto limit = read_integer(*field, reporter, 1, 1'000'000, "limit"))
      v.limit = static_cast<uint32_t>(*limit);
  }
  // netem varies a delay and reorders by sending some packets without it: both need one.
  for (auto [key, value] : {std::pair{"jitter", v.jitter.has_value()},
                            std::pair{"reorder", v.reorder.has_value()}})
    if (value && !decl.where.contains("delay"))
      reporter.error(decl.where[key], fmt::format("'{}' needs a 'delay'", key),
                     fmt::format("netem applies {} to a delay; add e.g. 'delay: 20ms'",
                                 std::string_view(key) == "jitter" ? "jitter" : "reordering"));
  return decl;
}

}  // namespace nstopo::parse
