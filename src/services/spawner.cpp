#include "services/spawner.h"

namespace nstopo::services {

ProcessSpec service_process_spec(const std::string& netns_dir, const std::string& ns,
                                 const model::Service& service) {
  return ProcessSpec{.label = fmt::format("{}/{}", ns, service.name),
                     .netns_dir = netns_dir,
                     .ns = ns,
                     .argv = service.command,
                     .env = service.env,
                     .cwd = service.cwd.value_or("/"),
                     .user = service.user};
}

}  // namespace nstopo::services
