#include "model/action.h"
#include "model/nat.h"

namespace nstopo::model {

namespace {
ObjectKey table_key(std::string_view lab) {
  return {ObjectKind::nat, std::string(kHostNamespace), nat_table_name(lab)};
}
}  // namespace

ObjectKey CreateNatTable::object_key() const { return table_key(lab); }
std::string CreateNatTable::object() const { return table_key(lab).to_string(); }
std::string CreateNatTable::describe() const {
  return summary.empty() ? object() : fmt::format("{}: {}", object(), summary);
}
std::optional<Operation> CreateNatTable::inverse() const { return DeleteNatTable{lab, ruleset}; }

ObjectKey ReplaceNatTable::object_key() const { return table_key(lab); }
std::string ReplaceNatTable::object() const { return table_key(lab).to_string(); }
std::string ReplaceNatTable::describe() const {
  return fmt::format("{}: {}", object(), summary.empty() ? "the rules it had before" : summary);
}
std::optional<Operation> ReplaceNatTable::inverse() const {
  return ReplaceNatTable{lab, previous, ruleset, {}};
}

ObjectKey DeleteNatTable::object_key() const { return table_key(lab); }
std::string DeleteNatTable::object() const { return table_key(lab).to_string(); }
std::string DeleteNatTable::describe() const { return table_key(lab).to_string(); }
std::optional<Operation> DeleteNatTable::inverse() const {
  return CreateNatTable{lab, previous, {}};
}

}  // namespace nstopo::model
