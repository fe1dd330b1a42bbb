#pragma once
// ZIP files of one entry: the terminal may deliver a bulk result as OQS…02res_<id>.zip holding its XML
// (../shared/spec/oqs-files.md). libzip does the format; this says how the project uses it.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace mynasim {

// Writes a ZIP holding `entry_name` with `content` (deflated) to `path` atomically: built as .<name>.tmp in
// the same folder, flushed, renamed. Throws std::runtime_error naming the file.
void write_zip_atomically(const std::filesystem::path& path, std::string_view entry_name, std::string_view content);

struct ZipEntry {
    std::string name, content;
};
// The first entry of a ZIP file whose name ends with `suffix` (any case), or nullopt when the file is
// absent. Throws std::runtime_error naming the file when it is no ZIP or holds no such entry.
std::optional<ZipEntry> read_zip_entry(const std::filesystem::path& path, std::string_view suffix);

}  // namespace mynasim
