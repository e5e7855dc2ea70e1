// nstopo: declarative network topology provisioner. The command line lives in src/cli/.
#include <cstring>

#include "cli/app.h"
#include "services/supervisor.h"

int main(int argc, char** argv) {
  // A service's supervisor is this same binary (services/supervisor.h): started by nstopo
  // itself, before any of the command line's machinery.
  if (argc > 1 && std::strcmp(argv[1], nstopo::services::kSuperviseCommand) == 0)
    return nstopo::services::supervisor_main(argc, argv);
  return nstopo::cli::main(argc, argv);
}
