#include "run_report.hpp"

#include <cstdlib>
#include <map>
#include <set>

#include <sys/utsname.h>

#include "base/file_io.hpp"
#include "crypto/digest.hpp"

namespace mynasim::harness {

namespace {

std::string file_sha256(const std::filesystem::path& path) {
    return crypto::sha256_hex(read_file(path));
}

nlohmann::json environment() {
    utsname name{};
    ::uname(&name);
    return {{"system", std::string(name.sysname) + " " + name.release}, {"machine", name.machine},
            {"ci", std::getenv("CI") ? std::getenv("CI") : ""}};
}

}  // namespace

nlohmann::json build_report(const RunIdentity& identity, const std::vector<CaseResult>& results) {
    nlohmann::json report;
    report["format"] = "mynasim-report/1";
    report["suite_version"] = identity.suite_version;
    report["started_at"] = identity.started_at;
    report["finished_at"] = identity.finished_at;
    report["shard"] = identity.shard;
    report["client"] = {{"name", identity.client_name}, {"identity", identity.client_identity}};
    report["environment"] = environment();
    std::map<std::string, std::string> scenarios;
    for (const auto& r : results) scenarios[r.test_case->scenario->file] = r.test_case->scenario->sha256;
    nlohmann::json files = nlohmann::json::array();
    for (const auto& [file, sha] : scenarios) files.push_back({{"kind", "scenario"}, {"file", file}, {"sha256", sha}});
    std::set<std::string> profiles;
    for (const auto& p : identity.profile_files) profiles.insert(p.string());
    for (const auto& p : profiles) files.push_back({{"kind", "profile"}, {"file", p}, {"sha256", file_sha256(p)}});
    std::set<std::string> datasets;
    for (const auto& d : identity.dataset_files) datasets.insert(d.string());
    for (const auto& d : datasets) files.push_back({{"kind", "dataset"}, {"file", d}, {"sha256", file_sha256(d)}});
    report["inputs"] = files;

    nlohmann::json totals{{"cases", results.size()}, {"pass", 0}, {"fail", 0}, {"error", 0}, {"waived", 0}};
    nlohmann::json cases = nlohmann::json::array();
    for (const auto& r : results) {
        const auto& c = *r.test_case;
        totals[verdict_name(r.verdict)] = totals[verdict_name(r.verdict)].get<int>() + 1;
        nlohmann::json parameters = nlohmann::json::object();
        for (const auto& [k, v] : c.parameters) parameters[k] = v;
        nlohmann::json failures = nlohmann::json::array();
        for (const auto& f : r.failures)
            failures.push_back({{"step", f.step}, {"expectation", f.expectation}, {"expected", f.expected}, {"actual", f.actual}, {"where", f.where}});
        nlohmann::json steps = nlohmann::json::array();
        for (const auto& s : r.steps)
            steps.push_back({{"action", s.action}, {"exit_code", s.exit_code}, {"duration_ms", s.duration.count()}, {"output", s.output}});
        cases.push_back({{"id", c.id},
                         {"index", c.index},
                         {"scenario", c.scenario->id},
                         {"title", c.scenario->title},
                         {"file", c.scenario->file},
                         {"requirements", c.scenario->requirements},
                         {"tags", c.scenario->tags},
                         {"parameters", parameters},
                         {"profile", c.setup.profile},
                         {"client", r.client},
                         {"verdict", verdict_name(r.verdict)},
                         {"error", r.error},
                         {"waiver", r.waiver},
                         {"duration_ms", r.duration.count()},
                         {"failures", failures},
                         {"steps", steps},
                         {"evidence", {{"apdus", r.apdus}, {"journal", r.journal}}}});
    }
    report["totals"] = totals;
    report["requirements"] = identity.requirements;
    report["cases"] = cases;
    return report;
}

}  // namespace mynasim::harness
