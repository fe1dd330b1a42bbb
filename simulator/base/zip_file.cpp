#include "zip_file.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

#include <fcntl.h>
#include <unistd.h>
#include <zip.h>

namespace mynasim {

namespace {

std::runtime_error zip_error(const std::string& what, const std::filesystem::path& path, const std::string& why) {
    return std::runtime_error(what + " " + path.string() + ": " + why);
}

std::string describe(int code) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    std::string text = zip_error_strerror(&error);
    zip_error_fini(&error);
    return text;
}

bool ends_with_any_case(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && std::equal(suffix.begin(), suffix.end(), text.end() - static_cast<std::ptrdiff_t>(suffix.size()),
                                                      [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); });
}

}  // namespace

void write_zip_atomically(const std::filesystem::path& path, std::string_view entry_name, std::string_view content) {
    const auto temporary = path.parent_path() / ("." + path.filename().string() + ".tmp");
    int code = 0;
    zip_t* archive = zip_open(temporary.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
    if (!archive) throw zip_error("cannot create", temporary, describe(code));
    // libzip reads the buffer when the archive is closed: `content` outlives zip_close below.
    zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
    if (!source || zip_file_add(archive, std::string(entry_name).c_str(), source, ZIP_FL_ENC_UTF_8) < 0) {
        const std::string why = zip_strerror(archive);
        if (source) zip_source_free(source);
        zip_discard(archive);
        throw zip_error("cannot add to", temporary, why);
    }
    if (zip_close(archive) != 0) {
        const std::string why = zip_strerror(archive);
        zip_discard(archive);
        ::unlink(temporary.c_str());
        throw zip_error("cannot write", temporary, why);
    }
    // zip_close wrote and closed the file; flush it before it takes the final name.
    const int fd = ::open(temporary.c_str(), O_RDONLY | O_CLOEXEC);
    const bool flushed = fd >= 0 && ::fsync(fd) == 0;
    if (fd >= 0) ::close(fd);
    if (!flushed || ::rename(temporary.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        throw zip_error("cannot flush or rename", path, std::strerror(error));
    }
}

std::optional<ZipEntry> read_zip_entry(const std::filesystem::path& path, std::string_view suffix) {
    int code = 0;
    zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
    if (!archive) {
        // Absent when opened (it may be there a moment later: a writer renames it in; the caller asks again).
        if (code == ZIP_ER_NOENT) return std::nullopt;
        std::error_code ec;
        if (code == ZIP_ER_OPEN && !std::filesystem::exists(path, ec)) return std::nullopt;
        throw zip_error("cannot read", path, describe(code));
    }
    const std::unique_ptr<zip_t, decltype(&zip_discard)> owner(archive, zip_discard);
    const zip_int64_t entries = zip_get_num_entries(archive, 0);
    for (zip_int64_t i = 0; i < entries; ++i) {
        zip_stat_t stat;
        if (zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &stat) != 0 || !(stat.valid & ZIP_STAT_NAME) || !(stat.valid & ZIP_STAT_SIZE))
            continue;
        if (!ends_with_any_case(stat.name, suffix)) continue;
        zip_file_t* file = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
        if (!file) throw zip_error("cannot open an entry of", path, zip_strerror(archive));
        ZipEntry entry{stat.name, std::string(static_cast<std::size_t>(stat.size), '\0')};
        const zip_int64_t n = zip_fread(file, entry.content.data(), stat.size);
        zip_fclose(file);
        if (n < 0 || static_cast<zip_uint64_t>(n) != stat.size) throw zip_error("cannot read an entry of", path, "short read");
        return entry;
    }
    throw zip_error("no entry ending in " + std::string(suffix) + " in", path, std::to_string(entries) + " entries");
}

}  // namespace mynasim
