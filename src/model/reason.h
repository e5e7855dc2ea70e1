#pragma once
// Why the planner plans an action, typed: `status`, undo and the renderers decide by the why,
// never by the wording, and the words are made only when an action is shown.
#include <cstdint>
#include <string>
#include <string_view>

namespace nstopo::model {

struct Reason {
  enum class Why : uint8_t {
    missing,        // declared, not there ("missing", or precisely: "not running")
    differs,        // there, not as declared; the detail says how ("mtu 1500 != 9000")
    not_declared,   // the lab's, no longer in the file
    adopted,        // someone else's, taken over with --adopt: only its ownership changes
    creation_step,  // a step of a creation planned in the same run
    undo,           // reverses an applied action after a failure; the detail names it
    bookkeeping,    // keeps the record of the host's values; no state of the object changes
  };

  Why why = Why::differs;
  std::string detail;          // the precise words, where the why alone does not say them
  bool also_adopted = false;   // differs, and taken over in the same step

  static Reason missing(std::string detail = {}) { return {Why::missing, std::move(detail)}; }
  static Reason differs(std::string detail) { return {Why::differs, std::move(detail)}; }
  static Reason not_declared(std::string detail = {}) {
    return {Why::not_declared, std::move(detail)};
  }
  static Reason adopted(std::string detail = {}) { return {Why::adopted, std::move(detail)}; }
  static Reason creation_step() { return {Why::creation_step, {}}; }
  static Reason undo(std::string of) { return {Why::undo, std::move(of)}; }
  static Reason bookkeeping(std::string detail) { return {Why::bookkeeping, std::move(detail)}; }

  // The plan's words: "missing", "mtu 1500 != 9000, adopted", "undo: veth host:a <-> ns:b".
  std::string text() const;
  // What `status` says of the object's state: ownership is not state, so an adoption's part is
  // left out; empty when ownership is all there is.
  std::string state_text() const;
};

std::string_view to_string(Reason::Why why);  // "missing", "not_declared", ... (for JSON)

}  // namespace nstopo::model
