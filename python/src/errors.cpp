// C++ errors become the Python exceptions of mynasim/errors.py, with the CLI's messages: a loader error
// keeps its file:line:col as attributes too.
#include "bindings.hpp"
#include "profile/yaml_strict.hpp"
#include "reports/conformance_run.hpp"
#include "runner/sim_environment.hpp"

namespace mynasim::python {

namespace {

// Raised by the bindings to pick a Python class; carries the message only.
struct Raised : std::runtime_error {
    Raised(const char* cls, const std::string& message) : std::runtime_error(message), python_class(cls) {}
    const char* python_class;
};

void set_python_error(const char* name, const py::object& instance) {
    const py::object cls = py::module_::import("mynasim.errors").attr(name);
    PyErr_SetObject(cls.ptr(), instance.ptr());
}

}  // namespace

void raise_error(const char* python_class, const std::string& message) { throw Raised(python_class, message); }

void bind_errors(py::module_&) {
    py::register_exception_translator([](std::exception_ptr thrown) {
        try {
            if (thrown) std::rethrow_exception(thrown);
        } catch (const yaml::LoadError& e) {
            const auto& w = e.where();
            const py::object cls = py::module_::import("mynasim.errors").attr("LoadError");
            set_python_error("LoadError", cls(e.what(), py::arg("file") = w.file, py::arg("line") = w.line,
                                              py::arg("column") = w.column, py::arg("reason") = e.message()));
        } catch (const Raised& e) {
            const py::object cls = py::module_::import("mynasim.errors").attr(e.python_class);
            set_python_error(e.python_class, cls(e.what()));
        } catch (const reports::SelectionError& e) {
            set_python_error("ScenarioError", py::module_::import("mynasim.errors").attr("ScenarioError")(e.what()));
        } catch (const harness::BenchError& e) {
            set_python_error("PcscEnvironmentError", py::module_::import("mynasim.errors").attr("PcscEnvironmentError")(e.what()));
        }
    });
}

}  // namespace mynasim::python
