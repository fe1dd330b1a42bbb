#include "junit_writer.hpp"

#include <sstream>

#include <pugixml.hpp>

namespace mynasim::reports {

std::string render_junit(const nlohmann::json& report) {
    pugi::xml_document doc;
    auto declaration = doc.append_child(pugi::node_declaration);
    declaration.append_attribute("version") = "1.0";
    declaration.append_attribute("encoding") = "UTF-8";
    auto suites = doc.append_child("testsuites");
    auto suite = suites.append_child("testsuite");
    const auto& totals = report.at("totals");
    suite.append_attribute("name") = ("mynasim conformance: " + report.at("client").value("name", std::string())).c_str();
    suite.append_attribute("tests") = totals.value("cases", 0);
    suite.append_attribute("failures") = totals.value("fail", 0);
    suite.append_attribute("errors") = totals.value("error", 0);
    suite.append_attribute("skipped") = totals.value("waived", 0);
    suite.append_attribute("timestamp") = report.value("started_at", std::string()).c_str();
    double total_seconds = 0;
    for (const auto& c : report.at("cases")) {
        auto testcase = suite.append_child("testcase");
        testcase.append_attribute("classname") = c.value("scenario", std::string()).c_str();
        testcase.append_attribute("name") = c.value("id", std::string()).c_str();
        const double seconds = c.value("duration_ms", 0) / 1000.0;
        total_seconds += seconds;
        testcase.append_attribute("time") = seconds;
        const std::string verdict = c.value("verdict", std::string());
        if (verdict == "fail") {
            std::string text, first;
            for (const auto& f : c.at("failures")) {
                const std::string line = "step " + std::to_string(f.value("step", 0)) + " " + f.value("expectation", std::string()) +
                                         ": expected " + f.value("expected", std::string()) + ", actual " + f.value("actual", std::string()) +
                                         " (" + f.value("where", std::string()) + ")";
                if (first.empty()) first = line;
                text += line + "\n";
            }
            auto failure = testcase.append_child("failure");
            failure.append_attribute("message") = first.c_str();
            failure.text().set(text.c_str());
        } else if (verdict == "error") {
            testcase.append_child("error").append_attribute("message") = c.value("error", std::string()).c_str();
        } else if (verdict == "waived") {
            testcase.append_child("skipped").append_attribute("message") = ("waived: " + c.value("waiver", std::string())).c_str();
        }
        std::string properties;
        for (const auto& r : c.at("requirements")) properties += (properties.empty() ? "" : " ") + r.get<std::string>();
        testcase.append_child("system-out").text().set(("requirements: " + properties + "\nfile: " + c.value("file", std::string())).c_str());
    }
    suite.append_attribute("time") = total_seconds;
    std::ostringstream text;
    doc.save(text, "  ", pugi::format_default, pugi::encoding_utf8);
    return text.str();
}

}  // namespace mynasim::reports
