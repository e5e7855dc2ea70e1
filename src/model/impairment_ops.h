#pragma once
// Actions on link impairments: the one root qdisc nstopo makes on an impaired interface
// (handle kImpairmentHandle), set in place with NLM_F_REPLACE and removed when no longer
// declared. The link is never touched: no flap, its addresses and routes stay.
#include "model/action_kind.h"
#include "model/impairment.h"

namespace nstopo::model {

struct SetImpairment {
  std::string ns, dev;
  QdiscSpec spec;
  // The lab's qdisc it replaces (its undo); nullopt when there was none of the lab's. A
  // replacement of another kind (tbf <-> netem) deletes the old one first: the kernel
  // changes a qdisc's settings in place, never its kind.
  std::optional<QdiscSpec> old;

  static constexpr Change change = Change::modify;
  static constexpr ExecutorFamily family = ExecutorFamily::rtnetlink;
  static constexpr bool groupable = false;
  int rank() const { return 62; }  // once its link exists and is up, before its addresses
  ObjectKey object_key() const { return {ObjectKind::impairment, ns, dev}; }
  std::string object() const { return at(ns, dev); }
  std::string describe() const;
  std::vector<std::string> namespaces_used() const { return {ns}; }
  std::optional<Operation> inverse() const;
};

// Deletes the lab's root qdisc of an interface that keeps no impairment (the kernel puts
// back its default). An interface being deleted takes its qdisc with it: no action.
struct ClearImpairment {
  std::string ns, dev;
  QdiscSpec old;  // for undo

  static constexpr Change change = Change::remove;
  static constexpr ExecutorFamily family = ExecutorFamily::rtnetlink;
  static constexpr bool groupable = false;
  int rank() const { return 15; }  // with the other deletions
  ObjectKey object_key() const { return {ObjectKind::impairment, ns, dev}; }
  std::string object() const { return at(ns, dev); }
  std::string describe() const;
  std::vector<std::string> namespaces_used() const { return {ns}; }
  std::optional<Operation> inverse() const;
};

}  // namespace nstopo::model
