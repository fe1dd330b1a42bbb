#include "case_runner.hpp"

#include <algorithm>
#include <thread>

namespace mynasim::harness {

namespace {

using Clock = std::chrono::steady_clock;

std::string text_of(const nlohmann::json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_null()) return "(absent)";
    return value.dump();
}

// A report field by name, or by a dotted path into its objects and arrays ("units.0.QualificationValidity");
// null when absent.
nlohmann::json field_of(const nlohmann::json& output, const std::string& field) {
    if (output.contains(field)) return output[field];
    const nlohmann::json* at = &output;
    std::size_t start = 0;
    while (start <= field.size()) {
        const auto dot = field.find('.', start);
        const std::string part = field.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (at->is_object() && at->contains(part)) at = &(*at)[part];
        else if (at->is_array() && !part.empty() && part.size() < 9 && part.find_first_not_of("0123456789") == std::string::npos &&
                 std::stoul(part) < at->size())
            at = &(*at)[std::stoul(part)];
        else return nullptr;
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return *at;
}

std::string upper(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return text;
}

// "hex:0020" matches commands starting with those bytes; anything else is a part of the decoded text.
bool matches(const nlohmann::json& exchange, const std::string& pattern) {
    if (pattern.rfind("hex:", 0) == 0) return upper(exchange.value("command", "")).rfind(upper(pattern.substr(4)), 0) == 0;
    return exchange.value("command_text", "").find(pattern) != std::string::npos;
}

std::string describe(const Step& step) {
    auto join = [](const std::vector<std::string>& words) {
        std::string out;
        for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
        return out;
    };
    switch (step.kind) {
    case StepKind::Client: return "client " + join(step.args);
    case StepKind::Reception: return "reception " + join(step.args);
    case StepKind::Insert: return "insert" + (step.profile.empty() ? std::string() : " " + step.profile);
    case StepKind::Remove: return "remove";
    case StepKind::Reset: return "reset";
    case StepKind::Fault: return "fault " + step.fault.dump();
    case StepKind::ClearFaults: return "clear_faults";
    case StepKind::Clock: return "clock" + (step.clock_set.empty() ? "" : " set " + step.clock_set) +
                                 (step.clock_advance.empty() ? "" : " advance " + step.clock_advance);
    case StepKind::Wait: return "wait " + std::to_string(step.wait_ms) + " ms";
    case StepKind::SetTries: return "set_tries " + step.pin + " " + std::to_string(step.count);
    case StepKind::TearAfter: return "tear_after " + std::to_string(step.count) + " APDUs";
    }
    return "?";
}

void check(const Expectation& e, std::size_t step_number, int exit_code, const nlohmann::json& output,
           const nlohmann::json& exchanges, const nlohmann::json& calls, const nlohmann::json& card, std::chrono::milliseconds duration,
           std::vector<ExpectationFailure>& failures) {
    const std::string where = e.where.str();
    auto fail = [&](std::string what, std::string expected, std::string actual) {
        failures.push_back({step_number, std::move(what), std::move(expected), std::move(actual), where});
    };
    if (e.exit) {
        const bool numeric = e.exit->find_first_not_of("0123456789") == std::string::npos;
        const std::string result = output.value("result", std::string("?"));
        const bool ok = numeric ? std::stoi(*e.exit) == exit_code : *e.exit == result;
        if (!ok) {
            std::string actual = result + " (exit " + std::to_string(exit_code) + ")";
            if (output.contains("message") && !text_of(output["message"]).empty()) actual += ": " + text_of(output["message"]);
            fail("exit", *e.exit, actual);
        }
    }
    for (const auto& [field, expected] : e.json) {
        const std::string actual = text_of(field_of(output, field));
        if (actual != expected) fail("json." + field, expected, actual);
    }
    auto commands_matching = [&](const std::string& pattern) {
        int n = 0;
        for (const auto& x : exchanges) n += matches(x, pattern) ? 1 : 0;
        return n;
    };
    auto command_list = [&] {
        std::string out;
        for (const auto& x : exchanges) out += (out.empty() ? "" : "; ") + x.value("command_text", x.value("command", ""));
        return out.empty() ? std::string("(no APDU)") : out;
    };
    for (const auto& pattern : e.apdu_contains)
        if (commands_matching(pattern) == 0) fail("apdu.contains", pattern, command_list());
    for (const auto& pattern : e.apdu_not_contains)
        if (const int n = commands_matching(pattern); n > 0)
            fail("apdu.not_contains", "no " + pattern, std::to_string(n) + " sent: " + command_list());
    for (const auto& [pattern, count] : e.apdu_count)
        if (const int n = commands_matching(pattern); n != count)
            fail("apdu.count " + pattern, std::to_string(count), std::to_string(n) + ": " + command_list());
    if (!e.apdu_order.empty()) {
        // The patterns must match commands in this order; other commands may come between them.
        std::size_t next = 0;
        for (const auto& x : exchanges)
            if (next < e.apdu_order.size() && matches(x, e.apdu_order[next])) ++next;
        if (next < e.apdu_order.size()) {
            std::string wanted;
            for (const auto& p : e.apdu_order) wanted += (wanted.empty() ? "" : " → ") + p;
            fail("apdu.order", wanted, "'" + e.apdu_order[next] + "' not found after the ones before it: " + command_list());
        }
    }
    auto call_list = [&] {
        std::string out;
        for (const auto& c : calls) out += (out.empty() ? "" : ", ") + c.value("call", "");
        return out.empty() ? std::string("(no call)") : out;
    };
    auto called = [&](const std::string& call) {
        return std::any_of(calls.begin(), calls.end(), [&](const nlohmann::json& c) { return c.value("call", "") == call; });
    };
    for (const auto& call : e.journal_called)
        if (!called(call)) fail("journal.called", call, call_list());
    for (const auto& call : e.journal_not_called)
        if (called(call)) fail("journal.not_called", "no " + call, call_list());
    if (e.requests_valid || e.requests_findings) {
        // The findings of the file interface's check of every request the step left in Req, in order.
        std::vector<std::string> findings;
        bool any_request = false, any_error = false;
        for (const auto& c : calls) {
            if (c.value("call", "").rfind("Req/", 0) != 0) continue;
            any_request = true;
            for (const auto& f : c.value("findings", nlohmann::json::array())) {
                findings.push_back(f.value("rule", "") + " at " + f.value("where", ""));
                if (f.value("severity", "") == "error") any_error = true;
            }
        }
        std::string actual;
        for (const auto& f : findings) actual += (actual.empty() ? "" : ", ") + f;
        if (actual.empty()) actual = any_request ? "(no finding)" : "(no request in Req)";
        if (!any_request) {
            fail("requests", "a request in Req", actual);
        } else {
            if (e.requests_valid && *e.requests_valid == any_error)
                fail("requests.valid", *e.requests_valid ? "no error finding" : "an error finding", actual);
            if (e.requests_findings) {
                const auto& wanted = *e.requests_findings;
                bool same = wanted.size() == findings.size();
                for (std::size_t k = 0; same && k < wanted.size(); ++k)
                    same = wanted[k].find(" at ") == std::string::npos ? findings[k].substr(0, findings[k].find(" at ")) == wanted[k]
                                                                       : findings[k] == wanted[k];
                std::string expected;
                for (const auto& w : wanted) expected += (expected.empty() ? "" : ", ") + w;
                if (!same) fail("requests.findings", expected.empty() ? "(no finding)" : expected, actual);
            }
        }
    }
    if (e.tries_left) {
        const auto tries = card.value("tries_left", nlohmann::json::object());
        const std::string actual = tries.contains("auth") ? text_of(tries["auth"]) : "(unknown)";
        if (actual != std::to_string(*e.tries_left)) fail("card.tries_left", std::to_string(*e.tries_left), actual);
    }
    if (e.max_duration_ms && duration.count() > *e.max_duration_ms)
        fail("duration_ms", "<= " + std::to_string(*e.max_duration_ms), std::to_string(duration.count()));
}

}  // namespace

CaseResult run_case(const Case& test_case, TestBench& bench, const ClientAdapter& client, const ClientAdapter& reception,
                    const CaseSettings& settings) {
    CaseResult result;
    result.test_case = &test_case;
    result.client = client.name();
    const auto started = Clock::now();
    const auto& scenario_file = test_case.scenario->file;
    try {
        bench.prepare(test_case, resolve_profile(test_case.setup.profile, scenario_file, *settings.context));
        for (std::size_t i = 0; i < test_case.steps.size(); ++i) {
            const Step& step = test_case.steps[i];
            StepRecord record;
            record.action = describe(step);
            const auto step_started = Clock::now();
            switch (step.kind) {
            case StepKind::Client:
            case StepKind::Reception: {
                const auto trace_before = bench.trace().size();
                const auto journal_before = bench.journal().size();
                const ClientAdapter& adapter = step.kind == StepKind::Client ? client : reception;
                BenchAddress address;
                address.mynasim_binary = settings.mynasim_binary;
                address.server_url = bench.server_url();
                address.files_dir = bench.files_dir().string();
                address.pcsc_environment = bench.environment();
                const ClientCall call = adapter.command(step.args, address);
                const ProcessResult run = run_process(call.argv, call.environment, settings.step_timeout);
                record.exit_code = run.exit_code;
                record.duration = run.duration;
                if (!run.start_error.empty()) throw BenchError("step " + std::to_string(i + 1) + ": " + run.start_error);
                if (run.timed_out)
                    throw BenchError("step " + std::to_string(i + 1) + " (" + record.action + ") did not finish within " +
                                     std::to_string(settings.step_timeout.count()) + " ms and was killed");
                record.output = adapter.read_output(run.exit_code, run.out, run.err);
                const auto trace = bench.trace();
                nlohmann::json exchanges = nlohmann::json::array();
                for (std::size_t k = std::min(trace_before, trace.size()); k < trace.size(); ++k) {
                    auto x = trace[k];
                    x["step"] = i + 1;
                    exchanges.push_back(x);
                    result.apdus.push_back(x);
                }
                const auto journal = bench.journal();
                nlohmann::json calls = nlohmann::json::array();
                for (std::size_t k = std::min(journal_before, journal.size()); k < journal.size(); ++k) calls.push_back(journal[k]);
                if (step.expect)
                    check(*step.expect, i + 1, run.exit_code, record.output, exchanges, calls,
                          step.expect->tries_left ? bench.card_status() : nlohmann::json::object(), run.duration, result.failures);
                break;
            }
            case StepKind::Insert:
                bench.insert(step.profile.empty() ? std::filesystem::path() : resolve_profile(step.profile, scenario_file, *settings.context));
                break;
            case StepKind::Remove: bench.remove(); break;
            case StepKind::Reset: bench.reset(); break;
            case StepKind::Fault: bench.admin("faults", {{"add", step.fault}}); break;
            case StepKind::ClearFaults: bench.admin("faults", {{"clear", true}}); break;
            case StepKind::Clock: {
                nlohmann::json body = nlohmann::json::object();
                if (!step.clock_set.empty()) body["set"] = step.clock_set;
                if (!step.clock_advance.empty()) body["advance"] = step.clock_advance;
                bench.admin("clock", body);
                break;
            }
            case StepKind::Wait: std::this_thread::sleep_for(std::chrono::milliseconds(step.wait_ms)); break;
            case StepKind::SetTries: bench.set_tries(step.pin, step.count); break;
            case StepKind::TearAfter: bench.tear_after(step.count); break;
            }
            if (step.kind != StepKind::Client && step.kind != StepKind::Reception)
                record.duration = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - step_started);
            result.steps.push_back(std::move(record));
        }
        result.journal = bench.journal();
        result.verdict = result.failures.empty() ? Verdict::Pass : Verdict::Fail;
    } catch (const BenchError& e) {
        result.verdict = Verdict::Error;
        result.error = e.what();
    } catch (const std::exception& e) {
        result.verdict = Verdict::Error;
        result.error = std::string("harness: ") + e.what();
    }
    try {
        bench.finish_case();
    } catch (const std::exception&) {
    }
    result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    return result;
}

const char* verdict_name(Verdict verdict) {
    switch (verdict) {
    case Verdict::Pass: return "pass";
    case Verdict::Fail: return "fail";
    case Verdict::Error: return "error";
    case Verdict::Waived: return "waived";
    }
    return "?";
}

}  // namespace mynasim::harness
