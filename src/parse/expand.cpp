#include "parse/expand.h"

#include <fmt/format.h>

#include "parse/reader.h"
#include "parse/template_text.h"
#include "parse/yaml_fields.h"

namespace nstopo::parse {
namespace {

// The index of the first `key` of a map's items (its value is at index + 1), or npos.
size_t find_key(const YamlNode& map, std::string_view key) {
  if (!map.is_map()) return std::string::npos;
  for (size_t k = 0; k + 1 < map.items.size(); k += 2)
    if (map.items[k].is_scalar() && map.items[k].text == key) return k;
  return std::string::npos;
}

YamlNode* find_value(YamlNode& map, std::string_view key) {
  size_t k = find_key(map, key);
  return k == std::string::npos ? nullptr : &map.items[k + 1];
}

size_t node_count(const YamlNode& node) {
  size_t count = 1;
  for (const auto& item : node.items) count += node_count(item);
  return count;
}

class Expander {
 public:
  explicit Expander(Reporter& reporter) : reporter_(reporter) {}

  ExpansionOutcome run(YamlNode& root) {
    if (!root.is_map()) return outcome_;
    if (size_t k = find_key(root, "defaults"); k != std::string::npos)
      read_defaults(root.items[k], root.items[k + 1]);
    if (YamlNode* host = find_value(root, "host")) expand_interfaces(*host);
    if (YamlNode* namespaces = find_value(root, "namespaces")) expand_namespaces(*namespaces);
    if (YamlNode* links = find_value(root, "links")) expand_links(*links);
    return outcome_;
  }

 private:
  // Room for `count` instances of `template_node` (and its key) in the expansion budget;
  // reports at `where` when there is none.
  bool make_room(const YamlNode& template_node, int64_t count, const YamlNode& where) {
    size_t needed = (node_count(template_node) + 1) * static_cast<size_t>(count);
    if (made_ + needed <= kMaxExpandedNodes) {
      made_ += needed;
      return true;
    }
    reporter_.error(where.at,
                    fmt::format("range '{}' would make {} more YAML nodes; the ranges of a file "
                                "make at most {} in all",
                                where.text, needed, kMaxExpandedNodes),
                    "split the lab, or make its template smaller");
    return false;
  }

  // A copy of `node` for instance `instance` (number i), its placeholders replaced.
  YamlNode instantiate(const YamlNode& node, int64_t i, int instance) {
    YamlNode copy{.kind = node.kind, .plain = node.plain, .at = node.at, .text = {}, .items = {}};
    copy.at.instance = instance;
    if (node.is_scalar()) {
      if (has_braces(node.text)) {
        auto substituted = substitute(node.text, i);
        if (substituted) {
          copy.text = std::move(substituted->text);
          if (substituted->had_placeholder) copy.plain = true;
        } else {
          reporter_.expansion_error(copy.at, substituted.error().message, substituted.error().hint);
          copy.text = node.text;
        }
      } else {
        copy.text = node.text;
      }
    }
    copy.items.reserve(node.items.size());
    for (const auto& item : node.items) copy.items.push_back(instantiate(item, i, instance));
    return copy;
  }

  // A copy of a default, as written, with the position of the entry it is merged into.
  YamlNode mark(const YamlNode& node, int instance) {
    YamlNode copy = node;
    set_instance(copy, instance);
    return copy;
  }
  static void set_instance(YamlNode& node, int instance) {
    node.at.instance = instance;
    for (auto& item : node.items) set_instance(item, instance);
  }

  // The instances of the entry (key, value) whose key holds a range, appended to `out`.
  // false: the range was refused (reported).
  bool expand_entry(const YamlNode& key, const YamlNode& value, std::vector<YamlNode>& out) {
    auto range = *parse_key_range(key.text);
    if (!range) {
      reporter_.error(key.at, range.error().message, range.error().hint);
      return false;
    }
    if (!make_room(value, range->bounds.count(), key)) return false;
    for (int64_t i = range->bounds.first; i <= range->bounds.last; ++i) {
      // The name: the number in place of the brackets, placeholders around it replaced.
      auto before = substitute(range->before, i), after = substitute(range->after, i);
      std::string name = before && after
                             ? before->text + range->bounds.number(i) + after->text
                             : fmt::format("{}(i={})", key.text, i);
      int instance = reporter_.add_instance(fmt::format("instance {} of {}", name, key.text));
      YamlNode name_node{.kind = YamlNode::Kind::scalar, .plain = true, .at = key.at, .text = name,
                         .items = {}};
      name_node.at.instance = instance;
      if (!before || !after) {
        const auto& problem = before ? after.error() : before.error();
        reporter_.expansion_error(name_node.at, problem.message, problem.hint);
      }
      out.push_back(std::move(name_node));
      out.push_back(instantiate(value, i, instance));
    }
    return true;
  }

