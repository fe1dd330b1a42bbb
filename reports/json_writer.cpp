#include "json_writer.hpp"

#include <fstream>
#include <stdexcept>

namespace mynasim::reports {

void write_json_report(const nlohmann::json& report, const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    const auto path = dir / "report.json";
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << report.dump(2) << "\n";
    if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace mynasim::reports
