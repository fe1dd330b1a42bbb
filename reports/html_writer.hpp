#pragma once
// index.html from the run report: one self-contained page (no external file) with the summary, the
// matrix of cases with filters, requirement traceability, and each case's detail: failed expectations
// (expected vs actual), steps, decoded APDU trace and server exchanges.
#include <string>

#include <nlohmann/json.hpp>

namespace mynasim::reports {

std::string render_html(const nlohmann::json& report);

}  // namespace mynasim::reports
