// The entry points: file -> text -> guard -> YAML tree -> reader -> resolver.
#include "parse/load.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "model/error.h"
#include "model/read_all.h"
#include "parse/check_segments.h"
#include "parse/expand.h"
#include "parse/guard.h"
#include "parse/names.h"
#include "parse/reader.h"
#include "parse/reporter.h"
#include "parse/resolve.h"
#include "parse/yaml_tree.h"

namespace nstopo::parse {
namespace {

constexpr size_t kMaxFileSize = 4 * 1024 * 1024;
constexpr std::string_view kByteOrderMark = "\xef\xbb\xbf";

std::string too_big(size_t size) {
  return fmt::format("file is {} bytes; nstopo reads at most 4 MiB ({} bytes)", size, kMaxFileSize);
}

std::string system_error(std::string_view what, int error_number) {
  return fmt::format("{}: {} ({})", what, std::strerror(error_number), errno_name(error_number));
}

std::optional<model::Topology> read_and_check(std::string_view text, Reporter& reporter) {
  if (text.size() > kMaxFileSize) {
    reporter.file_error(too_big(text.size()));
    return std::nullopt;
  }
  // Before the YAML parser sees the text: refuse what is too deep, too big or an alias bomb.
  if (auto hostile = find_hostile_input(text)) {
    reporter.error(hostile->at, hostile->message, hostile->hint);
    return std::nullopt;
  }
  auto document = parse_yaml(text);
  if (!document) {
    reporter.error(document.error().at, document.error().message);
    return std::nullopt;
  }
  if (!*document) {
    reporter.file_error("file is empty; a topology needs at least 'version: 1' and a 'name'");
    return std::nullopt;
  }
  auto expansion = expand_templates(**document, reporter);
  Declarations declarations = read_declarations(**document, reporter);
  declarations.some_namespace_lost = expansion.some_namespace_lost;
  if (expansion.some_link_lost) declarations.some_endpoint_unreadable = true;
  model::Topology topology = resolve(declarations, reporter);
  check_segments(declarations, reporter);
  topology.file = reporter.file();
  return topology;
}

// Reads at most kMaxFileSize + 1 bytes: enough to tell that a file (or a pipe, or a device
// without a size) is too big without reading all of it.
std::optional<std::string> read_file(const std::string& path, Reporter& reporter) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    reporter.file_error(system_error("cannot open file", errno));
    return std::nullopt;
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) == 0) {
    if (S_ISDIR(info.st_mode)) {
      reporter.file_error("cannot read file: it is a directory");
      return std::nullopt;
    }
    if (S_ISREG(info.st_mode) && static_cast<size_t>(info.st_size) > kMaxFileSize) {
      reporter.file_error(too_big(static_cast<size_t>(info.st_size)));
      return std::nullopt;
    }
  }
  std::string text;
  if (int e = model::read_to_end<64 * 1024>(fd, text, kMaxFileSize); e != 0) {
    reporter.file_error(system_error("cannot read file", e));
    return std::nullopt;
  }
  if (text.size() > kMaxFileSize) {
    reporter.file_error(
        fmt::format("file is more than 4 MiB; nstopo reads at most {} bytes", kMaxFileSize));
    return std::nullopt;
  }
  return text;
}

LoadResult finish(Reporter& reporter, std::optional<model::Topology> topology) {
  LoadResult result;
  result.diagnostics = reporter.take_sorted();
  if (result.diagnostics.empty()) result.topology = std::move(topology);
  return result;
}

}  // namespace

LoadResult load_topology_text(std::string_view text, const std::string& file_name) {
  // libyaml skips a UTF-8 byte order mark and counts positions after it; so does everything
  // else here. (UTF-16 and UTF-32 have NUL bytes, which the guard refuses.)
  if (text.starts_with(kByteOrderMark)) text.remove_prefix(kByteOrderMark.size());
  Reporter reporter(file_name, text);
  auto topology = read_and_check(text, reporter);
  return finish(reporter, std::move(topology));
}

std::optional<std::string> read_lab_name(const std::string& path) {
  Reporter file_reporter(path, {});
  auto text = read_file(path, file_reporter);
  if (!text) return std::nullopt;
  std::string_view view = *text;
  if (view.starts_with(kByteOrderMark)) view.remove_prefix(kByteOrderMark.size());
  if (find_hostile_input(view)) return std::nullopt;
  auto name = top_level_scalar(view, "name");
  if (!name || lab_name_problem(*name)) return std::nullopt;
  return name;
}

LoadResult load_topology_file(const std::string& path) {
  Reporter file_reporter(path, {});
  auto text = read_file(path, file_reporter);
  if (!text) return finish(file_reporter, std::nullopt);
  return load_topology_text(*text, path);
}

}  // namespace nstopo::parse
