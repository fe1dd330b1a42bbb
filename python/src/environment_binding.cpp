// mynasim.Environment: a private pcscd with the emulated card on vpcd (the same code as `mynasim sim`),
// as a context manager. The environment ends on exit, when the object goes, and by itself when this
// Python process dies: it never outlives its owner.
#include <cstdlib>

#include <pybind11/stl.h>
#include <unistd.h>

#include "bindings.hpp"
#include "pcsc/private_pcscd.hpp"
#include "profile/profile_loader.hpp"
#include "runner/sim_environment.hpp"

namespace mynasim::python {

namespace fs = std::filesystem;

namespace {

// Loaded here first, so a broken profile is a LoadError with its file:line:col, as with Card.
fs::path checked_profile(const py::handle& profile) {
    const fs::path file = profile_path(profile);
    profile::load_profile(file.string());
    return file;
}

class PyEnvironment {
public:
    PyEnvironment(const py::handle& profile, bool inserted, std::optional<std::uint64_t> seed, std::optional<std::string> dir) {
        harness::SimEnvironmentOptions options;
        options.profile = checked_profile(profile);
        options.inserted = inserted;
        options.seed = seed;
        options.owner = ::getpid();
        options.mynasim_binary = mynasim_binary();
        if (dir) {
            options.dir = *dir;
        } else {
            // Short and private: socket paths must stay under 108 bytes.
            char pattern[] = "/tmp/mynasim-py-XXXXXX";
            if (!::mkdtemp(pattern)) raise_error("PcscEnvironmentError", "cannot make a temporary directory in /tmp");
            options.dir = pattern;
            owned_dir_ = pattern;
        }
        py::gil_scoped_release released;
        environment_ = std::make_unique<harness::SimEnvironment>(options);
    }
    ~PyEnvironment() { close(); }

    void close() {
        if (environment_) {
            py::gil_scoped_release released;
            environment_.reset();
        }
        if (!owned_dir_.empty()) {
            std::error_code ignored;
            fs::remove_all(owned_dir_, ignored);
            owned_dir_.clear();
        }
    }
    harness::SimEnvironment& env() {
        if (!environment_) raise_error("PcscEnvironmentError", "the environment is closed");
        return *environment_;
    }
    void insert(const py::object& profile) {
        const fs::path file = profile.is_none() ? fs::path() : checked_profile(profile);
        auto& e = env();
        py::gil_scoped_release released;
        e.insert(file);
    }
    void remove() {
        auto& e = env();
        py::gil_scoped_release released;
        e.remove();
    }
    void reset() {
        auto& e = env();
        py::gil_scoped_release released;
        e.reset();
    }
    bool up() const { return environment_ != nullptr; }
    std::unique_ptr<harness::SimEnvironment> environment_;
    fs::path owned_dir_;
};

}  // namespace

void bind_environment(py::module_& m) {
    py::class_<PyEnvironment>(m, "Environment", R"(A private PC/SC environment: its own pcscd, the vpcd reader and the emulated card.

Environment(profile="valid", inserted=True, seed=None, dir=None)
The same code as `mynasim sim up`. Nothing touches the machine's own pcscd. Use it as a context manager:

  with mynasim.Environment("valid") as env:
      subprocess.run(["opensc-tool", "-c", "default", "-a"], env={**os.environ, **env.environment})

PC/SC programs find the reader through env.environment (PCSCLITE_CSOCK_NAME, ...). libpcsclite reads
PCSCLITE_CSOCK_NAME once per process: an in-process pyscard sees only the first environment it used.
The environment ends on exit, on close(), and by itself if this process dies.
)")
        .def(py::init<const py::handle&, bool, std::optional<std::uint64_t>, std::optional<std::string>>(), py::arg("profile") = "valid",
             py::arg("inserted") = true, py::arg("seed") = py::none(), py::arg("dir") = py::none())
        .def("__enter__", [](PyEnvironment& e) -> PyEnvironment& { return e; }, py::return_value_policy::reference)
        .def("__exit__", [](PyEnvironment& e, const py::args&) { e.close(); return false; })
        .def("close", &PyEnvironment::close, "Stops pcscd and the card daemon (idempotent).")
        .def_property_readonly("up", &PyEnvironment::up, "True until close().")
        .def_property_readonly("environment", [](PyEnvironment& e) { return e.env().environment(); },
                               "Variables a PC/SC program needs: PCSCLITE_CSOCK_NAME, MYNASIM_SIM_DIR, MYNASIM_READER.")
        .def_property_readonly("reader", [](const PyEnvironment&) { return std::string(pcsc::reader_name); }, "The reader's name.")
        .def_property_readonly("dir", [](PyEnvironment& e) { return e.env().dir().string(); }, "The environment's folder (logs, sockets).")
        .def("insert", &PyEnvironment::insert, py::arg("profile") = py::none(),
             "Inserts a card made from `profile` (name or path), or the same card again; waits until PC/SC sees it.")
        .def("remove", &PyEnvironment::remove, "Pulls the card out; waits until PC/SC sees the empty reader.")
        .def("reset", &PyEnvironment::reset, "Resets the card (a fresh card session).")
        .def("set_tries", [](PyEnvironment& e, const std::string& pin, int tries) { e.env().set_tries(pin, tries); }, py::arg("pin"),
             py::arg("tries"), "Sets a PIN's tries left on the inserted card.")
        .def("tear_after", [](PyEnvironment& e, int apdus) { e.env().tear_after(apdus); }, py::arg("apdus"),
             "The card answers `apdus` more commands, then is pulled out.")
        .def("status", [](PyEnvironment& e) { return to_python(e.env().status()); },
             "The card's status: inserted, profile, tries left per PIN, ...")
        .def("trace", [](PyEnvironment& e, int max) { return to_python(e.env().trace(max)); }, py::arg("max") = 2000,
             "The exchanges since the card was inserted, oldest first, decoded (dicts: command, response, command_text, ...).");
}

}  // namespace mynasim::python
