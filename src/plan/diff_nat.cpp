// The lab's NAT table: made when NAT is declared and the host has no table of its name,
// replaced whole when its rules are not the declared ones (a hand edit is drift), deleted when
// no longer declared. A table of the lab's name without the lab's mark is someone else's:
// a conflict, never touched (with --adopt, taken over).
#include <algorithm>
#include <sstream>

#include "plan/diff_context.h"
#include "plan/nat_ruleset.h"

namespace nstopo::plan {

namespace {

// Each line of the table, trimmed, after the chain it is in: "prerouting: meta nfproto ...".
std::vector<std::string> rule_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string chain;
  for (std::string line; std::getline(in, line);) {
    auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    line = line.substr(first, line.find_last_not_of(" \t") + 1 - first);
    if (line.starts_with("chain ")) chain = line.substr(6, line.find(' ', 6) - 6);
    lines.push_back(chain.empty() ? line : chain + ": " + line);
  }
  return lines;
}

// How the live table differs, in a few words: the first declared line it lacks, or the first
// line it has that is not declared.
std::string how_it_differs(const std::string& live, const std::string& declared) {
  auto have = rule_lines(live), want = rule_lines(declared);
  for (const auto& line : want)
    if (std::find(have.begin(), have.end(), line) == have.end())
      return fmt::format("rules changed: lacks {}", line);
  for (const auto& line : have)
    if (std::find(want.begin(), want.end(), line) == want.end())
      return fmt::format("rules changed: has {}, not declared", line);
  return "rules changed: in another order";
}

}  // namespace

void diff_nat(DiffContext& ctx) {
  const std::string& lab = ctx.desired.name;
  auto declared = nat_ruleset(ctx.desired);
  const auto& live = ctx.observed.nat_table;
  model::ObjectKey key{model::ObjectKind::nat, std::string(model::kHostNamespace),
                       model::nat_table_name(lab)};
  if (declared && !ctx.observed.nftables_unavailable.empty()) {
    ctx.conflict(key, fmt::format("NAT needs nftables, which this host cannot give: {} (the kernel "
                                  "needs nf_tables with nft_nat and nft_masq)",
                                  ctx.observed.nftables_unavailable));
    return;
  }
  if (live && !live->marked) {
    if (!declared) return;  // not the lab's, and nothing asked of it
    if (ctx.options.adopt) {
      ctx.add(model::ReplaceNatTable{lab, *declared, live->ruleset, nat_summary(ctx.desired)},
              model::Reason::adopted("table made outside nstopo"));
      return;
    }
    ctx.conflict(key, fmt::format("the host has an nftables table inet {} that lab {} did not make "
                                  "(its comment is not \"{}\"); nstopo leaves it alone: delete or "
                                  "rename it, or pass --adopt to take it over",
                                  key.name, lab, model::nat_table_mark(lab)));
    return;
  }
  if (declared && !live) {
    ctx.add(model::CreateNatTable{lab, *declared, nat_summary(ctx.desired)}, model::Reason::missing());
  } else if (declared && !same_ruleset(live->ruleset, *declared)) {
    ctx.add(model::ReplaceNatTable{lab, *declared, live->ruleset, nat_summary(ctx.desired)},
            model::Reason::differs(how_it_differs(live->ruleset, *declared)));
  } else if (!declared && live) {
    ctx.add(model::DeleteNatTable{lab, live->ruleset}, model::Reason::not_declared());
  }
}

}  // namespace nstopo::plan