  // Ranges among the keys of `body`'s interfaces.
  void expand_interfaces(YamlNode& body) {
    YamlNode* interfaces = find_value(body, "interfaces");
    if (!interfaces || !interfaces->is_map() || !has_range_key(*interfaces)) return;
    std::vector<YamlNode> items;
    items.reserve(interfaces->items.size());
    for (size_t k = 0; k + 1 < interfaces->items.size(); k += 2) {
      YamlNode& key = interfaces->items[k];
      if (key.is_scalar() && parse_key_range(key.text)) {
        expand_entry(key, interfaces->items[k + 1], items);
        continue;
      }
      items.push_back(std::move(key));
      items.push_back(std::move(interfaces->items[k + 1]));
    }
    interfaces->items = std::move(items);
  }

  static bool has_range_key(const YamlNode& map) {
    for (size_t k = 0; k + 1 < map.items.size(); k += 2)
      if (map.items[k].is_scalar() && parse_key_range(map.items[k].text)) return true;
    return false;
  }

  // A namespace range's interfaces cannot be ranges too: reported, and left out.
  void refuse_nested_ranges(const YamlNode& namespace_key, YamlNode& body) {
    YamlNode* interfaces = find_value(body, "interfaces");
    if (!interfaces || !interfaces->is_map()) return;
    auto& items = interfaces->items;
    for (size_t k = 0; k + 1 < items.size();) {
      if (!items[k].is_scalar() || !parse_key_range(items[k].text)) {
        k += 2;
        continue;
      }
      reporter_.error(items[k].at,
                      fmt::format("interface range '{}' is inside namespace range '{}'; ranges "
                                  "do not nest",
                                  items[k].text, namespace_key.text),
                      "write the interfaces out, with {i} in their names where they differ");
      items.erase(items.begin() + static_cast<std::ptrdiff_t>(k),
                  items.begin() + static_cast<std::ptrdiff_t>(k + 2));
    }
  }

  void expand_namespaces(YamlNode& namespaces) {
    if (!namespaces.is_map()) return;
    std::vector<YamlNode> items;
    items.reserve(namespaces.items.size());
    for (size_t k = 0; k + 1 < namespaces.items.size(); k += 2) {
      YamlNode& key = namespaces.items[k];
      YamlNode& value = namespaces.items[k + 1];
      if (key.is_scalar() && parse_key_range(key.text)) {
        refuse_nested_ranges(key, value);
        if (!expand_entry(key, value, items)) outcome_.some_namespace_lost = true;
        continue;
      }
      expand_interfaces(value);
      items.push_back(std::move(key));
      items.push_back(std::move(value));
    }
    namespaces.items = std::move(items);
    if (!namespace_defaults_ && !interface_defaults_) return;
    for (size_t k = 0; k + 1 < namespaces.items.size(); k += 2)
      apply_defaults(namespaces.items[k + 1], namespaces.items[k].at);
  }

  void expand_links(YamlNode& links) {
    if (!links.is_sequence()) return;
    bool any = false;
    for (const auto& item : links.items) any = any || find_key(item, "range") != std::string::npos;
    if (!any) return;
    std::vector<YamlNode> items;
    items.reserve(links.items.size());
    for (auto& item : links.items) {
      size_t k = find_key(item, "range");
      if (k == std::string::npos) {
        items.push_back(std::move(item));
        continue;
      }
      const YamlNode& range_key = item.items[k];
      const YamlNode& range_value = item.items[k + 1];
      auto bounds = link_range(range_key, range_value);
      if (!bounds) {
        outcome_.some_link_lost = true;
        continue;
      }
      std::string range_text = range_value.is_scalar() ? range_value.text
                                                       : range_value.items.front().text;
      YamlNode body = item;  // the link without its range
      body.items.erase(body.items.begin() + static_cast<std::ptrdiff_t>(k),
                       body.items.begin() + static_cast<std::ptrdiff_t>(k + 2));
      YamlNode where = range_value.is_scalar() ? range_value : range_value.items.front();
      if (!make_room(body, bounds->count(), where)) {
        outcome_.some_link_lost = true;
        continue;
      }
      for (int64_t i = bounds->first; i <= bounds->last; ++i) {
        int instance = reporter_.add_instance(
            fmt::format("instance i={} of the link range {}", bounds->number(i), range_text));
        items.push_back(instantiate(body, i, instance));
      }
    }
    links.items = std::move(items);
  }

