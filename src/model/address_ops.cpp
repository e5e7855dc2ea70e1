#include "model/action.h"

namespace nstopo::model {

std::optional<Operation> AddAddress::inverse() const { return DeleteAddress{ns, dev, prefix}; }
std::optional<Operation> DeleteAddress::inverse() const { return AddAddress{ns, dev, prefix, true}; }

}  // namespace nstopo::model
