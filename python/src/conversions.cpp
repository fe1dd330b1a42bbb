#include <cstdlib>

#include "bindings.hpp"

namespace mynasim::python {

namespace fs = std::filesystem;

py::object to_python(const nlohmann::json& value) {
    // Through text: nlohmann and Python's json agree on every value, and answers are small.
    return py::module_::import("json").attr("loads")(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

nlohmann::json from_python(const py::handle& value) {
    const std::string text = py::str(py::module_::import("json").attr("dumps")(value, py::arg("ensure_ascii") = false));
    return nlohmann::json::parse(text);
}

std::string mynasim_binary() {
    if (const char* given = std::getenv("MYNASIM_BINARY"); given && *given) return given;
    return MYNASIM_DEFAULT_BINARY;
}

fs::path profile_dir() { return MYNASIM_DEFAULT_PROFILE_DIR; }
fs::path scenario_dir() { return MYNASIM_DEFAULT_SCENARIO_DIR; }

fs::path profile_path(const py::handle& profile) {
    const std::string text = py::str(py::module_::import("os").attr("fspath")(profile));
    const fs::path given(text);
    if (!py::isinstance<py::str>(profile) || text.find('/') != std::string::npos || given.has_extension()) return given;
    const fs::path named = profile_dir() / (text + ".yaml");
    if (!fs::exists(named)) raise_error("LoadError", "no card profile named '" + text + "' in " + profile_dir().string());
    return named;
}

}  // namespace mynasim::python
