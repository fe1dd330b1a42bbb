#include "report_formats.hpp"

#include <stdexcept>

#include "reports/html_writer.hpp"
#include "reports/json_writer.hpp"
#include "reports/junit_writer.hpp"

namespace mynasim::reports {

namespace {

// report.json first: it is the report; the others are views of it.
constexpr ReportFormat formats[] = {
    {"json", "report.json", render_json},
    {"junit", "junit.xml", render_junit},
    {"html", "index.html", render_html},
};

}  // namespace

std::span<const ReportFormat> report_formats() { return formats; }

const ReportFormat& report_format(std::string_view name) {
    for (const auto& format : formats)
        if (format.name == name) return format;
    throw std::out_of_range("no report format named '" + std::string(name) + "'");
}

}  // namespace mynasim::reports
