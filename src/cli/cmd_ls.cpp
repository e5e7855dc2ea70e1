// nstopo ls: every lab on this machine, from the records in the state directory: its file,
// its namespaces, its services, and whether it still matches the file (the diff `status`
// makes: apply::snapshot).
//
// Read-only, and it takes no lock, like status: a record is replaced atomically (rename), so
// a reader sees the one before or the one after, never half of one; a lab removed meanwhile
// is left out. It never waits for an apply running, and never writes (no lock file made).
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "apply/status.h"
#include "cli/machine_selection.h"
#include "model/machines.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/lab_session.h"
#include "cli/render.h"
#include "parse/load.h"
#include "state/state_store.h"

namespace nstopo::cli {

namespace {

// One lab as ls shows it.
struct LabRow {
  std::string lab;
  std::string file;
  std::string file_state = "ok";  // ok, none, missing, unreadable, invalid, other_lab
  size_t namespaces = 0, namespaces_present = 0;
  size_t services = 0, services_running = 0;
  std::string state;   // in_sync, drifted, unknown
  std::string detail;  // why unknown, or how it drifted
  std::optional<plan::StatusTotals> totals;
  std::vector<plan::StatusEntry> drifted;  // the entries not present
};

std::string counts_text(const plan::StatusTotals& t) {
  std::vector<std::string> parts;
  if (t.missing) parts.push_back(fmt::format("{} missing", t.missing));
  if (t.drifted) parts.push_back(fmt::format("{} drifted", t.drifted));
  if (t.conflict) parts.push_back(fmt::format("{} in conflict", t.conflict));
  return fmt::format("{}", fmt::join(parts, ", "));
}

// How the lab compares with its file, filled into `row` (the file may be gone or broken:
// that is said, never an error of ls).
void compare_with_file(LabRow& row, LabSession& session) {
  row.state = "unknown";
  if (row.file.empty()) {
    row.file_state = "none";
    row.detail = "no file on record";
    return;
  }
  std::error_code ec;
  if (!std::filesystem::exists(row.file, ec)) {
    row.file_state = ec ? "unreadable" : "missing";
    row.detail = ec ? fmt::format("file unreadable: {}", ec.message()) : "file is gone";
    return;
  }
  if (::access(row.file.c_str(), R_OK) != 0) {
    row.file_state = "unreadable";
    row.detail = fmt::format("file unreadable: {}", std::strerror(errno));
    return;
  }
  auto loaded = parse::load_topology_file(row.file);
  if (!loaded.ok()) {
    row.file_state = "invalid";
    row.detail = fmt::format("file does not validate ({} error{}: nstopo validate {})",
                             loaded.diagnostics.size(), loaded.diagnostics.size() == 1 ? "" : "s",
                             row.file);
    return;
  }
  if (loaded.topology->name != row.lab) {
    row.file_state = "other_lab";
    row.detail = fmt::format("file now declares lab {}", loaded.topology->name);
    return;
  }
  if (!loaded.topology->machines.empty()) {
    // A lab on several machines: this machine's share is what it holds.
    auto machine = this_machine(*loaded.topology);
    if (!machine) {
      row.detail = "a lab on several machines, and this machine is none of them (or several): "
                   "nstopo status --host NAME " + row.file;
      return;
    }
    *loaded.topology = model::share(*loaded.topology, *machine);
  }
  auto seen = apply::snapshot(*loaded.topology, session);
  if (!seen) {
    row.detail = fmt::format("cannot observe: {}", seen.error().message);
    return;
  }
  row.totals = seen->totals;
  for (auto& e : seen->entries)
    if (e.state != plan::LiveState::present) row.drifted.push_back(e);
  bool drifted = seen->totals.missing + seen->totals.drifted + seen->totals.conflict > 0;
  row.state = drifted ? "drifted" : "in_sync";
  if (drifted) row.detail = counts_text(seen->totals);
}

// The lab's row; an error only without the privileges to look at any lab (a record that
// cannot be read is said in its row).
Result<LabRow> survey(const GlobalOptions& global, const std::string& lab) {
  LabRow row{.lab = lab};
  auto session = LabSession::open(global, lab, /*lock=*/false, /*no_wait=*/false);
  if (!session && session.error().kind == ErrorKind::permission)
    return std::unexpected(session.error());
  if (!session) {
    row.state = "unknown";
    row.file_state = "unreadable";
    row.detail = fmt::format("record unreadable: {}", session.error().describe());
    return row;
  }
  const auto& state = (*session)->state();
  row.file = state.topology_file;
  row.namespaces = state.namespaces.size();
  for (const auto& ns : state.namespaces)
    if (std::error_code ec; std::filesystem::exists(global.netns_dir + "/" + ns, ec))
      ++row.namespaces_present;
  row.services = state.services.size();
  for (const auto& service : (*session)->services().observe())
    if (service.running) ++row.services_running;
  compare_with_file(row, **session);
  return row;
}

nlohmann::json row_json(const LabRow& row) {
  nlohmann::json j{{"kind", "lab"},
                   {"namespace", ""},
                   {"name", row.lab},
                   {"file", row.file},
                   {"file_state", row.file_state},
                   {"namespaces", {{"recorded", row.namespaces}, {"present", row.namespaces_present}}},
                   {"services", {{"recorded", row.services}, {"running", row.services_running}}},
                   {"state", row.state}};
  if (!row.detail.empty()) j["detail"] = row.detail;
  if (row.totals)
    j["summary"] = {{"present", row.totals->present},
                    {"missing", row.totals->missing},
                    {"drifted", row.totals->drifted},
                    {"conflict", row.totals->conflict}};
  auto objects = nlohmann::json::array();
  for (const auto& e : row.drifted) {
    nlohmann::json o{{"kind", e.kind},
                     {"namespace", e.key.ns},
                     {"name", e.key.name.empty() ? e.key.ns : e.key.name},
                     {"object", e.object},
                     {"state", plan::to_string(e.state)}};
    if (!e.detail.empty()) o["detail"] = e.detail;
    objects.push_back(o);
  }
  if (row.totals) j["not_present"] = objects;
  return j;
}

void print_text(const std::vector<LabRow>& rows, const std::string& state_dir) {
  if (rows.empty()) {
    std::printf("No labs on this machine (no records in %s).\n", state_dir.c_str());
    return;
  }
  size_t lab_width = 3, file_width = 4;
  for (const auto& r : rows) {
    lab_width = std::max(lab_width, r.lab.size());
    file_width = std::max(file_width, r.file.size());
  }
  std::string out = fmt::format("{:<{}}  {:<{}}  {:<10}  {:<8}  {}\n", "LAB", lab_width, "FILE",
                                file_width, "NAMESPACES", "SERVICES", "STATE");
  for (const auto& r : rows) {
    std::string state = r.state == "in_sync"   ? "in sync"
                        : r.state == "drifted" ? "drifted: " + r.detail
                                               : r.detail;
    out += fmt::format("{:<{}}  {:<{}}  {:<10}  {:<8}  {}\n", r.lab, lab_width,
                       r.file.empty() ? "-" : r.file, file_width,
                       fmt::format("{}/{}", r.namespaces_present, r.namespaces),
                       fmt::format("{}/{}", r.services_running, r.services), state);
  }
  out += "(NAMESPACES: present/recorded, SERVICES: running/recorded)\n";
  std::fputs(out.c_str(), stdout);
}

}  // namespace

int run_ls(const GlobalOptions& global, const LsArgs& args) {
  // The records are root's (0700): a user who cannot read them must not be told "no labs".
  struct stat st {};
  if (::stat(global.state_dir.c_str(), &st) == 0 && ::access(global.state_dir.c_str(), R_OK | X_OK) != 0) {
    Error error{ErrorKind::permission,
                fmt::format("cannot read the lab records in {}", global.state_dir),
                global.state_dir, errno};
    error.notes.push_back("the lab's records are root's: run it with sudo");
    print_error("ls", error, args.output);
    return exit_code(ExitCode::permission);
  }
  state::StateStore store(global.state_dir);
  std::vector<LabRow> rows;
  for (const auto& lab : store.labs()) {
    if (!store.has_record(lab)) continue;
    auto row = survey(global, lab);
    if (!row) {
      print_error("ls", row.error(), args.output);
      return exit_code(exit_code_for(row.error()));
    }
    rows.push_back(std::move(*row));
  }

  if (is_document(args.output)) {
    auto doc = document("ls");
    doc["state_dir"] = global.state_dir;
    doc["labs"] = nlohmann::json::array();
    for (const auto& row : rows) doc["labs"].push_back(row_json(row));
    print_document(doc, args.output);
  } else {
    print_text(rows, global.state_dir);
  }
  return exit_code(ExitCode::ok);
}

}  // namespace nstopo::cli
