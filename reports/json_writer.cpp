#include "json_writer.hpp"

namespace mynasim::reports {

std::string render_json(const nlohmann::json& report) { return report.dump(2) + "\n"; }

}  // namespace mynasim::reports
