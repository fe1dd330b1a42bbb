#include "conformance_run.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <ctime>
#include <set>

#include "base/time.hpp"
#include "runner/run_report.hpp"

namespace mynasim::harness {

namespace fs = std::filesystem;

namespace {

std::string utc_now() { return format_time(std::time(nullptr)); }

bool selected_by(const Case& c, const RunSelection& selection) {
    const auto& tags = c.scenario->tags;
    const bool tag_ok = selection.tags.empty() || std::any_of(selection.tags.begin(), selection.tags.end(), [&](const std::string& t) {
                            return std::find(tags.begin(), tags.end(), t) != tags.end();
                        });
    const bool id_ok = selection.id_glob.empty() || ::fnmatch(selection.id_glob.c_str(), c.id.c_str(), 0) == 0;
    return tag_ok && id_ok;
}

// K/N: the K-th of N shares, by position, so shards of one selection never overlap.
std::vector<Case> shard_of(std::vector<Case> cases, const std::string& shard) {
    const auto slash = shard.find('/');
    int k = 0, n = 0;
    try {
        k = std::stoi(shard.substr(0, slash));
        n = std::stoi(shard.substr(slash + 1));
    } catch (const std::exception&) {
    }
    if (slash == std::string::npos || n < 1 || k < 1 || k > n)
        throw SelectionError("--shard must be K/N with 1 <= K <= N, found '" + shard + "'");
    std::vector<Case> mine;
    for (std::size_t i = 0; i < cases.size(); ++i)
        if (static_cast<int>(i % static_cast<std::size_t>(n)) == k - 1) mine.push_back(std::move(cases[i]));
    return mine;
}

}  // namespace

RunPlan plan_run(const RunSelection& selection) {
    RunPlan plan;
    plan.shard = selection.shard;
    plan.context.profile_dir = selection.profile_dir;
    plan.context.requirements = load_requirements(selection.requirements);
    plan.scenarios = load_scenarios(selection.paths, plan.context);
    std::vector<Case> chosen;
    for (auto& c : expand(plan.scenarios, plan.context))
        if (selected_by(c, selection)) chosen.push_back(std::move(c));

    // The clients under test: the reference client, or ones described in YAML. With several, every case
    // runs once per client and its id says which ("…@name").
    for (const auto& name : selection.clients) {
        if (name == "reference") {
            plan.adapters.push_back(make_reference_client_adapter());
        } else if (fs::exists(name)) {
            plan.adapters.push_back(load_generic_client_adapter(name));  // a vendor's client, described in YAML
        } else {
            throw SelectionError("a client is 'reference' or a client adapter file (docs/client-adapter.md); no file '" + name + "'");
        }
        if (!plan.clients.emplace(plan.adapters.back()->name(), plan.adapters.back().get()).second)
            throw SelectionError("two clients are named '" + plan.adapters.back()->name() + "'");
    }
    // A scenario written for built-in clients (e.g. OpenSC's tools for card-level cases) uses those.
    auto built_in = [&](const std::string& name) -> const ClientAdapter* {
        if (plan.clients.count(name)) return plan.clients.at(name);
        plan.adapters.push_back(name == "opensc" ? make_opensc_adapter() : make_reference_client_adapter());
        plan.clients[name] = plan.adapters.back().get();
        return plan.adapters.back().get();
    };
    const std::size_t under_test = plan.adapters.size();
    for (const auto& c : chosen) {
        std::vector<const ClientAdapter*> clients;
        if (c.scenario->clients.empty())
            for (std::size_t a = 0; a < under_test; ++a) clients.push_back(plan.adapters[a].get());
        else
            for (const auto& name : c.scenario->clients) clients.push_back(built_in(name));
        for (const auto* adapter : clients) {
            Case copy = c;
            copy.client = adapter->name();
            if (clients.size() > 1) copy.id += "@" + adapter->name();
            copy.index = plan.cases.size();
            plan.cases.push_back(std::move(copy));
        }
    }
    if (!selection.shard.empty()) plan.cases = shard_of(std::move(plan.cases), selection.shard);
    return plan;
}

FinishedRun execute_run(const RunPlan& plan, const RunSettings& settings,
                        const std::function<void(const CaseResult&)>& on_done) {
    if (plan.cases.empty()) throw SelectionError("no case selected");
    RunnerSettings runner;
    runner.jobs = settings.jobs;
    runner.work_dir = settings.work_dir;
    runner.case_settings.mynasim_binary = settings.mynasim_binary;
    runner.case_settings.step_timeout = settings.step_timeout;
    runner.case_settings.context = &plan.context;

    RunIdentity identity;
    identity.suite_version = settings.suite_version;
    identity.started_at = utc_now();
    FinishedRun finished;
    finished.results = run_cases(plan.cases, plan.clients, runner, [&](CaseResult& r) {
        // A waiver turns a failure into "waived", with its reason; the failures stay in the report.
        if (r.verdict != Verdict::Pass)
            if (const auto* w = find_waiver(settings.waivers, r.test_case->id)) {
                r.verdict = Verdict::Waived;
                r.waiver = w->reason + " (" + w->where.str() + ")";
            }
        if (r.verdict == Verdict::Fail || r.verdict == Verdict::Error) ++finished.failed;
        if (on_done) on_done(r);
    });
    identity.finished_at = utc_now();
    std::error_code ignored;
    fs::remove_all(settings.work_dir, ignored);

    std::set<std::string> used;
    for (const auto& c : plan.cases) used.insert(c.client);
    for (const auto& adapter : plan.adapters) {
        if (!used.count(adapter->name())) continue;
        identity.client_name += (identity.client_name.empty() ? "" : ", ") + adapter->name();
        identity.client_identity += (identity.client_identity.empty() ? "" : "; ") + adapter->identity();
    }
    identity.shard = plan.shard;
    std::set<std::string> cited;
    for (const auto& c : plan.cases) cited.insert(c.scenario->requirements.begin(), c.scenario->requirements.end());
    for (const auto& r : plan.context.requirements)
        if (cited.count(r.id)) identity.requirements.push_back({{"id", r.id}, {"source", r.source}, {"text", r.text}});
    for (const auto& c : plan.cases) {
        identity.profile_files.push_back(resolve_profile(c.setup.profile, c.scenario->file, plan.context));
        if (!c.setup.dataset.empty()) identity.dataset_files.emplace_back(c.setup.dataset);
        for (const auto& s : c.steps)
            if (!s.profile.empty()) identity.profile_files.push_back(resolve_profile(s.profile, c.scenario->file, plan.context));
    }
    finished.report = build_report(identity, finished.results);
    nlohmann::json unused = nlohmann::json::array();
    for (const auto& w : settings.waivers)
        if (std::none_of(finished.results.begin(), finished.results.end(),
                         [&](const CaseResult& r) { return r.waiver.rfind(w.reason, 0) == 0; }))
            unused.push_back({{"id", w.id}, {"where", w.where.str()}});
    finished.report["waivers_unused"] = unused;
    return finished;
}

}  // namespace mynasim::harness
