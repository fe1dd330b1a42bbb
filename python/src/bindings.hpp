#pragma once
// Shared by the binding files: JSON <-> Python, where the build's files are, and one bind_* per concept.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>
#include <pybind11/pybind11.h>

namespace mynasim::python {

namespace py = pybind11;

// JSON values cross as Python's own (dict, list, str, int, float, bool, None).
py::object to_python(const nlohmann::json& value);
nlohmann::json from_python(const py::handle& value);

// `mynasim` CLI the module starts for environments and servers: $MYNASIM_BINARY, else the build's.
std::string mynasim_binary();
std::filesystem::path profile_dir();   // card-profiles/ of the checkout
std::filesystem::path scenario_dir();  // scenarios/ of the checkout
// A profile given as a name in card-profiles/ ("valid") or a path (str or os.PathLike) to a YAML file.
std::filesystem::path profile_path(const py::handle& profile);

// Python exceptions of mynasim.errors, raised with the same messages as the CLI's.
void bind_errors(py::module_& m);
[[noreturn]] void raise_error(const char* python_class, const std::string& message);

void bind_card(py::module_& m);
void bind_environment(py::module_& m);
void bind_server(py::module_& m);
void bind_scenarios(py::module_& m);

}  // namespace mynasim::python
