#include "reference_client.hpp"

#include <optional>
#include <sstream>

#include <pugixml.hpp>

#include "client/answer_report.hpp"
#include "client/exit_codes.hpp"
#include "client/jpki_card.hpp"
#include "crypto/base64.hpp"
#include "crypto/signature.hpp"

namespace mynasim::client {

namespace {

// An action that ends early: its exit code, result name and message.
struct Stop {
    int exit_code;
    std::string result;
    std::string message;
};

std::string mode_name(Mode mode) {
    switch (mode) {
    case Mode::Pin: return "pin";
    case Mode::Pinless: return "pinless";
    case Mode::InsuranceCard: return "card";
    }
    return "?";
}

Stop card_stop(const CardError& e) {
    switch (e.fault()) {
    case CardFault::NoService:
    case CardFault::NoReader: return {exit_code::no_reader, "no_reader", e.what()};
    case CardFault::NoCard: return {exit_code::no_card, "no_card", e.what()};
    case CardFault::Removed: return {exit_code::card_removed, "card_removed", e.what()};
    case CardFault::Mute: return {exit_code::card_mute, "card_mute", e.what()};
    case CardFault::Other: break;
    }
    return {exit_code::card_error, "card_error", e.what()};
}

Stop server_stop(const ServerError& e) {
    switch (e.fault()) {
    case ServerFault::Unreachable: return {exit_code::server_unreachable, "server_unreachable", e.what()};
    case ServerFault::Timeout: return {exit_code::server_timeout, "server_timeout", e.what()};
    case ServerFault::Protocol: break;
    }
    return {exit_code::server_malformed, "server_malformed", e.what()};
}

std::string xml_of(const pugi::xml_document& doc) {
    std::ostringstream out;
    doc.save(out, "", pugi::format_raw, pugi::encoding_utf8);
    return out.str();
}

void add(pugi::xml_node parent, const char* name, const std::string& value) {
    if (!value.empty()) parent.append_child(name).text().set(value.c_str());
}

// Runs an action's body; whatever ends it early becomes the outcome's result, exit code and message.
template <class Body>
void run_action(Outcome& out, Body&& body) {
    std::optional<Stop> stop;
    try {
        body();
    } catch (const Stop& s) {
        stop = s;
    } catch (const CardError& e) {
        stop = card_stop(e);
    } catch (const NotMyNumberCard& e) {
        stop = Stop{exit_code::not_my_number_card, "not_my_number_card", e.what()};
    } catch (const CardRefusal& e) {
        stop = Stop{exit_code::card_error, "card_error", e.what()};
    } catch (const ServerError& e) {
        stop = server_stop(e);
    } catch (const std::invalid_argument& e) {
        stop = Stop{exit_code::usage, "usage", e.what()};
    }
    auto& report = out.report;
    out.exit_code = stop ? stop->exit_code : exit_code::ok;
    report["result"] = stop ? stop->result : "ok";
    if (stop) {
        report["message"] = stop->message;
        out.lines.push_back(stop->result + ": " + stop->message);
    }
    report["exit_code"] = out.exit_code;
    if (!report.contains("error_code")) report["error_code"] = "";
    if (!report.contains("message")) report["message"] = "";
}

// Reads the API's answer: the root element of the call, an error (code → exit code) or a result.
pugi::xml_node read_answer(pugi::xml_document& doc, const ServerAnswer& answer, const char* root_name, nlohmann::json& report,
                           const std::string& url) {
    report["http_status"] = answer.status;
    const auto parsed = doc.load_buffer(answer.body.data(), answer.body.size());
    const auto root = parsed ? doc.child(root_name) : pugi::xml_node();
    if (!root) {
        const std::string what = parsed ? std::string("no ") + root_name + " element" : std::string("not XML (") + parsed.description() + ")";
        throw Stop{exit_code::server_malformed, "server_malformed",
                   "the answer of " + url + " (HTTP " + std::to_string(answer.status) + ") is " + what + ": " +
                       answer.body.substr(0, 200)};
    }
    const std::string code = root.child_value("ErrorCode");
    if (!code.empty()) {
        report["error_code"] = code;
        const std::string message = std::string(root.child_value("ErrorMessage")) +
                                    (root.child("ErrorDetail") ? std::string(" (") + root.child_value("ErrorDetail") + ")" : "");
        if (code.rfind("OQS-E2", 0) == 0) throw Stop{exit_code::certificate_rejected, "certificate_rejected", code + " " + message};
        if (code == "OQS-E3001") throw Stop{exit_code::not_registered, "not_registered", code + " " + message};
        throw Stop{exit_code::server_refused, "server_refused", code + " " + message};
    }
    if (std::string(root.child_value("SegmentOfResult")) != "1" || answer.status != 200)
        throw Stop{exit_code::server_malformed, "server_malformed",
                   "the answer of " + url + " is neither a result nor an error (HTTP " + std::to_string(answer.status) + ")"};
    return root;
}

// Reads a confirmation's XmlMsg answer into the outcome; an error at either level ends the action.
void read_qualification_answer(const ServerAnswer& answer, Outcome& out, const std::string& url) {
    auto& report = out.report;
    report["http_status"] = answer.status;
    if (const auto id = answer.headers.find("X-Mynasim-Confirmation-Id"); id != answer.headers.end()) report["ConfirmationId"] = id->second;
    pugi::xml_document doc;
    const auto parsed = doc.load_buffer(answer.body.data(), answer.body.size());
    const auto root = parsed ? doc.child("XmlMsg") : pugi::xml_node();
    if (!root)
        throw Stop{exit_code::server_malformed, "server_malformed",
                   "the answer of " + url + " (HTTP " + std::to_string(answer.status) + ") is " +
                       (parsed ? std::string("no XmlMsg") : std::string("not XML (") + parsed.description() + ")") + ": " + answer.body.substr(0, 200)};
    if (const auto error = report_xml_msg(root, out)) {
        const auto detail = answer.headers.find("X-Mynasim-Detail");
        const int code = exit_code_for(*error);
        throw Stop{code, result_name(code),
                   error->code + " " + error->message + (detail != answer.headers.end() ? " (" + detail->second + ")" : std::string())};
    }
    if (answer.status != 200)
        throw Stop{exit_code::server_malformed, "server_malformed", "the answer of " + url + " is a result with HTTP " + std::to_string(answer.status)};
}

}  // namespace

ReferenceClient::ReferenceClient(ClientSettings settings) : settings_(std::move(settings)) {}

Outcome ReferenceClient::confirm(const ConfirmationOrder& order) {
    Outcome out;
    auto& report = out.report;
    report["action"] = order.registration ? "register" : "confirm";
    report["mode"] = mode_name(order.mode);
    if (order.mode == Mode::Pinless) report["face"] = order.face;
    std::unique_ptr<CardChannel> channel;
    std::unique_ptr<JpkiCard> card;
    run_action(out, [&] {
        OnshiClient server(settings_.server);
        pugi::xml_document request;
        auto root = request.append_child("QualificationConfirmationRequest");
        add(root, "ArbitraryFileIdentifier", order.file_identifier);
        add(root, "Mode", mode_name(order.mode));
        if (order.mode == Mode::InsuranceCard) {
            add(root, "InsurerNumber", order.card.insurer);
            add(root, "InsuredCardSymbol", order.card.symbol);
            add(root, "InsuredIdentificationNumber", order.card.number);
            add(root, "InsuredBranchNumber", order.card.branch);
            add(root, "Birthdate", order.card.birth_date);
        } else {
            channel = settings_.open_card();
            card = std::make_unique<JpkiCard>(*channel);
            card->select_jpki();
            if (order.mode == Mode::Pin) {
                // Ask the counter first (costs nothing); a blocked PIN is never tried.
                const PinStatus status = card->auth_pin_status();
                report["pin_tries_left"] = status.tries_left;
                if (status.not_set)
                    throw Stop{exit_code::pin_not_set, "pin_not_set",
                               "this card has no PIN (顔認証マイナンバーカード): confirm by 顔認証 or 目視 at the reader (--pinless); no VERIFY was sent"};
                if (status.blocked)
                    throw Stop{exit_code::pin_locked, "pin_locked", "the auth PIN is blocked (no VERIFY was sent); the card must be reset at the municipality"};
                const Bytes certificate = card->read_auth_certificate();
                const ServerAnswer challenge_answer = server.post("/v2/challenge", "");
                pugi::xml_document challenge_doc;
                const std::string challenge_hex =
                    challenge_doc.load_string(challenge_answer.body.c_str()) ? challenge_doc.child("ChallengeResponse").child_value("Challenge") : "";
                const auto challenge = parse_hex(challenge_hex);
                if (challenge_answer.status != 200 || !challenge || challenge->empty())
                    throw Stop{exit_code::server_malformed, "server_malformed",
                               "no challenge in the answer of " + server.url() + "/v2/challenge (HTTP " +
                                   std::to_string(challenge_answer.status) + "): " + challenge_answer.body.substr(0, 200)};
                int tries_left = status.tries_left;
                switch (card->verify_auth_pin(order.pin, tries_left)) {
                case PinOutcome::Verified: break;
                case PinOutcome::Wrong:
                    report["pin_tries_left"] = tries_left;
                    throw Stop{exit_code::wrong_pin, "wrong_pin", "wrong PIN: " + std::to_string(tries_left) + " tries left"};
                case PinOutcome::Blocked:
                    report["pin_tries_left"] = 0;
                    throw Stop{exit_code::pin_locked, "pin_locked", "wrong PIN: the auth PIN is now blocked"};
                }
                const Bytes signature = card->sign_with_auth_key(crypto::sha256_digest_info(*challenge));
                add(root, "Certificate", crypto::base64_encode(certificate));
                add(root, "Challenge", challenge_hex);
                add(root, "Signature", crypto::base64_encode(signature));
            } else {
                // The reader matched the face (or staff looked): it authenticates as 特定機関 and reads the face
                // image, then the auth certificate, which needs no PIN. No VERIFY at all.
                const std::size_t image = card->institution_authentication(settings_.institution_certificate, settings_.institution_key.get());
                report["face_image_bytes"] = image;
                card->select_jpki();
                const Bytes certificate = card->read_auth_certificate();
                add(root, "Certificate", crypto::base64_encode(certificate));
                add(root, "FaceResult", order.face);
                add(root, "InstitutionAuthenticated", "1");
            }
        }
        add(root, "PharmacistsInfoConsFlg", order.pharmaceutical_consent);
        add(root, "SpecificHealthCheckupsInfoConsFlg", order.checkup_consent);
        add(root, "MedicalTreatmentFlag", order.treatment);
        const ServerAnswer answer = server.post(order.registration ? "/v2/registrations" : "/v2/confirmations", xml_of(request));
        read_qualification_answer(answer, out, server.url());
        out.lines.insert(out.lines.begin(), std::string(order.registration ? "初回登録と資格確認" : "資格確認") + " OK (" +
                            (order.mode == Mode::Pin ? "暗証番号" : order.mode == Mode::Pinless ? (order.face == "visual" ? "PIN無し, 目視" : "PIN無し, 顔認証") : "保険証") + ")");
    });
    if (card) report["apdu_count"] = card->exchanges().size();
    return out;
}

Outcome ReferenceClient::view(bool medications, const std::optional<std::string>& confirmation_id, const ConfirmationOrder& order) {
    Outcome out;
    std::string id;
    if (confirmation_id) {
        id = *confirmation_id;
    } else {
        out = confirm(order);  // the visit, with the consent given at the reader
        if (out.exit_code != exit_code::ok) return out;
        id = out.report["ConfirmationId"].get<std::string>();
    }
    auto& report = out.report;
    report["action"] = medications ? "medications" : "checkups";
    const char* request_root = medications ? "PharmaceuticalInformationRequest" : "SpecificHealthCheckupRequest";
    const char* answer_root = medications ? "PharmaceuticalInformationResponse" : "SpecificHealthCheckupResponse";
    run_action(out, [&] {
        OnshiClient server(settings_.server);
        pugi::xml_document request;
        auto root = request.append_child(request_root);
        add(root, "ArbitraryFileIdentifier", order.file_identifier);
        add(root, "ConfirmationId", id);
        const ServerAnswer answer = server.post(medications ? "/v2/medications" : "/v2/checkups", xml_of(request));
        pugi::xml_document answer_doc;
        const auto answer_node = read_answer(answer_doc, answer, answer_root, report, server.url());
        nlohmann::json list = nlohmann::json::array();
        if (medications) {
            out.lines.push_back("薬剤情報 (ConfirmationId " + id + "):");
            for (auto item : answer_node.child("PharmaceuticalList").children("Pharmaceutical")) {
                nlohmann::json m{{"DispensingDate", item.child_value("DispensingDate")}, {"DrugName", item.child_value("DrugName")},
                                 {"Quantity", item.child_value("Quantity")}, {"Institution", item.child_value("Institution")}};
                out.lines.push_back("  " + m["DispensingDate"].get<std::string>() + " " + m["DrugName"].get<std::string>() + " " +
                                    m["Quantity"].get<std::string>() + " (" + m["Institution"].get<std::string>() + ")");
                list.push_back(m);
            }
            report["PharmaceuticalList"] = list;
        } else {
            out.lines.push_back("特定健診情報 (ConfirmationId " + id + "):");
            for (auto item : answer_node.child("CheckupResultList").children("CheckupResult")) {
                nlohmann::json c{{"ExaminationDate", item.child_value("ExaminationDate")}, {"Item", item.child_value("Item")},
                                 {"Value", item.child_value("Value")}, {"Unit", item.child_value("Unit")}};
                out.lines.push_back("  " + c["ExaminationDate"].get<std::string>() + " " + c["Item"].get<std::string>() + " " +
                                    c["Value"].get<std::string>() + " " + c["Unit"].get<std::string>());
                list.push_back(c);
            }
            report["CheckupResultList"] = list;
        }
        report["ConfirmationId"] = id;
    });
    return out;
}

Outcome ReferenceClient::transfer_claim(const std::string& claim_id, const std::string& file_identifier) {
    Outcome out;
    auto& report = out.report;
    report["action"] = "transfer";
    run_action(out, [&] {
        OnshiClient server(settings_.server);
        pugi::xml_document request;
        auto root = request.append_child("ClaimTransferRequest");
        add(root, "ArbitraryFileIdentifier", file_identifier);
        add(root, "ClaimId", claim_id);
        const ServerAnswer answer = server.post("/v2/claims/transfer", xml_of(request));
        pugi::xml_document answer_doc;
        const auto node = read_answer(answer_doc, answer, "ClaimTransferResponse", report, server.url());
        for (const char* name : {"ClaimId", "CareDate", "OriginalInsurerNumber", "TransferredInsurerNumber", "TransferredInsurerName",
                                 "TransferResult"})
            report[name] = node.child_value(name);
        out.lines.push_back(std::string("レセプト振替 ") + node.child_value("ClaimId") + " (" + node.child_value("CareDate") + "): " +
                            node.child_value("OriginalInsurerNumber") + " → " + node.child_value("TransferredInsurerNumber") + " " +
                            node.child_value("TransferredInsurerName") +
                            (std::string(node.child_value("TransferResult")) == "2" ? " (already the right insurer)" : ""));
    });
    return out;
}

}  // namespace mynasim::client