  // `range: 1-200` (or `range: [1-200]`) of a link.
  std::optional<RangeBounds> link_range(const YamlNode& key, const YamlNode& value) {
    const YamlNode* text = &value;
    if (value.is_sequence() && value.items.size() == 1) text = &value.items.front();
    if (!text->is_scalar()) {
      reporter_.error(value.is_null() ? key.at : value.at,
                      fmt::format("a link's 'range' must be FIRST-LAST, not {}", describe(value)),
                      "e.g. 'range: 1-200', with {i} in the endpoints");
      return std::nullopt;
    }
    auto bounds = parse_range_bounds(text->text);
    if (!bounds) {
      reporter_.error(text->at, bounds.error().message, bounds.error().hint);
      return std::nullopt;
    }
    return *bounds;
  }

  // The defaults are checked once, as they are written; they are merged only when they hold
  // no mistake (which would otherwise be reported again for every namespace).
  void read_defaults(const YamlNode& key, const YamlNode& value) {
    Entry entry{key.text, &value, key.at, value.is_null() ? key.at : value.at};
    Fields fields(entry, reporter_, {"namespace", "interface"}, "'defaults'", "in 'defaults'");
    if (!fields.is_map()) return;
    if (const Entry* ns = fields.get("namespace")) {
      size_t errors = reporter_.error_count();
      NamespaceDecl scratch{.name = "defaults", .label = "'defaults.namespace'"};
      read_namespace_body(*ns, scratch, reporter_);
      if (reporter_.error_count() == errors && ns->value->is_map()) namespace_defaults_ = ns->value;
    }
    if (const Entry* iface = fields.get("interface")) {
      size_t errors = reporter_.error_count();
      read_interface_defaults(*iface, reporter_);
      if (reporter_.error_count() == errors && iface->value->is_map())
        interface_defaults_ = iface->value;
    }
  }

  void apply_defaults(YamlNode& body, model::SourceLocation key_at) {
    if (namespace_defaults_) merge(body, *namespace_defaults_, key_at);
    if (!interface_defaults_) return;
    YamlNode* interfaces = find_value(body, "interfaces");
    if (!interfaces || !interfaces->is_map()) return;
    for (size_t k = 0; k + 1 < interfaces->items.size(); k += 2)
      if (interfaces->items[k].is_scalar())
        merge(interfaces->items[k + 1], *interface_defaults_, interfaces->items[k].at);
  }

  // `defaults` into `target`: keys it lacks (or leaves empty) are added, maps merged key by
  // key, anything else the target has wins. `owner` is the key of the entry merged into: its
  // position (and instance) stands for a target that was empty.
  void merge(YamlNode& target, const YamlNode& defaults, model::SourceLocation owner) {
    if (!defaults.is_map()) return;
    if (target.is_null()) {
      target.kind = YamlNode::Kind::map;
      target.at = owner;
    }
    if (!target.is_map()) return;  // the reader reports it
    for (size_t k = 0; k + 1 < defaults.items.size(); k += 2) {
      const YamlNode& key = defaults.items[k];
      const YamlNode& value = defaults.items[k + 1];
      size_t existing = find_key(target, key.text);
      if (existing == std::string::npos) {
        target.items.push_back(mark(key, owner.instance));
        target.items.push_back(mark(value, owner.instance));
        made_ += node_count(value) + 1;
      } else if (YamlNode& own = target.items[existing + 1]; own.is_null()) {
        own = mark(value, owner.instance);
        made_ += node_count(value);
      } else if (own.is_map() && value.is_map()) {
        merge(own, value, target.items[existing].at);
      }
    }
  }

  Reporter& reporter_;
  const YamlNode* namespace_defaults_ = nullptr;
  const YamlNode* interface_defaults_ = nullptr;
  size_t made_ = 0;
  ExpansionOutcome outcome_;
};

}  // namespace

ExpansionOutcome expand_templates(YamlNode& root, Reporter& reporter) {
  return Expander(reporter).run(root);
}

}  // namespace nstopo::parse
