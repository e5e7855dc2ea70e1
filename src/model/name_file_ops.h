#pragma once
// Actions on the lab's name files (model/name_files.h): /etc/netns/NS/hosts and resolv.conf of
// a namespace, and in the host (ns "host", file "hosts") the lab's block in /etc/hosts.
#include "model/action_kind.h"

namespace nstopo::model {

// A missing file (or, in the host, block) made: written whole, atomically (temp file, fsync,
// rename), as WriteNameFile does.
struct CreateNameFile {
  std::string ns, file, content;

  static constexpr Change change = Change::create;
  static constexpr ExecutorFamily family = ExecutorFamily::files;
  static constexpr bool groupable = false;
  int rank() const { return 85; }  // as WriteNameFile
  ObjectKey object_key() const { return {ObjectKind::name_file, ns, file}; }
  std::string object() const { return object_key().to_string(); }
  std::string describe() const;
  std::vector<std::string> namespaces_used() const { return {}; }  // files, not the kernel's
  std::optional<Operation> inverse() const;
};

// The lab's file (or block) rewritten whole, atomically. `old_content`: what was there, for
// the undo.
struct WriteNameFile {
  std::string ns, file, content;
  std::string old_content;

  static constexpr Change change = Change::modify;
  static constexpr ExecutorFamily family = ExecutorFamily::files;
  static constexpr bool groupable = false;
  // Once the namespace exists, before services start (they may look a name up at once).
  int rank() const { return 85; }
  ObjectKey object_key() const { return {ObjectKind::name_file, ns, file}; }
  std::string object() const { return object_key().to_string(); }
  std::string describe() const;
  std::vector<std::string> namespaces_used() const { return {}; }  // files, not the kernel's
  std::optional<Operation> inverse() const;
};

// Deletes the file (and /etc/netns/NS when that leaves it empty), or the host's block.
struct RemoveNameFile {
  std::string ns, file;
  std::string old_content;  // for the undo

  static constexpr Change change = Change::remove;
  static constexpr ExecutorFamily family = ExecutorFamily::files;
  static constexpr bool groupable = false;
  // First of the deletes: before the namespaces go, and their records with them. A destroy
  // interrupted after a namespace is deleted would otherwise leave its files where no later
  // run looks (the record names the namespaces whose files are read).
  int rank() const { return 9; }
  ObjectKey object_key() const { return {ObjectKind::name_file, ns, file}; }
  std::string object() const { return object_key().to_string(); }
  std::string describe() const;
  std::vector<std::string> namespaces_used() const { return {}; }
  std::optional<Operation> inverse() const;
};

}  // namespace nstopo::model
