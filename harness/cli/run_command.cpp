// mynasim run: load scenarios, expand the matrix, run the cases against a client, write the reports.
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <set>

#include "cli/commands.hpp"
#include "reports/report_folder.hpp"
#include "runner/conformance_run.hpp"

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

std::string self_binary() {
    std::error_code ec;
    const auto path = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string("mynasim") : path.string();
}

int run(const RunCommandOptions& o) {
    harness::RunSelection selection;
    selection.paths.assign(o.paths.begin(), o.paths.end());
    if (selection.paths.empty()) selection.paths.emplace_back(MYNASIM_DEFAULT_SCENARIO_DIR);
    selection.profile_dir = o.profile_dir;
    selection.requirements = o.requirements.empty() ? fs::path(MYNASIM_DEFAULT_SCENARIO_DIR) / "requirements.txt" : fs::path(o.requirements);
    selection.clients = o.clients;
    selection.tags = o.tags;
    selection.id_glob = o.id_glob;
    selection.shard = o.shard;
    const auto plan = harness::plan_run(selection);
    if (o.list) {
        for (const auto& c : plan.cases) {
            std::string requirements_text;
            for (const auto& r : c.scenario->requirements) requirements_text += (requirements_text.empty() ? "" : ",") + r;
            std::cout << c.id << "  [" << requirements_text << "]  " << c.scenario->title << "\n";
        }
        std::cout << plan.cases.size() << " cases from " << plan.scenarios.size() << " scenarios\n";
        return exit_ok;
    }
    if (plan.cases.empty()) {
        std::cerr << "mynasim run: no case selected\n";
        return exit_usage;
    }
    harness::RunSettings settings;
    if (!o.waivers.empty()) settings.waivers = harness::load_waivers(o.waivers);
    const auto signing_key = reports::load_or_generate_signing_key(o.sign_key);
    settings.jobs = o.jobs;
    settings.work_dir = fs::path(o.out) / "work";
    settings.mynasim_binary = self_binary();
    settings.step_timeout = std::chrono::milliseconds(o.step_timeout_ms);
    settings.suite_version = MYNASIM_VERSION;

    std::set<std::string> used;
    for (const auto& c : plan.cases) used.insert(c.client);
    std::string client_names;
    for (const auto& name : used) client_names += (client_names.empty() ? "" : ", ") + name;
    const bool tty = ::isatty(1) && !std::getenv("CI");
    const auto started = std::chrono::steady_clock::now();
    const std::size_t total = plan.cases.size();
    std::size_t done = 0, failed = 0;
    std::cout << "running " << total << " cases against the " << client_names << " client" << (used.size() > 1 ? "s" : "") << ", "
              << o.jobs << " worker(s)" << std::endl;
    const auto finished = harness::execute_run(plan, settings, [&](const harness::CaseResult& r) {
        ++done;
        if (r.verdict == harness::Verdict::Fail || r.verdict == harness::Verdict::Error) ++failed;
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const double eta = elapsed / static_cast<double>(done) * static_cast<double>(total - done);
        const std::string verdict = harness::verdict_name(r.verdict);
        if (tty) {
            std::cout << "\r\033[K";
            if (r.verdict != harness::Verdict::Pass) std::cout << verdict << "  " << r.test_case->id << "\n";
            std::cout << "[" << done << "/" << total << "] " << failed << " failed, ETA " << static_cast<int>(eta) << " s" << std::flush;
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

    const auto& report = finished.report;
    for (const auto& u : report["waivers_unused"])
        std::cout << "note: waiver " << u["id"].get<std::string>() << " (" << u["where"].get<std::string>() << ") matched no failed case\n";
    const auto files = reports::write_report_folder(report, o.out, signing_key);
    if (signing_key.generated)
        std::cerr << "warning: the report is signed with a throwaway TEST key (give --sign-key FILE for a key you keep)\n";
    const auto& totals = report["totals"];
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << totals["pass"].get<int>() << " passed, " << totals["fail"].get<int>() << " failed, " << totals["error"].get<int>()
              << " errors, " << totals["waived"].get<int>() << " waived of " << total << " cases in "
              << static_cast<int>(seconds) << " s (" << static_cast<int>(static_cast<double>(total) / seconds * 60.0)
              << " cases/min)\n";
    std::cout << "reports in " << o.out << ":";
    for (const auto& f : files) std::cout << " " << f;
    std::cout << ", signed manifest.json (check with: mynasim report verify " << o.out << ")\n";
    return finished.failed == 0 ? exit_ok : exit_failed;
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
        } catch (const harness::SelectionError& e) {
            std::cerr << "mynasim run: " << e.what() << "\n";
            exit_code = exit_usage;
        } catch (const std::exception& e) {
            std::cerr << "mynasim run: " << e.what() << "\n";
            exit_code = exit_failed;
        }
    });
}

}  // namespace mynasim::cli
