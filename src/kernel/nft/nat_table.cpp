#include "kernel/nft/nat_table.h"

#include <nftables/libnftables.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string_view>

#include <fmt/format.h>

#include "model/fault_points.h"
#include "model/nat.h"
#include "model/object_key.h"

namespace nstopo::kernel {

namespace {

// One libnftables context, its output and errors kept in buffers.
class NftContext {
 public:
  NftContext() : ctx_(nft_ctx_new(NFT_CTX_DEFAULT), &nft_ctx_free) {
    if (!ctx_) return;
    nft_ctx_buffer_output(ctx_.get());
    nft_ctx_buffer_error(ctx_.get());
  }
  bool ok() const { return ctx_ != nullptr; }

  struct Outcome {
    bool ok = false;
    std::string output;
    std::string error;  // libnftables' words: "Error: Could not process rule: ..."
  };
  Outcome run(const std::string& commands) {
    Outcome outcome;
    outcome.ok = nft_run_cmd_from_buffer(ctx_.get(), commands.c_str()) == 0;
    if (const char* out = nft_ctx_get_output_buffer(ctx_.get())) outcome.output = out;
    if (const char* err = nft_ctx_get_error_buffer(ctx_.get())) outcome.error = err;
    return outcome;
  }

 private:
  std::unique_ptr<nft_ctx, decltype(&nft_ctx_free)> ctx_;
};

// The first "Error: ..." line of libnftables' report, without the prefix: the kernel's
// words (nft prints the strerror of the errno the kernel answered), then the command it was
// about, which the caller names.
std::string first_error(const std::string& report) {
  auto at = report.find("Error: ");
  std::string_view rest = at == std::string::npos ? std::string_view(report)
                                                  : std::string_view(report).substr(at + 7);
  auto end = rest.find('\n');
  return std::string(rest.substr(0, end));
}

// The errno nft printed the words of, when it is one of those the kernel answers with.
int errno_of(std::string_view words) {
  for (int e : {ENOENT, EOPNOTSUPP, EPERM, EEXIST, EBUSY, EINVAL, ENOMEM, EAFNOSUPPORT,
                EPROTONOSUPPORT, ENOSPC, EACCES})
    if (words.find(std::strerror(e)) != std::string_view::npos) return e;
  return 0;
}

std::string table_spec(const std::string& lab) {
  return fmt::format("inet {}", model::nat_table_name(lab));
}

// The comment line that marks the table as the lab's, as nft lists it.
bool marked(const std::string& listing, const std::string& lab) {
  return listing.find(fmt::format("\n\tcomment \"{}\"\n", model::nat_table_mark(lab))) !=
         std::string::npos;
}

Result<void> refused(const NftContext::Outcome& outcome, std::string message,
                     const std::string& object) {
  std::string words = first_error(outcome.error);
  int e = errno_of(words);
  auto kind = e == EPERM || e == EACCES ? ErrorKind::permission
              : e == EOPNOTSUPP || e == EAFNOSUPPORT || e == EPROTONOSUPPORT
                  ? ErrorKind::unsupported
                  : ErrorKind::kernel;
  if (kind == ErrorKind::unsupported)
    message += " (the kernel lacks nf_tables NAT: modules nf_tables, nft_nat, nft_masq, nft_fib)";
  return fail(kind, std::move(message), object, e, words);
}

std::string object_of(const std::string& lab) {
  return model::ObjectKey{model::ObjectKind::nat, std::string(model::kHostNamespace),
                          model::nat_table_name(lab)}
      .to_string();
}

// Refuses to write over a table of the lab's name that the lab did not make (it appeared
// since the planner looked: the planner itself never plans that).
Result<void> still_ours_or_absent(NftContext& nft, const std::string& lab, const std::string& what) {
  auto listed = nft.run("list table " + table_spec(lab));
  if (!listed.ok) return {};  // none there (or unreadable: the write says why)
  if (marked(listed.output, lab)) return {};
  return fail(ErrorKind::conflict,
              fmt::format("failed to {} {}: a table of that name that lab {} did not make "
                          "appeared meanwhile; nothing written",
                          what, object_of(lab), lab),
              object_of(lab));
}

}  // namespace

NatTableRead read_nat_table(const std::string& lab) {
  NatTableRead read;
  NftContext nft;
  if (!nft.ok()) {
    read.unavailable = "libnftables could not make a context";
    return read;
  }
  auto listed = nft.run("list table " + table_spec(lab));
  if (listed.ok) {
    read.table = model::ObservedNatTable{marked(listed.output, lab), listed.output};
    return read;
  }
  std::string words = first_error(listed.error);
  if (errno_of(words) != ENOENT) read.unavailable = words;  // ENOENT: no such table
  return read;
}

Result<void> replace_nat_table(const std::string& lab, const std::string& ruleset) {
  std::string message = fmt::format("failed to write {}", object_of(lab));
  NftContext nft;
  if (!nft.ok()) return fail(ErrorKind::kernel, message + ": libnftables could not make a context", object_of(lab));
  if (auto ours = still_ours_or_absent(nft, lab, "write"); !ours) return ours;
  model::fault_point("nat table checked, not written");
  // One batch, one transaction: the table is declared (made if absent), deleted with all it
  // held, and made anew; the kernel commits all three or none.
  std::string spec = table_spec(lab);
  auto written = nft.run(fmt::format("add table {}\ndelete table {}\n{}", spec, spec, ruleset));
  if (!written.ok) return refused(written, std::move(message), object_of(lab));
  return {};
}

Result<void> delete_nat_table(const std::string& lab) {
  std::string message = fmt::format("failed to delete {}", object_of(lab));
  NftContext nft;
  if (!nft.ok()) return fail(ErrorKind::kernel, message + ": libnftables could not make a context", object_of(lab));
  auto listed = nft.run("list table " + table_spec(lab));
  if (!listed.ok) return {};  // gone already (or unreadable: nothing of ours to delete)
  if (!marked(listed.output, lab))
    return fail(ErrorKind::conflict,
                fmt::format("{}: the table there is not lab {}'s (its comment is not \"{}\"); "
                            "left alone",
                            message, lab, model::nat_table_mark(lab)),
                object_of(lab));
  auto deleted = nft.run("delete table " + table_spec(lab));
  if (!deleted.ok && errno_of(first_error(deleted.error)) != ENOENT)
    return refused(deleted, std::move(message), object_of(lab));
  return {};
}

}  // namespace nstopo::kernel
