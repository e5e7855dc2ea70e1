#pragma once
// Reading the YAML tree with every problem reported, never thrown. Internal to src/parse.
//
// Every value is read through an Entry, which remembers where to point when the value is
// missing: the parser places a value left out ("mtu:" with nothing after it) just after the
// ':', where there is nothing to see, so a diagnostic about it points at the key instead.
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/topology.h"
#include "parse/reporter.h"
#include "parse/yaml_tree.h"

namespace nstopo::parse {

// A value and its key. The nodes belong to the document's tree, which outlives every Entry.
struct Entry {
  std::string key;                  // the key's text, or the list's key for list items
  const YamlNode* value = nullptr;  // never null
  model::SourceLocation key_at;
  model::SourceLocation value_at;  // the value's position, or the key's when the value is null

  // A list item or the document root: `fallback` stands in for a missing position.
  static Entry item(std::string label, const YamlNode& value, model::SourceLocation fallback);
  bool is_null() const { return value->is_null(); }
};

// How a node reads in a message: "a map", "a list", "'abc'", "the quoted string '1500'".
std::string describe(const YamlNode& node);
// Plain (unquoted, untagged) scalars are the only ones read as numbers and booleans.
bool is_plain_scalar(const YamlNode& node);

// Builds the message for a key given twice: (key, line of its first occurrence) -> message.
using DuplicateMessage = std::function<std::string(const std::string& key, int first_line)>;

// The entries of a map (null counts as empty), first occurrence of each key only; reports
// duplicate keys and keys that are not plain names. Reports and returns nullopt when the
// value is not a map; `what` names it in that message ("'interfaces'").
std::optional<std::vector<Entry>> map_entries(const Entry& map, Reporter& reporter,
                                              std::string_view what,
                                              const DuplicateMessage& duplicate);

// The items of a list (null counts as empty); reports and returns nullopt for anything else.
std::optional<std::vector<Entry>> list_items(const Entry& list, Reporter& reporter,
                                             std::string_view what);

// The settings map of one object: known keys only (unknown ones are reported with a
// "did you mean" hint), duplicates reported. `subject` names the object in "... must be a
// map" ("interface 'ns1:eth0'"); `context` completes "unknown key 'x' ..." and "missing
// required key 'x' ..." ("in interface 'ns1:eth0'").
class Fields {
 public:
  Fields(const Entry& map, Reporter& reporter, std::initializer_list<std::string_view> known,
         std::string_view subject, std::string context);

  bool is_map() const { return is_map_; }  // false: not a map (already reported)
  const Entry* get(std::string_view key) const;
  // Reports "missing required key" at the map when `key` is absent, unless the map was not a
  // map or an unknown key was already taken for a misspelling of it (one mistake, one message).
  const Entry* require(std::string_view key, std::string hint = {});
  // An unknown key was reported with "did you mean '<key>'?".
  bool misspelt(std::string_view key) const;
  model::SourceLocation where() const { return where_; }

 private:
  Reporter& reporter_;
  std::string context_;
  model::SourceLocation where_;
  bool is_map_ = false;
  std::vector<Entry> entries_;
  std::vector<std::string_view> misspelt_;
};

// Scalar readers: each reports its own problem (naming the entry's key) and returns nullopt.
// Any scalar reads as text (numbers and booleans keep their spelling).
std::optional<std::string> read_text(const Entry& entry, Reporter& reporter);
// A plain decimal integer within [min, max]; "mtu 40 is out of range 68-65535".
std::optional<int64_t> read_integer(const Entry& entry, Reporter& reporter, int64_t min,
                                    int64_t max, std::string_view what);
std::optional<bool> read_bool(const Entry& entry, Reporter& reporter);

}  // namespace nstopo::parse
