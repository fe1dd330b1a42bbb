#include "report_folder.hpp"

#include "reports/html_writer.hpp"
#include "reports/junit_writer.hpp"
#include "reports/json_writer.hpp"

namespace mynasim::reports {

std::vector<std::string> write_report_folder(const nlohmann::json& report, const std::filesystem::path& dir, const SigningKey& key) {
    std::filesystem::create_directories(dir);
    // A folder holds one report: files of an earlier one would not be in the new manifest.
    for (const char* stale : {"report.json", "junit.xml", "index.html", "manifest.json", "manifest.sig"})
        std::filesystem::remove(dir / stale);
    write_json_report(report, dir);
    write_junit(report, dir);
    write_html(report, dir);
    const std::vector<std::string> files{"report.json", "junit.xml", "index.html"};
    write_manifest(dir, files, key);
    return files;
}

}  // namespace mynasim::reports
