#pragma once
// Whole files in and out, with one error style: a FileError naming the path and the system's reason.
// Writing is atomic (temp file in the same folder, flushed to disk, renamed): a reader sees the old
// file or the whole new one, never a part.
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mynasim {

// "cannot read PATH: No such file or directory": what failed, where, and the system's reason.
class FileError : public std::runtime_error {
public:
    FileError(const std::string& what, std::filesystem::path path, std::string reason)
        : std::runtime_error(what + " " + path.string() + ": " + reason), path_(std::move(path)), reason_(std::move(reason)) {}
    const std::filesystem::path& path() const { return path_; }
    const std::string& reason() const { return reason_; }

private:
    std::filesystem::path path_;
    std::string reason_;
};

// The whole file. Throws FileError "cannot read PATH: reason".
std::string read_file(const std::filesystem::path& path);
// The same, or nullopt when there is no such file (any other failure still throws).
std::optional<std::string> read_file_if_exists(const std::filesystem::path& path);

// Writes `content` to `path` through ".NAME.tmp" in the same folder, fsync, rename. On failure the
// temp file is removed, the old file (if any) is untouched, and FileError says which step failed.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// The entry `name` in `folder` in whatever case it has there (shares made on Windows: `req`, `Req`,
// `REQ` are one folder), else folder/name.
std::filesystem::path child_in_any_case(const std::filesystem::path& folder, std::string_view name);

}  // namespace mynasim
