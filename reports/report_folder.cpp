#include "report_folder.hpp"

#include "base/file_io.hpp"
#include "reports/report_formats.hpp"

namespace mynasim::reports {

std::vector<std::string> write_report_folder(const nlohmann::json& report, const std::filesystem::path& dir, const SigningKey& key) {
    std::filesystem::create_directories(dir);
    // A folder holds one report: files of an earlier one would not be in the new manifest.
    for (const auto& format : report_formats()) std::filesystem::remove(dir / format.file);
    std::filesystem::remove(dir / manifest_file);
    std::filesystem::remove(dir / signature_file);
    std::vector<std::string> files;
    for (const auto& format : report_formats()) {
        write_file_atomically(dir / format.file, format.render(report));
        files.emplace_back(format.file);
    }
    write_manifest(dir, files, key);
    return files;
}

}  // namespace mynasim::reports
