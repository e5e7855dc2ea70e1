#pragma once
// The reporters: what the CLI shows of a run, one class per output format, each told the
// pipeline's typed events (apply::Reporter). Text is for people; JSON is one document on
// stdout at the end, for scripts. Another format (JUnit, a graph) is another class here.
#include <memory>

#include "apply/reporter.h"
#include "cli/commands.h"
#include "cli/terminal.h"

namespace nstopo::cli {

std::unique_ptr<apply::Reporter> make_text_reporter(TextStyle style);
// JSON or YAML: the same document (schemas/output.schema.json).
std::unique_ptr<apply::Reporter> make_document_reporter(OutputFormat format);

inline std::unique_ptr<apply::Reporter> make_reporter(OutputFormat output,
                                                      const GlobalOptions& global) {
  if (is_document(output)) return make_document_reporter(output);
  return make_text_reporter(text_style(global, terminal_facts()));
}

}  // namespace nstopo::cli
