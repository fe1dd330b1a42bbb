#include "merge.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>

#include "reports/report_formats.hpp"

namespace mynasim::reports {

nlohmann::json count_verdicts(const nlohmann::json& cases) {
    nlohmann::json totals{{"cases", cases.size()}, {"pass", 0}, {"fail", 0}, {"error", 0}, {"waived", 0}};
    for (const auto& c : cases) {
        const std::string verdict = c.value("verdict", std::string("error"));
        totals[verdict] = totals.value(verdict, 0) + 1;
    }
    return totals;
}

nlohmann::json merge_reports(const std::vector<std::filesystem::path>& dirs) {
    if (dirs.empty()) throw std::runtime_error("nothing to merge");
    nlohmann::json merged;
    nlohmann::json cases = nlohmann::json::array();
    std::map<std::string, std::string> inputs;  // file -> sha256
    std::map<std::string, std::string> input_kinds;
    std::set<std::string> ids;
    for (const auto& dir : dirs) {
        const auto path = dir / report_format("json").file;
        std::ifstream in(path);
        if (!in) throw std::runtime_error(path.string() + ": cannot read");
        nlohmann::json report;
        try {
            report = nlohmann::json::parse(in);
        } catch (const nlohmann::json::exception& e) {
            throw std::runtime_error(path.string() + ": not JSON (" + e.what() + ")");
        }
        if (report.value("format", std::string()) != "mynasim-report/1") throw std::runtime_error(path.string() + ": not a mynasim report");
        if (merged.is_null()) {
            merged = report;
        } else {
            for (const char* key : {"suite_version"})
                if (report.value(key, std::string()) != merged.value(key, std::string()))
                    throw std::runtime_error(path.string() + ": another " + key + " (" + report.value(key, std::string()) + ")");
            if (report["client"] != merged["client"]) throw std::runtime_error(path.string() + ": another client");
            merged["started_at"] = std::min(merged.value("started_at", std::string()), report.value("started_at", std::string()));
            merged["finished_at"] = std::max(merged.value("finished_at", std::string()), report.value("finished_at", std::string()));
        }
        for (const auto& input : report.value("inputs", nlohmann::json::array())) {
            const std::string file = input.value("file", std::string()), sha = input.value("sha256", std::string());
            const auto [it, added] = inputs.emplace(file, sha);
            if (!added && it->second != sha) throw std::runtime_error(path.string() + ": " + file + " differs from another shard's");
            input_kinds[file] = input.value("kind", std::string());
        }
        for (const auto& r : report.value("requirements", nlohmann::json::array()))
            if (std::find(merged["requirements"].begin(), merged["requirements"].end(), r) == merged["requirements"].end())
                merged["requirements"].push_back(r);
        for (const auto& c : report.value("cases", nlohmann::json::array())) {
            if (!ids.insert(c.value("id", std::string())).second)
                throw std::runtime_error(path.string() + ": case " + c.value("id", std::string()) + " is also in another shard");
            cases.push_back(c);
        }
    }
    std::stable_sort(cases.begin(), cases.end(),
                     [](const nlohmann::json& a, const nlohmann::json& b) { return a.value("index", 0) < b.value("index", 0); });
    nlohmann::json input_list = nlohmann::json::array();
    for (const auto& [file, sha] : inputs) input_list.push_back({{"kind", input_kinds[file]}, {"file", file}, {"sha256", sha}});
    merged["inputs"] = input_list;
    merged["cases"] = cases;
    merged["totals"] = count_verdicts(cases);
    merged["shard"] = "merged from " + std::to_string(dirs.size());
    return merged;
}

}  // namespace mynasim::reports
