#include "gateway.hpp"

#include <openssl/crypto.h>

namespace mynasim::onshi {

namespace {

HttpResponse json_answer(int status, const nlohmann::json& body) {
    // Bodies in the journal may be Shift_JIS: invalid UTF-8 is replaced rather than failing the answer.
    return HttpResponse{status, "application/json", body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"};
}

bool token_matches(const std::string& header, const std::string& token) {
    const std::string expected = "Bearer " + token;
    return !token.empty() && header.size() == expected.size() &&
           CRYPTO_memcmp(header.data(), expected.data(), expected.size()) == 0;
}

}  // namespace

Gateway::Gateway(Service& service, ControllableClock& clock, std::string admin_token, std::function<void()> reset_dataset)
    : service_(service), clock_(clock), admin_token_(std::move(admin_token)), reset_dataset_(std::move(reset_dataset)) {}

HttpResponse Gateway::handle(const HttpRequest& request) {
    if (request.target.rfind("/admin/", 0) == 0) return admin(request);
    HttpResponse answer;
    std::string note;
    const auto fault = faults_.take(request.target);
    if (fault && fault->kind == "drop") {
        answer.delivery = Delivery::DropConnection;
        note = "drop";
    } else if (fault && fault->kind == "no_answer") {
        answer.delivery = Delivery::NoAnswer;
        note = "no_answer";
    } else if (fault && fault->kind == "status") {
        answer = HttpResponse{fault->status, "text/plain; charset=UTF-8", "injected fault: HTTP " + std::to_string(fault->status) + "\n"};
        note = "status";
    } else if (fault && fault->kind == "malformed") {
        answer = service_.handle(request);
        answer.body = answer.body.substr(0, answer.body.size() / 2) + "\x01<<garbage";  // cut mid-element
        note = "malformed";
    } else {
        answer = service_.handle(request);
        if (fault) {  // latency
            answer.delay_ms = fault->latency_ms;
            note = "latency " + std::to_string(fault->latency_ms) + " ms";
        }
    }
    journal_.record(clock_.now(), request.tag, request.target,
                    answer.delivery == Delivery::Normal ? answer.status : 0, request.body, answer.body, note);
    return answer;
}

HttpResponse Gateway::admin(const HttpRequest& request) {
    if (!token_matches(request.authorization, admin_token_))
        return json_answer(401, {{"error", "admin calls need 'Authorization: Bearer <token>' (the token printed at start)"}});
    if (request.method != "POST") return json_answer(405, {{"error", "use POST"}});
    nlohmann::json body = nlohmann::json::object();
    try {
        if (!request.body.empty()) body = nlohmann::json::parse(request.body);
        if (!body.is_object()) throw std::invalid_argument("the body must be a JSON object");
        if (request.target == "/admin/v1/clock") {
            std::string error;
            if (body.contains("set")) {
                const auto t = resolve_time(body.at("set").get<std::string>(), default_reference_time, error);
                if (!t) throw std::invalid_argument("set: " + error);
                clock_.set(*t);
            }
            if (body.contains("advance")) {
                const auto base = clock_.now();
                const auto t = resolve_time(body.at("advance").get<std::string>(), base, error);
                if (!t) throw std::invalid_argument("advance: " + error);
                clock_.advance(*t - base);
            }
            return json_answer(200, {{"now", format_time(clock_.now())}});
        }
        if (request.target == "/admin/v1/faults") {
            if (body.value("clear", false)) faults_.clear();
            if (body.contains("add")) faults_.add(FaultPlan::parse(body.at("add")));
            return json_answer(200, {{"faults", faults_.describe()}});
        }
        if (request.target == "/admin/v1/journal") {
            const int max = body.value("max", 100);
            return json_answer(200, {{"entries", journal_.query(body.value("tag", ""), static_cast<std::size_t>(std::max(max, 0)))}});
        }
        if (request.target == "/admin/v1/reset") {
            faults_.clear();
            journal_.clear();
            reset_dataset_();
            return json_answer(200, {{"reset", true}});
        }
        return json_answer(404, {{"error", "no such admin call: " + request.target + " (clock, faults, journal, reset)"}});
    } catch (const std::exception& e) {
        return json_answer(400, {{"error", e.what()}});
    }
}

}  // namespace mynasim::onshi
