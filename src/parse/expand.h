#pragma once
// Templates, expanded in the document tree before it is read, so that every later check sees
// the expanded entries (and only them):
//
//   defaults:                   merged into every entry of `namespaces` (namespace) and into
//     namespace: {routes: ...}  every interface those entries declare (interface); an entry's
//     interface: {mtu: 1400}    own value wins: maps merge key by key at every level, a list or
//                               a scalar replaces the default whole, an empty (null) value
//                               takes the default. The host gets no defaults.
//   namespaces:
//     node[1-200]: ...          node1 ... node200; n[0001-1000]: n0001 ... n1000
//   host/namespace interfaces:
//     s[0001-1000]: ...         the same for an interface (not inside a namespace range)
//   links:
//     - range: 1-200            200 links; the entry without `range`
//       endpoints: ["host:s{i}", "node{i}:eth0"]
//
// In each instance of a range, every key and scalar of the entry has its placeholders
// ({i}, {i//250}, {i:04}: template_text.h) replaced. A scalar that had one is typed by its
// result ("{i+1000}" is a number); "{{" and "}}" stand for literal braces. The copies keep the
// template's positions, each with an instance the reporter names in messages. Defaults are
// taken literally (no placeholders), and checked once, where they are written.
#include "parse/reporter.h"
#include "parse/yaml_tree.h"

namespace nstopo::parse {

// At most this many YAML nodes are made by expansion in all (the file's own are limited by
// the guard): a few ranges cannot make the reader run out of memory.
inline constexpr size_t kMaxExpandedNodes = 2'000'000;

struct ExpansionOutcome {
  // A namespace range was refused: the names it meant are unknown, so links naming them must
  // not be reported as naming unknown namespaces.
  bool some_namespace_lost = false;
  // A link range was refused: which interfaces its links meant is unknown.
  bool some_link_lost = false;
};

// `root` is the document (any node; only a map has templates).
ExpansionOutcome expand_templates(YamlNode& root, Reporter& reporter);

}  // namespace nstopo::parse
