// mynasim run: load scenarios, expand the matrix, run the cases against a client, write the reports.
#include <fnmatch.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <iostream>
#include <set>

#include "cli/commands.hpp"
#include "reports/report_folder.hpp"
#include "reports/run_report.hpp"
#include "runner/runner.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/waivers.hpp"

namespace mynasim::cli {

namespace {

namespace fs = std::filesystem;

struct RunCommandOptions {
    std::vector<std::string> paths;
    std::vector<std::string> clients{"reference"};
    int jobs = 1;
    std::vector<std::string> tags;
    std::string id_glob;
    std::string shard;
    std::string out = "out/report";
    bool list = false;
    unsigned step_timeout_ms = 60000;
    std::string profile_dir = MYNASIM_DEFAULT_PROFILE_DIR;
    std::string requirements;
    std::string sign_key, waivers;
};

std::string utc_now() {
    char text[32];
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

std::string self_binary() {
    std::error_code ec;
    const auto path = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string("mynasim") : path.string();
}

int run(const RunCommandOptions& o) {
    std::vector<fs::path> paths(o.paths.begin(), o.paths.end());
    if (paths.empty()) paths.emplace_back(MYNASIM_DEFAULT_SCENARIO_DIR);
    harness::ScenarioContext context;
    context.profile_dir = o.profile_dir;
    const fs::path requirements = o.requirements.empty() ? fs::path(MYNASIM_DEFAULT_SCENARIO_DIR) / "requirements.txt" : fs::path(o.requirements);
    context.requirements = harness::load_requirements(requirements);
    const auto scenarios = harness::load_scenarios(paths, context);
    auto cases = harness::expand(scenarios, context);

    // Selection: tags, id pattern, then the shard (by position, so shards of one selection never overlap).
    std::vector<harness::Case> selected;
    for (auto& c : cases) {
        const auto& tags = c.scenario->tags;
        const bool tag_ok = o.tags.empty() || std::any_of(o.tags.begin(), o.tags.end(), [&](const std::string& t) {
                                return std::find(tags.begin(), tags.end(), t) != tags.end();
                            });
        const bool id_ok = o.id_glob.empty() || ::fnmatch(o.id_glob.c_str(), c.id.c_str(), 0) == 0;
        if (tag_ok && id_ok) selected.push_back(std::move(c));
    }

    // The clients under test: the reference client, or ones described in YAML. With several, every case
    // runs once per client and its id says which ("…@name").
    std::vector<std::unique_ptr<harness::ClientAdapter>> adapters;
    std::map<std::string, const harness::ClientAdapter*> by_name;
    for (const auto& name : o.clients) {
        if (name == "reference") {
            adapters.push_back(harness::make_reference_client_adapter());
        } else if (fs::exists(name)) {
            adapters.push_back(harness::load_generic_client_adapter(name));  // a vendor's client, described in YAML
        } else {
            std::cerr << "mynasim run: --client is 'reference' or a client adapter file (docs/client-adapter.md); no file '" << name << "'\n";
            return exit_usage;
        }
        if (!by_name.emplace(adapters.back()->name(), adapters.back().get()).second) {
            std::cerr << "mynasim run: two clients are named '" << adapters.back()->name() << "'\n";
            return exit_usage;
        }
    }
    {
        // A scenario written for built-in clients (e.g. OpenSC's tools for card-level cases) uses those.
        auto built_in = [&](const std::string& name) -> const harness::ClientAdapter* {
            if (by_name.count(name)) return by_name.at(name);
            adapters.push_back(name == "opensc" ? harness::make_opensc_adapter() : harness::make_reference_client_adapter());
            by_name[name] = adapters.back().get();
            return adapters.back().get();
        };
        const std::size_t chosen = adapters.size();
        std::vector<harness::Case> per_client;
        for (const auto& c : selected) {
            std::vector<const harness::ClientAdapter*> clients;
            if (c.scenario->clients.empty())
                for (std::size_t a = 0; a < chosen; ++a) clients.push_back(adapters[a].get());
            else
                for (const auto& name : c.scenario->clients) clients.push_back(built_in(name));
            for (const auto* adapter : clients) {
                harness::Case copy = c;
                copy.client = adapter->name();
                if (clients.size() > 1) copy.id += "@" + adapter->name();
                copy.index = per_client.size();
                per_client.push_back(std::move(copy));
            }
        }
        selected = std::move(per_client);
    }
    if (!o.shard.empty()) {
        const auto slash = o.shard.find('/');
        int k = 0, n = 0;
        try {
            k = std::stoi(o.shard.substr(0, slash));
            n = std::stoi(o.shard.substr(slash + 1));
        } catch (const std::exception&) {
        }
        if (slash == std::string::npos || n < 1 || k < 1 || k > n) {
            std::cerr << "mynasim run: --shard must be K/N with 1 <= K <= N, found '" << o.shard << "'\n";
            return exit_usage;
        }
        std::vector<harness::Case> mine;
        for (std::size_t i = 0; i < selected.size(); ++i)
            if (static_cast<int>(i % static_cast<std::size_t>(n)) == k - 1) mine.push_back(std::move(selected[i]));
        selected = std::move(mine);
    }
    if (o.list) {
        for (const auto& c : selected) {
            std::string requirements_text;
            for (const auto& r : c.scenario->requirements) requirements_text += (requirements_text.empty() ? "" : ",") + r;
            std::cout << c.id << "  [" << requirements_text << "]  " << c.scenario->title << "\n";
        }
        std::cout << selected.size() << " cases from " << scenarios.size() << " scenarios\n";
        return exit_ok;
    }
    if (selected.empty()) {
        std::cerr << "mynasim run: no case selected\n";
        return exit_usage;
    }
    const auto waivers = o.waivers.empty() ? std::vector<harness::Waiver>{} : harness::load_waivers(o.waivers);
    const auto signing_key = reports::load_or_generate_signing_key(o.sign_key);
    std::string client_names, client_identities;
    std::set<std::string> used;
    for (const auto& c : selected) used.insert(c.client);
    for (const auto& adapter : adapters) {
        if (!used.count(adapter->name())) continue;
        client_names += (client_names.empty() ? "" : ", ") + adapter->name();
        client_identities += (client_identities.empty() ? "" : "; ") + adapter->identity();
    }

    harness::RunnerSettings settings;
    settings.jobs = o.jobs;
    settings.work_dir = fs::path(o.out) / "work";
    settings.case_settings.mynasim_binary = self_binary();
    settings.case_settings.step_timeout = std::chrono::milliseconds(o.step_timeout_ms);
    settings.case_settings.context = &context;
    const bool tty = ::isatty(1) && !std::getenv("CI");
    const auto started = std::chrono::steady_clock::now();
    const std::string started_at = utc_now();
    std::size_t done = 0, failed = 0;
    std::cout << "running " << selected.size() << " cases against the " << client_names << " client" << (used.size() > 1 ? "s" : "") << ", "
              << o.jobs << " worker(s)"
              << std::endl;
    auto results = harness::run_cases(selected, by_name, settings, [&](harness::CaseResult& r) {
        // A waiver turns a failure into "waived", with its reason; the failures stay in the report.
        if (r.verdict != harness::Verdict::Pass)
            if (const auto* w = harness::find_waiver(waivers, r.test_case->id)) {
                r.verdict = harness::Verdict::Waived;
                r.waiver = w->reason + " (" + w->where.str() + ")";
            }
        ++done;
        if (r.verdict != harness::Verdict::Pass && r.verdict != harness::Verdict::Waived) ++failed;
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const double eta = elapsed / static_cast<double>(done) * static_cast<double>(selected.size() - done);
        const std::string verdict = harness::verdict_name(r.verdict);
        if (tty) {
            std::cout << "\r\033[K";
            if (r.verdict != harness::Verdict::Pass) std::cout << verdict << "  " << r.test_case->id << "\n";
            std::cout << "[" << done << "/" << selected.size() << "] " << failed << " failed, ETA " << static_cast<int>(eta) << " s"
                      << std::flush;
        } else {
            std::cout << verdict << "  " << r.test_case->id << " (" << r.duration.count() << " ms)" << std::endl;
        }
        if (r.verdict == harness::Verdict::Fail)
            for (const auto& f : r.failures)
                std::cout << "      step " << f.step << " " << f.expectation << ": expected " << f.expected << ", actual " << f.actual
                          << "  (" << f.where << ")" << std::endl;
        if (r.verdict == harness::Verdict::Error) std::cout << "      error: " << r.error << std::endl;
        if (r.verdict == harness::Verdict::Waived) std::cout << "      waived: " << r.waiver << std::endl;
    });
    if (tty) std::cout << "\n";

    reports::RunIdentity identity;
    identity.suite_version = MYNASIM_VERSION;
    identity.client_name = client_names;
    identity.client_identity = client_identities;
    identity.started_at = started_at;
    identity.finished_at = utc_now();
    identity.shard = o.shard;
    std::set<std::string> cited;
    for (const auto& c : selected) cited.insert(c.scenario->requirements.begin(), c.scenario->requirements.end());
    for (const auto& r : context.requirements)
        if (cited.count(r.id)) identity.requirements.push_back({{"id", r.id}, {"source", r.source}, {"text", r.text}});
    for (const auto& c : selected) {
        identity.profile_files.push_back(harness::resolve_profile(c.setup.profile, c.scenario->file, context));
        if (!c.setup.dataset.empty()) identity.dataset_files.emplace_back(c.setup.dataset);
        for (const auto& s : c.steps)
            if (!s.profile.empty()) identity.profile_files.push_back(harness::resolve_profile(s.profile, c.scenario->file, context));
    }
    std::error_code ignored;
    fs::remove_all(settings.work_dir, ignored);
    auto report = reports::build_report(identity, results);
    nlohmann::json unused = nlohmann::json::array();
    for (const auto& w : waivers)
        if (std::none_of(results.begin(), results.end(), [&](const harness::CaseResult& r) { return r.waiver.rfind(w.reason, 0) == 0; }))
            unused.push_back({{"id", w.id}, {"where", w.where.str()}});
    report["waivers_unused"] = unused;
    for (const auto& u : unused)
        std::cout << "note: waiver " << u["id"].get<std::string>() << " (" << u["where"].get<std::string>() << ") matched no failed case\n";
    const auto files = reports::write_report_folder(report, o.out, signing_key);
    if (signing_key.generated)
        std::cerr << "warning: the report is signed with a throwaway TEST key (give --sign-key FILE for a key you keep)\n";
    const auto& totals = report["totals"];
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << totals["pass"].get<int>() << " passed, " << totals["fail"].get<int>() << " failed, " << totals["error"].get<int>()
              << " errors, " << totals["waived"].get<int>() << " waived of " << selected.size() << " cases in "
              << static_cast<int>(seconds) << " s (" << static_cast<int>(static_cast<double>(selected.size()) / seconds * 60.0)
              << " cases/min)\n";
    std::cout << "reports in " << o.out << ":";
    for (const auto& f : files) std::cout << " " << f;
    std::cout << ", signed manifest.json (check with: mynasim report verify " << o.out << ")\n";
    return failed == 0 ? exit_ok : exit_failed;
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
    auto o = std::make_shared<RunCommandOptions>();
    auto* command = app.add_subcommand("run", "Run scenarios (scenarios/README.md) against a client and write conformance reports");
    command->add_option("paths", o->paths, "Scenario files or folders (default: the shipped scenarios/)");
    command->add_option("--client", o->clients,
                        "The client under test: reference, or a client adapter YAML file (docs/client-adapter.md); "
                        "repeat it to run every case against each client")
        ->capture_default_str();
    command->add_option("-j,--jobs", o->jobs, "Workers, each with its own pcscd, card and servers")->capture_default_str()
        ->check(CLI::Range(1, 64));
    command->add_option("--tag", o->tags, "Only scenarios with this tag (repeatable)");
    command->add_option("--id", o->id_glob, "Only cases whose id matches this glob, e.g. 'pin-*'");
    command->add_option("--shard", o->shard, "K/N: run the K-th of N shares of the selected cases");
    command->add_option("--out", o->out, "Report folder")->capture_default_str();
    command->add_flag("--list", o->list, "List the selected cases and stop");
    command->add_option("--step-timeout", o->step_timeout_ms, "Milliseconds a client step may take before it is killed")
        ->capture_default_str()->check(CLI::Range(100u, 3600000u));
    command->add_option("--profiles", o->profile_dir, "Where card profile names resolve")->capture_default_str();
    command->add_option("--requirements", o->requirements, "The requirements list (default: scenarios/requirements.txt)");
    command->add_option("--sign-key", o->sign_key, "Ed25519 private key (PEM) signing the report's manifest (default: a throwaway TEST key)")
        ->check(CLI::ExistingFile);
    command->add_option("--waivers", o->waivers, "YAML file of case ids (or globs) allowed to fail, each with its reason")
        ->check(CLI::ExistingFile);
    command->footer("Exit codes: 0 every case passed (or was waived), 1 a case failed or errored, 2 bad arguments or scenarios.");
    command->callback([o, &exit_code] {
        try {
            exit_code = run(*o);
        } catch (const yaml::LoadError& e) {
            std::cerr << e.what() << "\n";
            exit_code = exit_usage;
        } catch (const std::exception& e) {
            std::cerr << "mynasim run: " << e.what() << "\n";
            exit_code = exit_failed;
        }
    });
}

}  // namespace mynasim::cli
