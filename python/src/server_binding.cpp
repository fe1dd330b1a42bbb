// mynasim.Server: the mock オンライン資格確認等システム as a child process (the same code as
// `mynasim server run`), with its admin API as methods: faults, clock, journal, reset.
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "client/onshi_client.hpp"
#include "runner/server_process.hpp"

namespace mynasim::python {

namespace fs = std::filesystem;

namespace {

class PyServer {
public:
    PyServer(std::optional<std::string> data, std::optional<std::string> clock, std::optional<std::string> files,
             std::optional<std::string> institution, std::optional<std::string> expiry_grace_from) {
        harness::ServerProcessOptions options;
        options.mynasim_binary = mynasim_binary();
        options.dataset = data.value_or("");
        options.clock = clock.value_or("");
        if (files) options.files_dir = fs::absolute(*files);
        options.institution = institution.value_or("");
        options.expiry_grace_from = expiry_grace_from.value_or("");
        py::gil_scoped_release released;
        try {
            server_ = std::make_unique<harness::ServerProcess>(options);
        } catch (const harness::BenchError& e) {
            raise_error("ServerError", e.what());
        }
    }
    ~PyServer() { stop(); }

    void stop() {
        py::gil_scoped_release released;
        server_.reset();
    }
    harness::ServerProcess& server() {
        if (!server_) raise_error("ServerError", "the server is stopped");
        return *server_;
    }
    py::object admin(const std::string& call, const nlohmann::json& body) {
        auto& s = server();
        nlohmann::json answer;
        {
            py::gil_scoped_release released;
            try {
                answer = s.admin(call, body);
            } catch (const harness::BenchError& e) {
                raise_error("ServerError", e.what());
            }
        }
        return to_python(answer);
    }
    py::tuple post(const std::string& path, const py::handle& body, std::optional<std::string> tag, double timeout) {
        const auto answer = exchange(path, body, tag, timeout);
        return py::make_tuple(answer.status, py::bytes(answer.body), answer.content_type);
    }
    py::tuple post_with_headers(const std::string& path, const py::handle& body, std::optional<std::string> tag, double timeout) {
        const auto answer = exchange(path, body, tag, timeout);
        py::dict headers;
        for (const auto& [field, value] : answer.headers) headers[py::str(field)] = py::str(value);
        return py::make_tuple(answer.status, py::bytes(answer.body), answer.content_type, headers);
    }
    client::ServerAnswer exchange(const std::string& path, const py::handle& body, std::optional<std::string> tag, double timeout) {
        const std::string raw = py::isinstance<py::str>(body) ? std::string(py::str(body)) : std::string(py::reinterpret_borrow<py::bytes>(py::module_::import("builtins").attr("bytes")(body)));
        client::ServerOptions options;
        options.url = server().url();
        options.timeout = std::chrono::milliseconds(static_cast<long>(timeout * 1000));
        std::vector<std::pair<std::string, std::string>> headers;
        if (tag) headers.emplace_back("X-Mynasim-Tag", *tag);
        client::ServerAnswer answer;
        {
            py::gil_scoped_release released;
            try {
                answer = client::OnshiClient(options).post(path, raw, headers);
            } catch (const client::ServerError& e) {
                raise_error("ServerError", std::string("POST ") + path + ": " + e.what());
            }
        }
        return answer;
    }
    std::unique_ptr<harness::ServerProcess> server_;
};

}  // namespace

void bind_server(py::module_& m) {
    py::class_<PyServer>(m, "Server", R"(The mock オンライン資格確認等システム (docs/onshi-api.md), started as `mynasim server run`.

Server(data=None, clock=None, files=None, institution=None, expiry_grace_from=None)
  data:  a YAML dataset (file or folder) or a .sqlite store; None: the shipped dataset, matching the card profiles.
  clock: the server's time at start, e.g. "2026-05-01T09:00:00Z"; None: the dataset's reference date.
  files: a folder for the file interface (Req/Res/Face, docs/file-interface.md); None: HTTP only.
  institution: the 10-digit 医療機関コード the terminal serves; None: the TEST default 9999000001.
  expiry_grace_from: "expiry" or "month-end": whence the 3 months' grace after an auth certificate's
         notAfter count (docs/onshi-api.md); None: "expiry".
It listens on 127.0.0.1 only, on a free port (server.url). Use it as a context manager; it stops on exit,
when the object goes, and with this process.
)")
        .def(py::init<std::optional<std::string>, std::optional<std::string>, std::optional<std::string>, std::optional<std::string>,
                      std::optional<std::string>>(),
             py::arg("data") = py::none(), py::arg("clock") = py::none(), py::arg("files") = py::none(), py::arg("institution") = py::none(),
             py::arg("expiry_grace_from") = py::none())
        .def("__enter__", [](PyServer& s) -> PyServer& { return s; }, py::return_value_policy::reference)
        .def("__exit__", [](PyServer& s, const py::args&) { s.stop(); return false; })
        .def("stop", &PyServer::stop, "Stops the server (idempotent).")
        .def_property_readonly("running", [](const PyServer& s) { return s.server_ != nullptr; }, "True until stop().")
        .def_property_readonly("url", [](PyServer& s) { return s.server().url(); }, "http://127.0.0.1:PORT")
        .def_property_readonly("admin_token", [](PyServer& s) { return s.server().admin_token(); },
                               "The token of the admin API (Authorization: Bearer ...).")
        .def("add_fault",
             [](PyServer& s, const std::string& kind, const std::string& call, int status, int latency_ms, std::optional<int> count) {
                 nlohmann::json fault{{"kind", kind}, {"call", call}, {"status", status}, {"latency_ms", latency_ms}};
                 if (count) fault["count"] = *count;
                 return py::object(s.admin("faults", {{"add", fault}})["faults"]);
             },
             py::arg("kind"), py::arg("call") = "*", py::arg("status") = 503, py::arg("latency_ms") = 0, py::arg("count") = py::none(),
             "Adds a fault: kind latency | status | malformed | drop | no_answer, for `call` (a path such as "
             "/v2/confirmations, or *), for the next `count` requests (None: until cleared). Returns the faults now set.")
        .def("clear_faults", [](PyServer& s) { s.admin("faults", {{"clear", true}}); }, "Removes every fault.")
        .def("faults", [](PyServer& s) { return py::object(s.admin("faults", nlohmann::json::object())["faults"]); }, "The faults now set.")
        .def("set_clock", [](PyServer& s, const std::string& when) { return py::object(s.admin("clock", {{"set", when}})["now"]); }, py::arg("when"),
             "Sets the server's clock (ISO 8601 UTC, or relative such as '+30d'); returns the new time.")
        .def("advance_clock", [](PyServer& s, const std::string& by) { return py::object(s.admin("clock", {{"advance", by}})["now"]); }, py::arg("by"),
             "Moves the server's clock forward, e.g. '+1d', '+2h'; returns the new time.")
        .def("now", [](PyServer& s) { return py::object(s.admin("clock", nlohmann::json::object())["now"]); }, "The server's time.")
        .def("journal",
             [](PyServer& s, std::optional<std::string> tag, int max) {
                 nlohmann::json body{{"max", max}};
                 if (tag) body["tag"] = *tag;
                 return py::object(s.admin("journal", body)["entries"]);
             },
             py::arg("tag") = py::none(), py::arg("max") = 2000,
             "Recent requests and answers, oldest first (dicts: at, tag, call, status, request, response, note); "
             "with `tag`, only those sent with that X-Mynasim-Tag.")
        .def("reset", [](PyServer& s) { s.admin("reset", nlohmann::json::object()); },
             "Back to the loaded dataset: registrations, consents, faults and journal cleared.")
        .def("post", &PyServer::post, py::arg("path"), py::arg("body"), py::arg("tag") = py::none(), py::arg("timeout") = 10.0,
             "POSTs an XML body (str or bytes) to a call such as /v2/confirmations; returns (status, body: bytes, content_type).")
        .def("post_with_headers", &PyServer::post_with_headers, py::arg("path"), py::arg("body"), py::arg("tag") = py::none(),
             py::arg("timeout") = 10.0,
             "As post, and the mock's own header fields too: (status, body, content_type, {X-Mynasim-Confirmation-Id, X-Mynasim-Detail}).");
}

}  // namespace mynasim::python
