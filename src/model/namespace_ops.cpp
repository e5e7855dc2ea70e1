#include "model/action.h"

namespace nstopo::model {

std::optional<Operation> CreateNamespace::inverse() const { return DeleteNamespace{ns}; }
std::optional<Operation> DeleteNamespace::inverse() const { return std::nullopt; }

}  // namespace nstopo::model
