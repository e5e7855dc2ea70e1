#pragma once
// Actions on named network namespaces.
#include "model/action_kind.h"

namespace nstopo::model {

struct CreateNamespace {
  std::string ns;
  static constexpr Change change = Change::create;
  static constexpr ExecutorFamily family = ExecutorFamily::rtnetlink;
  static constexpr bool groupable = true;  // each makes one new, empty namespace
  int rank() const { return 20; }
  ObjectKey object_key() const { return {ObjectKind::namespace_, ns, {}}; }
  std::string object() const { return ns; }
  std::string describe() const { return fmt::format("namespace {}", ns); }
  std::vector<std::string> namespaces_used() const { return {}; }
  std::optional<Operation> inverse() const;
};

struct DeleteNamespace {
  std::string ns;
  static constexpr Change change = Change::remove;
  static constexpr ExecutorFamily family = ExecutorFamily::rtnetlink;
  static constexpr bool groupable = true;  // each takes only what is inside it
  // Before links: a namespace takes its veths (and their peers) with it in one batch, in the
  // kernel's own cleanup.
  int rank() const { return 12; }
  ObjectKey object_key() const { return {ObjectKind::namespace_, ns, {}}; }
  std::string object() const { return ns; }
  std::string describe() const { return fmt::format("namespace {}", ns); }
  std::vector<std::string> namespaces_used() const { return {}; }
  // A deleted namespace cannot be brought back with what it held.
  std::optional<Operation> inverse() const;
};

}  // namespace nstopo::model
