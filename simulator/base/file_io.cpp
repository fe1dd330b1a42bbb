#include "file_io.hpp"

#include <algorithm>
#include <cctype>

#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

namespace mynasim {

namespace fs = std::filesystem;

namespace {

FileError system_error(const std::string& what, const fs::path& path, int error) {
    return FileError(what, path, std::strerror(error));
}

// Closes on every path out, keeping errno of the failure that matters.
class Descriptor {
public:
    explicit Descriptor(int fd) : fd_(fd) {}
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    ~Descriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }

private:
    int fd_;
};

std::optional<std::string> read_all(const fs::path& path, bool missing_is_empty) {
    Descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        if (missing_is_empty && errno == ENOENT) return std::nullopt;
        throw system_error("cannot read", path, errno);
    }
    std::string content;
    char buffer[65536];
    for (;;) {  // until end of file: /proc files say size 0, and a file may grow while read
        const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw system_error("cannot read", path, errno);
        if (n == 0) return content;
        content.append(buffer, static_cast<std::size_t>(n));
    }
}

}  // namespace

std::string read_file(const fs::path& path) { return *read_all(path, false); }

std::optional<std::string> read_file_if_exists(const fs::path& path) { return read_all(path, true); }

void write_file_atomically(const fs::path& path, std::string_view content) {
    const fs::path temporary = path.parent_path() / ("." + path.filename().string() + ".tmp");
    Descriptor fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (fd.get() < 0) throw system_error("cannot create", temporary, errno);
    const auto fail = [&](const std::string& what, const fs::path& where) {
        const int error = errno;
        ::unlink(temporary.c_str());
        throw system_error(what, where, error);
    };
    std::size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd.get(), content.data() + written, content.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail("cannot write", temporary);
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0 || ::close(fd.release()) != 0) fail("cannot flush", temporary);
    if (::rename(temporary.c_str(), path.c_str()) != 0) fail("cannot rename into", path);
}

std::filesystem::path child_in_any_case(const std::filesystem::path& folder, std::string_view name) {
    const auto same = [&](const std::string& found) {
        return found.size() == name.size() && std::equal(found.begin(), found.end(), name.begin(), [](char a, char b) {
                   return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
               });
    };
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec))
        if (same(entry.path().filename().string())) return entry.path();
    return folder / std::string(name);
}

}  // namespace mynasim
