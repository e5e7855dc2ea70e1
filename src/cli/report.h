#pragma once
// The reporters: what the CLI shows of a run, one class per output format, each told the
// pipeline's typed events (apply::Reporter). Text is for people; JSON is one document on
// stdout at the end, for scripts. Another format (JUnit, a graph) is another class here.
#include <memory>

#include "apply/reporter.h"
#include "cli/commands.h"

namespace nstopo::cli {

std::unique_ptr<apply::Reporter> make_text_reporter();
std::unique_ptr<apply::Reporter> make_json_reporter();

inline std::unique_ptr<apply::Reporter> make_reporter(OutputFormat output) {
  switch (output) {
    case OutputFormat::text: return make_text_reporter();
    case OutputFormat::json: return make_json_reporter();
  }
  return make_text_reporter();
}

}  // namespace nstopo::cli
