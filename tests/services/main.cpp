// The services tests start real services through ProcessSpawner, whose supervisor is
// "/proc/self/exe __supervise ...": this binary, so it answers that line as nstopo does.
// Every other run touches the kernel, so it happens only inside the sandbox.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "services/supervisor.h"

int main(int argc, char** argv) {
  // The supervisor runs with the service's clean environment: answer it before the guard.
  if (argc > 1 && std::strcmp(argv[1], nstopo::services::kSuperviseCommand) == 0)
    return nstopo::services::supervisor_main(argc, argv);
  const char* inside = std::getenv("NSTOPO_IN_SANDBOX");
  if (inside == nullptr || std::strcmp(inside, "1") != 0) {
    std::fprintf(stderr,
                 "nstopo_services_tests touch the kernel: run them as "
                 "tests/integration/sandbox.sh build/tests/nstopo_services_tests\n");
    return 77;
  }
  return doctest::Context(argc, argv).run();
}
