// Scenarios from Python: plan (load, select, expand), run and write reports, through the same
// conformance-run code as `mynasim run`. mynasim/scenarios.py wraps these in result objects.
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include <unistd.h>

#include "bindings.hpp"
#include "reports/report_folder.hpp"
#include "runner/conformance_run.hpp"

namespace mynasim::python {

namespace fs = std::filesystem;

namespace {

struct Selection {
    std::vector<std::string> paths, clients, tags;
    std::optional<std::string> id, shard, profiles, requirements;
};

harness::RunPlan plan(const Selection& s) {
    harness::RunSelection selection;
    for (const auto& p : s.paths) selection.paths.emplace_back(p);
    if (selection.paths.empty()) selection.paths.push_back(scenario_dir());
    selection.profile_dir = s.profiles ? fs::path(*s.profiles) : profile_dir();
    selection.requirements = s.requirements ? fs::path(*s.requirements) : scenario_dir() / "requirements.txt";
    if (!s.clients.empty()) selection.clients = s.clients;
    selection.tags = s.tags;
    selection.id_glob = s.id.value_or("");
    selection.shard = s.shard.value_or("");
    return harness::plan_run(selection);
}

nlohmann::json describe(const harness::Case& c) {
    nlohmann::json parameters = nlohmann::json::object();
    for (const auto& [k, v] : c.parameters) parameters[k] = v;
    return {{"id", c.id}, {"client", c.client}, {"scenario", c.scenario->id}, {"title", c.scenario->title}, {"file", c.scenario->file},
            {"tags", c.scenario->tags}, {"requirements", c.scenario->requirements}, {"parameters", parameters}, {"profile", c.setup.profile}};
}

}  // namespace

void bind_scenarios(py::module_& m) {
    py::class_<Selection>(m, "_Selection", "Which scenarios and cases (used by mynasim.Scenarios).")
        .def(py::init<>())
        .def_readwrite("paths", &Selection::paths)
        .def_readwrite("clients", &Selection::clients)
        .def_readwrite("tags", &Selection::tags)
        .def_readwrite("id", &Selection::id)
        .def_readwrite("shard", &Selection::shard)
        .def_readwrite("profiles", &Selection::profiles)
        .def_readwrite("requirements", &Selection::requirements);

    m.def("_scenarios", [](const Selection& s) {
        const auto p = plan(s);
        nlohmann::json out = nlohmann::json::array();
        for (const auto& scenario : p.scenarios) {
            nlohmann::json ids = nlohmann::json::array();
            for (const auto& c : p.cases)
                if (c.scenario == &scenario) ids.push_back(c.id);
            if (ids.empty()) continue;  // not selected
            out.push_back({{"id", scenario.id}, {"title", scenario.title}, {"file", scenario.file}, {"tags", scenario.tags},
                           {"requirements", scenario.requirements}, {"clients", scenario.clients}, {"cases", ids}});
        }
        return to_python(out);
    }, py::arg("selection"), "The selection's scenarios (those with a selected case), each with its selected case ids.");

    m.def("_cases", [](const Selection& s) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& c : plan(s).cases) out.push_back(describe(c));
        return to_python(out);
    }, py::arg("selection"), "The selected cases, expanded over the clients.");

    m.def("_run",
          [](const Selection& s, int jobs, double step_timeout, std::optional<std::string> waivers, std::optional<std::string> work_dir,
             std::function<void(py::object)> on_case) {
              const auto p = plan(s);
              harness::RunSettings settings;
              settings.jobs = jobs;
              settings.step_timeout = std::chrono::milliseconds(static_cast<long>(step_timeout * 1000));
              if (waivers) settings.waivers = harness::load_waivers(*waivers);
              settings.mynasim_binary = mynasim_binary();
              settings.suite_version = MYNASIM_VERSION;
              settings.work_dir = work_dir ? fs::path(*work_dir) : fs::temp_directory_path() / ("mynasim-py-run-" + std::to_string(::getpid()));
              harness::FinishedRun finished;
              {
                  py::gil_scoped_release released;  // cases run on worker threads; Python threads go on
                  finished = harness::execute_run(p, settings, [&](const harness::CaseResult& r) {
                      if (!on_case) return;
                      py::gil_scoped_acquire held;
                      try {
                          on_case(to_python({{"id", r.test_case->id}, {"verdict", harness::verdict_name(r.verdict)},
                                             {"duration_ms", r.duration.count()}, {"error", r.error}}));
                      } catch (py::error_already_set& e) {
                          e.discard_as_unraisable("mynasim run progress callback");  // a broken callback never stops the run
                      }
                  });
              }
              return to_python(finished.report);
          },
          py::arg("selection"), py::arg("jobs") = 1, py::arg("step_timeout") = 60.0, py::arg("waivers") = py::none(),
          py::arg("work_dir") = py::none(), py::arg("on_case") = nullptr,
          "Runs the selected cases; returns the run report (report.json's content).");

    m.def("_write_report", [](const py::handle& report, const std::string& out, std::optional<std::string> sign_key) {
        const auto key = reports::load_or_generate_signing_key(sign_key.value_or(""));
        return reports::write_report_folder(from_python(report), out, key);
    }, py::arg("report"), py::arg("out"), py::arg("sign_key") = py::none(),
          "Writes report.json, junit.xml, index.html and the signed manifest.json into `out`; returns the file names.");
}

}  // namespace mynasim::python
