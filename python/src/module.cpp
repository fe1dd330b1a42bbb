// The compiled core of the `mynasim` Python package (python/mynasim/__init__.py re-exports it).
#include "bindings.hpp"

PYBIND11_MODULE(_mynasim, m) {
    namespace python = mynasim::python;
    m.doc() = "mynasim's C++ core for Python: the card in-process, PC/SC environments, the mock server, scenarios.";
    m.attr("__version__") = MYNASIM_VERSION;
    m.def("binary", &python::mynasim_binary, "The `mynasim` command the module starts ($MYNASIM_BINARY, else the build's).");
    m.def("profile_dir", [] { return python::profile_dir().string(); }, "The shipped card profiles (card-profiles/).");
    m.def("scenario_dir", [] { return python::scenario_dir().string(); }, "The shipped scenarios (scenarios/).");
    python::bind_errors(m);
    python::bind_card(m);
    python::bind_environment(m);
    python::bind_server(m);
    python::bind_scenarios(m);
}
