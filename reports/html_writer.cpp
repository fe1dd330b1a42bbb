#include "html_writer.hpp"

#include <map>
#include <set>
#include <sstream>

namespace mynasim::reports {

namespace {

std::string escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string text_of(const nlohmann::json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_null()) return "";
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string field(const nlohmann::json& object, const char* key) {
    return object.contains(key) ? text_of(object[key]) : std::string();
}

// Everything the page needs is in this one file: no external style, script, font or image.
constexpr const char* style = R"CSS(
body{font:14px/1.45 system-ui,sans-serif;margin:1.5em;color:#1b1b1b}
h1{font-size:1.4em;margin:0 0 .3em} h2{font-size:1.15em;margin:1.4em 0 .4em}
table{border-collapse:collapse;width:100%;margin:.3em 0} th,td{border:1px solid #ccc;padding:.25em .45em;text-align:left;vertical-align:top}
th{background:#f1f1f1} code,pre{font:12px/1.35 ui-monospace,monospace} pre{white-space:pre-wrap;word-break:break-all;margin:0}
.totals span{display:inline-block;margin-right:1em;padding:.2em .6em;border-radius:.3em;background:#eee}
.pass{color:#176c2f} .fail{color:#b3261e} .error{color:#8a4b00} .waived{color:#555}
tr.case-row.pass td.verdict{background:#e5f4e8} tr.case-row.fail td.verdict{background:#fbe5e3}
tr.case-row.error td.verdict{background:#fdf0dc} tr.case-row.waived td.verdict{background:#eee}
details{margin:.4em 0;border:1px solid #ddd;border-radius:.3em;padding:.3em .6em} summary{cursor:pointer;font-weight:600}
.filters{margin:.6em 0} .filters label{margin-right:1em} .hidden{display:none}
.meta td:first-child{width:14em;color:#555}
)CSS";

constexpr const char* script = R"JS(
(function () {
  var verdict = document.getElementById('filter-verdict');
  var text = document.getElementById('filter-text');
  function apply() {
    var v = verdict.value, t = text.value.toLowerCase();
    var shown = 0;
    document.querySelectorAll('tr.case-row').forEach(function (row) {
      var ok = (v === 'all' || row.dataset.verdict === v) && (t === '' || row.dataset.search.indexOf(t) >= 0);
      row.classList.toggle('hidden', !ok);
      if (ok) shown++;
    });
    document.querySelectorAll('details.case').forEach(function (d) {
      var ok = (v === 'all' || d.dataset.verdict === v) && (t === '' || d.dataset.search.indexOf(t) >= 0);
      d.classList.toggle('hidden', !ok);
    });
    document.getElementById('shown').textContent = String(shown);
  }
  verdict.addEventListener('change', apply);
  text.addEventListener('input', apply);
  document.querySelectorAll('a.case-link').forEach(function (a) {
    a.addEventListener('click', function () {
      var d = document.getElementById(a.getAttribute('href').substring(1));
      if (d) d.open = true;
    });
  });
  apply();
})();
)JS";

void case_detail(std::ostringstream& html, const nlohmann::json& c, std::size_t number) {
    const std::string verdict = field(c, "verdict");
    std::string search = field(c, "id") + " " + field(c, "title");
    for (const auto& r : c.value("requirements", nlohmann::json::array())) search += " " + text_of(r);
    html << "<details class=\"case\" id=\"case-" << number << "\" data-verdict=\"" << escape(verdict) << "\" data-search=\""
         << escape(search) << "\"><summary><span class=\"" << escape(verdict) << "\">" << escape(verdict) << "</span> "
         << escape(field(c, "id")) << "</summary>\n";
    html << "<table class=\"meta\"><tr><td>scenario</td><td>" << escape(field(c, "scenario")) << ": " << escape(field(c, "title"))
         << "</td></tr><tr><td>file</td><td><code>" << escape(field(c, "file")) << "</code></td></tr><tr><td>card</td><td>"
         << escape(field(c, "profile")) << "</td></tr><tr><td>requirements</td><td>";
    for (const auto& r : c.value("requirements", nlohmann::json::array())) html << escape(text_of(r)) << " ";
    html << "</td></tr><tr><td>duration</td><td>" << c.value("duration_ms", 0) << " ms</td></tr>";
    if (!field(c, "error").empty()) html << "<tr><td>error</td><td class=\"error\">" << escape(field(c, "error")) << "</td></tr>";
    if (!field(c, "waiver").empty()) html << "<tr><td>waived because</td><td>" << escape(field(c, "waiver")) << "</td></tr>";
    html << "</table>\n";
    const auto& failures = c.value("failures", nlohmann::json::array());
    if (!failures.empty()) {
        html << "<h3>Failed expectations</h3><table class=\"failures\"><tr><th>step</th><th>expectation</th><th>expected</th><th>actual</th><th>where</th></tr>\n";
        for (const auto& f : failures)
            html << "<tr><td>" << f.value("step", 0) << "</td><td>" << escape(field(f, "expectation")) << "</td><td class=\"expected\">"
                 << escape(field(f, "expected")) << "</td><td class=\"actual\">" << escape(field(f, "actual")) << "</td><td><code>"
                 << escape(field(f, "where")) << "</code></td></tr>\n";
        html << "</table>\n";
    }
    html << "<h3>Steps</h3><table><tr><th>#</th><th>action</th><th>exit</th><th>ms</th><th>client answer</th></tr>\n";
    std::size_t step = 0;
    for (const auto& s : c.value("steps", nlohmann::json::array())) {
        const auto& output = s.contains("output") ? s["output"] : nlohmann::json();
        html << "<tr><td>" << ++step << "</td><td><code>" << escape(field(s, "action")) << "</code></td><td>" << s.value("exit_code", 0)
             << "</td><td>" << s.value("duration_ms", 0) << "</td><td>"
             << (output.is_null() ? "" : "<pre>" + escape(output.dump(1, ' ', false, nlohmann::json::error_handler_t::replace)) + "</pre>")
             << "</td></tr>\n";
    }
    html << "</table>\n";
    const auto& evidence = c.contains("evidence") ? c["evidence"] : nlohmann::json::object();
    html << "<h3>APDU trace</h3><table class=\"apdus\"><tr><th>step</th><th>command</th><th>answer</th><th>hex</th></tr>\n";
    for (const auto& a : evidence.value("apdus", nlohmann::json::array()))
        html << "<tr><td>" << text_of(a.value("step", nlohmann::json())) << "</td><td>" << escape(field(a, "command_text")) << "</td><td>"
             << escape(field(a, "response_text")) << "</td><td><code>" << escape(field(a, "command").substr(0, 80)) << "</code></td></tr>\n";
    html << "</table>\n<h3>Server exchanges</h3><table class=\"journal\"><tr><th>at (server clock)</th><th>call</th><th>status</th><th>request</th><th>answer</th></tr>\n";
    for (const auto& j : evidence.value("journal", nlohmann::json::array()))
        html << "<tr><td>" << escape(field(j, "at")) << "</td><td>" << escape(field(j, "call")) << "</td><td>" << text_of(j.value("status", nlohmann::json()))
             << (field(j, "fault").empty() ? "" : " (" + escape(field(j, "fault")) + ")") << "</td><td><pre>"
             << escape(field(j, "request").substr(0, 1500)) << "</pre></td><td><pre>" << escape(field(j, "response").substr(0, 1500))
             << "</pre></td></tr>\n";
    html << "</table>\n</details>\n";
}

}  // namespace

std::string render_html(const nlohmann::json& report) {
    std::ostringstream html;
    const auto& totals = report.at("totals");
    const auto& cases = report.at("cases");
    html << "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">\n"
         << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         << "<title>mynasim conformance report: " << escape(report.at("client").value("name", std::string())) << "</title>\n"
         << "<style>" << style << "</style></head><body>\n";
    html << "<h1>mynasim conformance report</h1>\n<table class=\"meta\">"
         << "<tr><td>client</td><td>" << escape(report.at("client").value("identity", std::string())) << "</td></tr>"
         << "<tr><td>suite</td><td>mynasim " << escape(field(report, "suite_version")) << "</td></tr>"
         << "<tr><td>run</td><td>" << escape(field(report, "started_at")) << " – " << escape(field(report, "finished_at"))
         << (field(report, "shard").empty() ? "" : ", shard " + escape(field(report, "shard"))) << "</td></tr>"
         << "<tr><td>environment</td><td>" << escape(text_of(report.value("environment", nlohmann::json::object()))) << "</td></tr>"
         << "<tr><td>integrity</td><td>every file of this report is listed with its SHA-256 in manifest.json, signed in manifest.sig "
            "(<code>mynasim report verify</code>)</td></tr></table>\n";
    html << "<p class=\"totals\">";
    for (const char* key : {"cases", "pass", "fail", "error", "waived"})
        html << "<span class=\"" << key << "\">" << key << ": <b id=\"total-" << key << "\">" << totals.value(key, 0) << "</b></span>";
    html << "</p>\n";

    html << "<h2>Cases</h2>\n<div class=\"filters\"><label>verdict <select id=\"filter-verdict\">"
         << "<option value=\"all\">all</option><option value=\"pass\">pass</option><option value=\"fail\">fail</option>"
         << "<option value=\"error\">error</option><option value=\"waived\">waived</option></select></label>"
         << "<label>search <input id=\"filter-text\" type=\"search\" placeholder=\"case id, title or requirement\"></label>"
         << "shown: <span id=\"shown\">" << cases.size() << "</span></div>\n";
    html << "<table id=\"matrix\"><tr><th>#</th><th>case</th><th>verdict</th><th>requirements</th><th>ms</th></tr>\n";
    std::size_t number = 0;
    for (const auto& c : cases) {
        ++number;
        const std::string verdict = field(c, "verdict");
        std::string requirements, search = field(c, "id") + " " + field(c, "title");
        for (const auto& r : c.value("requirements", nlohmann::json::array())) {
            requirements += (requirements.empty() ? "" : " ") + text_of(r);
            search += " " + text_of(r);
        }
        html << "<tr class=\"case-row " << escape(verdict) << "\" data-verdict=\"" << escape(verdict) << "\" data-search=\""
             << escape(search) << "\"><td>" << number << "</td><td><a class=\"case-link\" href=\"#case-" << number << "\">"
             << escape(field(c, "id")) << "</a></td><td class=\"verdict " << escape(verdict) << "\">" << escape(verdict) << "</td><td>"
             << escape(requirements) << "</td><td>" << c.value("duration_ms", 0) << "</td></tr>\n";
    }
    html << "</table>\n";

    // Traceability: for each requirement, the cases that check it and how they ended.
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> by_requirement;
    for (const auto& c : cases)
        for (const auto& r : c.value("requirements", nlohmann::json::array()))
            by_requirement[text_of(r)].emplace_back(field(c, "id"), field(c, "verdict"));
    std::map<std::string, std::pair<std::string, std::string>> described;
    for (const auto& r : report.value("requirements", nlohmann::json::array())) described[field(r, "id")] = {field(r, "source"), field(r, "text")};
    html << "<h2>Requirements</h2>\n<table id=\"requirements\"><tr><th>requirement</th><th>source</th><th>text</th><th>cases</th><th>verdict</th></tr>\n";
    for (const auto& [id, list] : by_requirement) {
        std::set<std::string> verdicts;
        for (const auto& [case_id, verdict] : list) verdicts.insert(verdict);
        const std::string overall = verdicts.count("error") ? "error" : verdicts.count("fail") ? "fail" : verdicts.count("waived") ? "waived" : "pass";
        html << "<tr><td>" << escape(id) << "</td><td>" << escape(described[id].first) << "</td><td>" << escape(described[id].second)
             << "</td><td>" << list.size() << "</td><td class=\"" << overall << "\">" << overall << "</td></tr>\n";
    }
    html << "</table>\n";

    html << "<h2>Case details</h2>\n";
    number = 0;
    for (const auto& c : cases) case_detail(html, c, ++number);
    html << "<h2>Inputs</h2>\n<table><tr><th>kind</th><th>file</th><th>SHA-256</th></tr>\n";
    for (const auto& i : report.value("inputs", nlohmann::json::array()))
        html << "<tr><td>" << escape(field(i, "kind")) << "</td><td><code>" << escape(field(i, "file")) << "</code></td><td><code>"
             << escape(field(i, "sha256")) << "</code></td></tr>\n";
    html << "</table>\n<script>" << script << "</script>\n</body></html>\n";
    return html.str();
}

}  // namespace mynasim::reports
