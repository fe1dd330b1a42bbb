// C++ errors become the Python exceptions of mynasim/errors.py, with the CLI's messages: a loader error
// keeps its file:line:col as attributes too.
#include "bindings.hpp"
#include "base/yaml_strict.hpp"
#include "runner/conformance_run.hpp"
#include "runner/sim_environment.hpp"

namespace mynasim::python {

namespace {

// Raised by the bindings to pick a Python class; carries the message only.
struct Raised : std::runtime_error {
    Raised(const char* cls, const std::string& message) : std::runtime_error(message), python_class(cls) {}
    const char* python_class;
};

// Sets the Python error to mynasim.errors.NAME(args...).
template <class... Args>
void set_python_error(const char* name, Args&&... args) {
    const py::object cls = py::module_::import("mynasim.errors").attr(name);
    const py::object instance = cls(std::forward<Args>(args)...);
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
            set_python_error("LoadError", e.what(), py::arg("file") = w.file, py::arg("line") = w.line, py::arg("column") = w.column,
                             py::arg("reason") = e.message());
        } catch (const Raised& e) {
            set_python_error(e.python_class, e.what());
        } catch (const harness::SelectionError& e) {
            set_python_error("ScenarioError", e.what());
        } catch (const harness::BenchError& e) {
            set_python_error("PcscEnvironmentError", e.what());
        }
    });
}

}  // namespace mynasim::python
