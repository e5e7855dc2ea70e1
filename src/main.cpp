// nstopo: declarative network topology provisioner. The command line lives in src/cli/.
#include "cli/app.h"

int main(int argc, char** argv) { return nstopo::cli::main(argc, argv); }
