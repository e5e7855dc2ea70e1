#pragma once
// Actions on sysctls: a namespace's own, and the host's, whose values the lab records so that
// destroy and prune can give them back.
#include "model/action_kind.h"
#include "model/sysctl_coupling.h"
#include "model/topology.h"

namespace nstopo::model {

// With `record_original` (host sysctls only), the lab's record of the key is written before
// the value: {record_original, value} (see ObservedState::host_sysctl_records), so that a
// later destroy or prune can give the host its value back.
struct SetSysctl {
  std::string ns, key, value;
  std::optional<std::string> old_value;
  std::optional<std::string> record_original;

  static constexpr Change change = Change::modify;
  static constexpr ExecutorFamily family = ExecutorFamily::files;
  static constexpr bool groupable = false;
  // Once everything in the namespace is in place. Keys that fan out (net.ipv4.ip_forward
  // rewrites every interface's forwarding) before conf.all.*, conf.default.* and per-interface
  // keys, so that a key written later is never overwritten by one written before it.
  int rank() const { return 90 + sysctl_write_order(key); }
  ObjectKey object_key() const { return {ObjectKind::sysctl, ns, key}; }
  std::string object() const { return at(ns, key); }
  std::string describe() const { return fmt::format("sysctl {} {} = {}", ns, key, value); }
  std::vector<std::string> namespaces_used() const { return {ns}; }
  std::optional<Operation> inverse() const;
};

// A host sysctl the lab recorded and no longer declares (pruned, or the lab destroyed).
//   restore:  write `original` back, then drop the record;
//   leave:    the live value (`live`) is no longer the one the lab set (changed outside
//             nstopo) or the key is gone with its interface: drop the record, write nothing;
//   remember: record {original, lab_value} and write nothing: before a write that fans out
//             (net.ipv4.ip_forward) rewrites the key, and as the undo of a leave.
struct RestoreSysctl {
  enum class Mode { restore, leave, remember };
  std::string key;
  std::string original;   // the host's value before the lab's first change
  std::string lab_value;  // the value the lab set
  Mode mode = Mode::restore;
  std::string live;       // leave: the value the key is left at (for the message)

  static constexpr Change change = Change::modify;
  static constexpr ExecutorFamily family = ExecutorFamily::files;
  static constexpr bool groupable = false;
  // A record kept before a fan-out write rewrites the key: before every write.
  int rank() const { return mode == Mode::remember ? 89 : 90 + sysctl_write_order(key); }
  ObjectKey object_key() const { return {ObjectKind::sysctl, std::string(kHostNamespace), key}; }
  std::string object() const { return at(kHostNamespace, key); }
  std::string describe() const;
  std::vector<std::string> namespaces_used() const { return {}; }
  std::optional<Operation> inverse() const;
};

}  // namespace nstopo::model
