// Name files (model/name_files.h): per namespace of the lab, its /etc/netns/NS/hosts and
// resolv.conf, and the lab's block in the host's /etc/hosts, compared by content. A file is
// the lab's by its first line (name_file_mark); one that is not is never overwritten or
// deleted: a conflict names it. The host's block is the lab's by its marker lines.
#include <map>
#include <utility>

#include "model/name_files.h"
#include "plan/diff_context.h"

namespace nstopo::plan {

namespace {

using FileKey = std::pair<std::string, std::string>;  // (namespace, file)

bool is_host_block(const FileKey& key) { return key.first == model::kHostNamespace; }

std::map<FileKey, std::string> wanted_files(const DiffContext& ctx) {
  std::map<FileKey, std::string> wanted;
  for (const auto& [name, ns] : ctx.desired.namespaces) {
    if (ctx.namespace_foreign(name)) continue;  // one conflict for the namespace already
    for (auto& [file, content] : model::desired_name_files(ctx.desired, ns))
      wanted.emplace(FileKey{name, file}, std::move(content));
  }
  if (auto block = model::desired_host_block(ctx.desired))
    wanted.emplace(FileKey{std::string(model::kHostNamespace), std::string(model::kHostsFile)},
                   std::move(*block));
  return wanted;
}

}  // namespace

void diff_name_files(DiffContext& ctx) {
  const std::string& lab = ctx.desired.name;
  auto wanted = wanted_files(ctx);
  model::ObjectKey host_key{model::ObjectKind::name_file, std::string(model::kHostNamespace),
                            std::string(model::kHostsFile)};
  // Markers that make no block: which lines are the lab's is unknown, so none is touched.
  bool host_refused = !ctx.observed.host_block_problem.empty();
  if (host_refused)
    ctx.conflict(host_key, fmt::format("{}; nothing is written to /etc/hosts until they make one "
                                       "block (or none)",
                                       ctx.observed.host_block_problem));

  for (const auto& [key, content] : wanted) {
    const auto& [ns, file] = key;
    model::ObjectKey object{model::ObjectKind::name_file, ns, file};
    if (is_host_block(key) && host_refused) continue;
    auto found = ctx.observed.name_files.find(key);
    if (found == ctx.observed.name_files.end()) {
      ctx.add(model::CreateNameFile{ns, file, content}, model::Reason::missing());
      continue;
    }
    const std::string& live = found->second;
    if (!is_host_block(key)) {
      auto owner = model::name_file_owner(live);
      if (owner != lab) {
        ctx.conflict(object,
                     fmt::format("{} exists and is not lab {}'s ({}); move it away, or delete it, "
                                 "for nstopo to write it",
                                 object.to_string(), lab,
                                 owner ? fmt::format("lab {} wrote it", *owner)
                                       : fmt::format("its first line is not '{}'",
                                                     model::name_file_mark(lab))));
        continue;
      }
    }
    if (live != content)
      ctx.add(model::WriteNameFile{ns, file, content, live},
              model::Reason::differs("edited outside nstopo, or the lab's names changed"));
  }

  // The lab's files no longer declared: its own only (by their mark), in namespaces that are
  // its own or going; the files of a foreign namespace are not the lab's business.
  for (const auto& [key, live] : ctx.observed.name_files) {
    if (wanted.contains(key)) continue;
    const auto& [ns, file] = key;
    if (is_host_block(key)) {
      if (!host_refused)
        ctx.add(model::RemoveNameFile{ns, file, live}, model::Reason::not_declared());
      continue;
    }
    if (ctx.namespace_foreign(ns) || model::name_file_owner(live) != lab) continue;
    ctx.add(model::RemoveNameFile{ns, file, live}, model::Reason::not_declared());
  }
}

}  // namespace nstopo::plan
