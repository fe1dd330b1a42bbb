#pragma once
// The report formats, registered by name in one table (as Catch2 registers its reporters): each turns
// the run report (report.json's content) into the exact bytes of one file of a report folder. A new
// format is a writer file and a line in report_formats.cpp; the folder, its manifest and merge follow.
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace mynasim::reports {

struct ReportFormat {
    std::string_view name;  // "json", "junit", "html"
    std::string_view file;  // its file in a report folder
    std::string (*render)(const nlohmann::json& report);
};

// Every format, in the order a folder is written and its manifest lists them.
std::span<const ReportFormat> report_formats();

// The format registered as `name`. Throws std::out_of_range for a name not in the table.
const ReportFormat& report_format(std::string_view name);

}  // namespace mynasim::reports
