#include "model/action.h"

namespace nstopo::model {

std::string CreateNameFile::describe() const {
  return fmt::format("file {}", object_key().to_string());
}

std::optional<Operation> CreateNameFile::inverse() const {
  return RemoveNameFile{ns, file, content};
}

std::string WriteNameFile::describe() const {
  return fmt::format("file {}", object_key().to_string());
}

std::optional<Operation> WriteNameFile::inverse() const {
  return WriteNameFile{ns, file, old_content, content};
}

std::string RemoveNameFile::describe() const {
  return fmt::format("file {}", object_key().to_string());
}

std::optional<Operation> RemoveNameFile::inverse() const {
  return CreateNameFile{ns, file, old_content};
}

}  // namespace nstopo::model
