#include "model/reason.h"

namespace nstopo::model {

namespace {
std::string or_default(const std::string& detail, std::string_view word) {
  return detail.empty() ? std::string(word) : detail;
}
}  // namespace

std::string Reason::text() const {
  switch (why) {
    case Why::missing: return or_default(detail, "missing");
    case Why::differs: return also_adopted ? (detail.empty() ? "adopted" : detail + ", adopted") : detail;
    case Why::not_declared: return or_default(detail, "not declared");
    case Why::adopted: return detail.empty() ? "adopted" : "adopted: " + detail;
    case Why::creation_step: return "new link";
    case Why::undo: return "undo: " + detail;
    case Why::bookkeeping: return detail;
  }
  return detail;
}

std::string Reason::state_text() const {
  if (why == Why::adopted) return {};
  if (why == Why::differs) return detail;
  return text();
}

std::string_view to_string(Reason::Why why) {
  switch (why) {
    case Reason::Why::missing: return "missing";
    case Reason::Why::differs: return "differs";
    case Reason::Why::not_declared: return "not_declared";
    case Reason::Why::adopted: return "adopted";
    case Reason::Why::creation_step: return "creation_step";
    case Reason::Why::undo: return "undo";
    case Reason::Why::bookkeeping: return "bookkeeping";
  }
  return "differs";
}

}  // namespace nstopo::model
