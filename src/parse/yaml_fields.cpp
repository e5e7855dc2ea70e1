#include "parse/yaml_fields.h"

#include <map>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "model/suggest.h"
#include "parse/values.h"

namespace nstopo::parse {
namespace {

std::string quoted_list(std::initializer_list<std::string_view> words) {
  std::string out;
  for (auto word : words) out += fmt::format("{}{}", out.empty() ? "" : ", ", word);
  return out;
}

void report_not_a(const Entry& entry, Reporter& reporter, std::string_view what,
                  std::string_view expected) {
  reporter.error(entry.value_at,
                 fmt::format("{} must be {}, not {}", what, expected, describe(*entry.value)));
}

}  // namespace

Entry Entry::item(std::string label, const YamlNode& value, model::SourceLocation fallback) {
  return Entry{std::move(label), &value, fallback, value.at.line > 0 ? value.at : fallback};
}

bool is_plain_scalar(const YamlNode& node) { return node.is_scalar() && node.plain; }

std::string describe(const YamlNode& node) {
  switch (node.kind) {
    case YamlNode::Kind::map: return "a map";
    case YamlNode::Kind::sequence: return "a list";
    case YamlNode::Kind::scalar: {
      // A long text (a whole file that is one scalar) is cut short, on a UTF-8 boundary.
      constexpr size_t kMaxShown = 40;
      std::string text = node.text;
      if (text.size() > kMaxShown) {
        size_t cut = kMaxShown;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) --cut;
        text = text.substr(0, cut) + "...";
      }
      auto newline = text.find('\n');
      if (newline != std::string::npos) text = text.substr(0, newline) + "...";
      if (is_plain_scalar(node)) return fmt::format("'{}'", text);
      return fmt::format("the quoted string '{}'", text);
    }
    case YamlNode::Kind::null: break;
  }
  return "empty";
}

std::optional<std::vector<Entry>> map_entries(const Entry& map, Reporter& reporter,
                                              std::string_view what,
                                              const DuplicateMessage& duplicate) {
  std::vector<Entry> entries;
  if (map.is_null()) return entries;
  if (!map.value->is_map()) {
    report_not_a(map, reporter, what, "a map");
    return std::nullopt;
  }
  std::map<std::string, int, std::less<>> first_line;
  const auto& items = map.value->items;
  entries.reserve(items.size() / 2);
  for (size_t i = 0; i + 1 < items.size(); i += 2) {
    const YamlNode& key = items[i];
    const YamlNode& value = items[i + 1];
    if (!key.is_scalar()) {
      reporter.error(key.is_null() ? map.value_at : key.at,
                     fmt::format("a key must be a name, not {}", describe(key)));
      continue;
    }
    auto [seen, inserted] = first_line.emplace(key.text, key.at.line);
    if (!inserted) {
      reporter.error(key.at, duplicate(key.text, seen->second));
      continue;
    }
    entries.push_back(Entry{key.text, &value, key.at, value.is_null() ? key.at : value.at});
  }
  return entries;
}

std::optional<std::vector<Entry>> list_items(const Entry& list, Reporter& reporter,
                                             std::string_view what) {
  std::vector<Entry> items;
  if (list.is_null()) return items;
  if (!list.value->is_sequence()) {
    report_not_a(list, reporter, what, "a list");
    return std::nullopt;
  }
  items.reserve(list.value->items.size());
  for (const auto& item : list.value->items)
    items.push_back(Entry::item(list.key, item, list.value_at));
  return items;
}

namespace {

// Which level of a topology file each key belongs to, for a key found at another level: the
// usual cause is indentation ("addresses" under a namespace instead of under its interface).
// Must list the same keys as the readers' Fields (read_*.cpp).
struct KeyLevel {
  std::string_view level;
  std::vector<std::string_view> keys;
};
const KeyLevel kKeyLevels[] = {
    {"the top level", {"version", "name", "host", "namespaces", "links", "checks"}},
    {"a namespace (or host)", {"interfaces", "routes", "sysctls", "services"}},
    {"a namespace", {"nat"}},
    {"'nat'", {"out", "ports"}},
    {"an interface", {"addresses", "mac", "up", "kind", "master"}},
    {"a route", {"to", "via", "dev", "metric"}},
    {"a link", {"endpoints"}},
    {"an interface or a link",
     {"mtu", "rate", "delay", "jitter", "loss", "duplicate", "corrupt", "reorder", "limit"}},
    {"'ready'", {"tcp", "address", "exec", "timeout"}},
    {"a service", {"command", "env", "cwd", "user", "ready", "stop_timeout"}},
    {"a check", {"expect", "retries", "ping", "http"}},
    {"a check's probe", {"from", "count", "port", "url", "status", "contains", "in",
                         "stdout_contains"}},
};

std::optional<std::string_view> level_of_key(std::string_view key) {
  for (const auto& level : kKeyLevels)
    for (auto known : level.keys)
      if (known == key) return level.level;
  return std::nullopt;
}

}  // namespace

Fields::Fields(const Entry& map, Reporter& reporter, std::initializer_list<std::string_view> known,
               std::string_view subject, std::string context)
    : reporter_(reporter), context_(std::move(context)), where_(map.value_at) {
  auto duplicate = [this](const std::string& key, int first_line) {
    return fmt::format("duplicate key '{}' {} (first at line {})", key, context_, first_line);
  };
  auto entries = map_entries(map, reporter, subject, duplicate);
  if (!entries) return;
  is_map_ = true;
  for (auto& entry : *entries) {
    bool is_known = false;
    for (auto name : known) is_known = is_known || name == entry.key;
    if (is_known) {
      entries_.push_back(std::move(entry));
      continue;
    }
    std::string hint;
    auto matches = model::closest_matches(entry.key, std::span(known.begin(), known.size()));
    if (!matches.empty()) {
      hint = model::did_you_mean(matches);
      misspelt_.insert(misspelt_.end(), matches.begin(), matches.end());
    } else if (auto level = level_of_key(entry.key)) {
      hint = fmt::format("'{}' is a key of {}: is it indented to the right level? (expected here: "
                         "{})",
                         entry.key, *level, quoted_list(known));
    } else {
      hint = fmt::format("expected one of: {}", quoted_list(known));
    }
    reporter_.error(entry.key_at, fmt::format("unknown key '{}' {}", entry.key, context_), hint);
  }
}

const Entry* Fields::get(std::string_view key) const {
  for (const auto& entry : entries_)
    if (entry.key == key) return &entry;
  return nullptr;
}

bool Fields::misspelt(std::string_view key) const {
  for (auto name : misspelt_)
    if (name == key) return true;
  return false;
}

const Entry* Fields::require(std::string_view key, std::string hint) {
  const Entry* entry = get(key);
  if (!entry && is_map_ && !misspelt(key))
    reporter_.error(where_, fmt::format("missing required key '{}' {}", key, context_),
                    std::move(hint));
  return entry;
}

std::optional<std::string> read_text(const Entry& entry, Reporter& reporter) {
  if (entry.is_null()) {
    reporter.error(entry.value_at, fmt::format("'{}' has no value", entry.key));
    return std::nullopt;
  }
  if (!entry.value->is_scalar()) {
    report_not_a(entry, reporter, fmt::format("'{}'", entry.key), "a string");
    return std::nullopt;
  }
  return entry.value->text;
}

std::optional<int64_t> read_integer(const Entry& entry, Reporter& reporter, int64_t min,
                                    int64_t max, std::string_view what) {
  if (entry.is_null()) {
    reporter.error(entry.value_at, fmt::format("'{}' has no value", entry.key));
    return std::nullopt;
  }
  IntegerText number;
  if (is_plain_scalar(*entry.value)) number = parse_integer(entry.value->text);
  if (!number.is_integer()) {
    std::string hint;
    if (entry.value->is_scalar() && !entry.value->plain &&
        parse_integer(entry.value->text).is_integer())
      hint = "remove the quotes";
    reporter.error(
        entry.value_at,
        fmt::format("'{}' must be an integer, not {}", entry.key, describe(*entry.value)), hint);
    return std::nullopt;
  }
  if (!number.value || *number.value < min || *number.value > max) {
    reporter.error(entry.value_at,
                   fmt::format("{} {} is out of range {}-{}", what, entry.value->text, min, max));
    return std::nullopt;
  }
  return number.value;
}

std::optional<bool> read_bool(const Entry& entry, Reporter& reporter) {
  if (entry.is_null()) {
    reporter.error(entry.value_at, fmt::format("'{}' has no value", entry.key));
    return std::nullopt;
  }
  std::optional<bool> value;
  if (is_plain_scalar(*entry.value)) value = parse_bool(entry.value->text);
  if (!value)
    reporter.error(entry.value_at, fmt::format("'{}' must be true or false, not {}", entry.key,
                                               describe(*entry.value)));
  return value;
}

}  // namespace nstopo::parse
