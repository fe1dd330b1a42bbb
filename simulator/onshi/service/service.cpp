#include "service.hpp"

#include <algorithm>
#include <iterator>
#include <string_view>
#include <utility>

#include <pugixml.hpp>

#include "crypto/base64.hpp"
#include "onshi/service/error_answer.hpp"
#include "onshi/service/qualification_resolution.hpp"
#include "onshi/wire/charset.hpp"
#include "onshi/wire/element_names.hpp"
#include "onshi/wire/xml_text.hpp"
#include "onshi/wire/xml_writer.hpp"

namespace mynasim::onshi {

// The request fields this version reads (docs/onshi-api.md).
struct ConfirmationRequest {
    std::string file_identifier;  // ArbitraryFileIdentifier, echoed
    std::string mode;             // pin | pinless | card
    std::string date;             // ConfirmationDate (YYYYMMDD) or empty for the server's date
    std::string certificate, challenge, signature;
    std::string face_result, institution_authenticated;
    std::string insurer, symbol, number, branch, birth_date;
    std::string pharmaceutical_consent, checkup_consent;  // 0 未確認, 1 同意, 2 不同意, 3 その他
    std::string charset;  // CharacterCodeIdentifier: 0 (or empty) UTF-8, 1 Shift_JIS
};

namespace {

// Answers go back in the encoding the request asked for (or UTF-8, should a value have no Shift_JIS form).
HttpResponse encoded(std::string body, int status) {
    const bool is_shift_jis = is_shift_jis_document(body);
    return HttpResponse{status, is_shift_jis ? "application/xml; charset=Shift_JIS" : "application/xml; charset=UTF-8",
                        std::move(body)};
}

bool consent_code(const std::string& value) {
    return value.empty() || value == "0" || value == "1" || value == "2" || value == "3";
}

// A request whose root element is `root`; nullptr (and `problem`) when the XML is not that.
pugi::xml_node parse_root(pugi::xml_document& doc, const std::string& body, const char* root, std::string& problem) {
    const auto parsed = doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) {
        problem = std::string("XML: ") + parsed.description() + " at byte " + std::to_string(parsed.offset);
        return {};
    }
    const auto node = doc.child(root);
    if (!node) problem = std::string("the root element must be ") + root;
    return node;
}

// The elements a confirmation request may carry, and where they go.
constexpr std::pair<std::string_view, std::string ConfirmationRequest::*> confirmation_fields[] = {
    {element::ArbitraryFileIdentifier, &ConfirmationRequest::file_identifier},
    {element::Mode, &ConfirmationRequest::mode},
    {element::ConfirmationDate, &ConfirmationRequest::date},
    {element::Certificate, &ConfirmationRequest::certificate},
    {element::Challenge, &ConfirmationRequest::challenge},
    {element::Signature, &ConfirmationRequest::signature},
    {element::FaceResult, &ConfirmationRequest::face_result},
    {element::InstitutionAuthenticated, &ConfirmationRequest::institution_authenticated},
    {element::InsurerNumber, &ConfirmationRequest::insurer},
    {element::InsuredCardSymbol, &ConfirmationRequest::symbol},
    {element::InsuredIdentificationNumber, &ConfirmationRequest::number},
    {element::InsuredBranchNumber, &ConfirmationRequest::branch},
    {element::Birthdate, &ConfirmationRequest::birth_date},
    {element::PharmaceuticalInformationConsent, &ConfirmationRequest::pharmaceutical_consent},
    {element::SpecificHealthCheckupConsent, &ConfirmationRequest::checkup_consent},
    {element::CharacterCodeIdentifier, &ConfirmationRequest::charset},
};

// `body` is parsed in place (it is the caller's own copy: pugixml would copy it again).
std::optional<ConfirmationRequest> parse_confirmation(std::string& body, std::string& problem) {
    pugi::xml_document doc;
    const auto parsed = doc.load_buffer_inplace(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) {
        problem = std::string("XML: ") + parsed.description() + " at byte " + std::to_string(parsed.offset);
        return std::nullopt;
    }
    const auto root = doc.child(element::QualificationConfirmationRequest);
    if (!root) {
        problem = std::string("the root element must be ") + element::QualificationConfirmationRequest;
        return std::nullopt;
    }
    // One pass over the children; the first element of a name counts (unknown elements are ignored).
    ConfirmationRequest r;
    bool seen[std::size(confirmation_fields)] = {};
    for (const auto child : root.children()) {
        const std::string_view name = child.name();
        for (std::size_t i = 0; i < std::size(confirmation_fields); ++i)
            if (!seen[i] && name == confirmation_fields[i].first) {
                r.*confirmation_fields[i].second = child.child_value();
                seen[i] = true;
                break;
            }
    }
    if (!consent_code(r.pharmaceutical_consent) || !consent_code(r.checkup_consent)) {
        problem = "consent flags must be 0, 1, 2 or 3";
        return std::nullopt;
    }
    if (!r.charset.empty() && r.charset != "0" && r.charset != "1") {
        problem = "charset";
        return std::nullopt;
    }
    if (r.mode != "pin" && r.mode != "pinless" && r.mode != "card") {
        problem = "Mode must be pin, pinless or card, found '" + r.mode + "'";
        return std::nullopt;
    }
    if (!r.date.empty() && (r.date.size() != 8 || r.date.find_first_not_of("0123456789") != std::string::npos)) {
        problem = "ConfirmationDate must be YYYYMMDD, found '" + r.date + "'";
        return std::nullopt;
    }
    return r;
}

}  // namespace

Service::Service(Store& store, const CertificateVerifier& verifier, Clock clock, RandomSource& random,
                 const ErrorTable& errors)
    : store_(store), verifier_(verifier), clock_(std::move(clock)), random_(random), errors_(errors) {}

HttpResponse Service::handle(const HttpRequest& request) {
    try {
        if (request.method != "POST") {
            HttpResponse r = error("malformed_request", "", "use POST");
            r.status = 405;
            return r;
        }
        // One unit per request: its reads share one snapshot (and SQLite's per-transaction checks happen
        // once, not per query); its writes are durable before the answer leaves. 初回登録 reads what it
        // writes, so it runs on the writer, one at a time; other requests read on a reader, in parallel,
        // and their few writes (consents) are committed on the writer as they come.
        const auto kind = request.target == "/v1/registrations" ? Store::Unit::Kind::Write : Store::Unit::Kind::Read;
        Store::Unit unit(store_, kind);
        HttpResponse answer = dispatch(request);
        unit.commit();
        return answer;
    } catch (const std::exception& e) {
        return error("internal_error", "", e.what());
    }
}

HttpResponse Service::dispatch(const HttpRequest& request) {
    if (request.target == "/v1/challenge") return challenge();
    if (request.target == "/v1/confirmations") return confirm(request.body, false);
    if (request.target == "/v1/registrations") return confirm(request.body, true);
    if (request.target == "/v1/medications") return view(request.body, true);
    if (request.target == "/v1/checkups") return view(request.body, false);
    if (request.target == "/v1/claims/transfer") return transfer_claim(request.body);
    HttpResponse r = error("malformed_request", "", "no such call: " + request.target);
    r.status = 404;
    return r;
}

HttpResponse Service::challenge() {
    const auto now = clock_();
    std::lock_guard lock(state_mutex_);
    // Forget challenges long expired, so the book stays bounded.
    std::erase_if(challenges_, [&](const auto& entry) { return now - entry.second.issued > 2 * challenge_lifetime_seconds; });
    Bytes nonce(16);
    random_.fill(nonce);
    const std::string hex = to_hex(nonce);
    challenges_[hex] = ChallengeState{now, false};
    XmlWriter answer(element::ChallengeResponse);
    answer.element(element::Challenge, hex).element(element::ExpiresAt, format_time(now + challenge_lifetime_seconds));
    return HttpResponse{200, "application/xml; charset=UTF-8", answer.finish()};
}

std::string Service::take_challenge(const std::string& hex, UnixTime now) {
    std::lock_guard lock(state_mutex_);
    auto it = challenges_.find(hex);
    if (it == challenges_.end()) return "challenge_unknown";
    if (it->second.used) return "challenge_replayed";
    it->second.used = true;
    if (now - it->second.issued > challenge_lifetime_seconds) return "challenge_expired";
    return "";
}

HttpResponse Service::error(const std::string& key, const std::string& file_identifier, const std::string& detail,
                            const char* root_name) {
    const auto& entry = errors_.at(key);
    return HttpResponse{entry.http_status, "application/xml; charset=UTF-8", error_answer(root_name, entry, file_identifier, detail)};
}

HttpResponse Service::confirm(const std::string& raw_body, bool register_first) {
    auto body = xml_as_utf8(raw_body);
    if (!body) return error("unsupported_charset", "", "the body is not in the encoding its XML declaration names (UTF-8 or Shift_JIS)");
    std::string problem;
    const auto request = parse_confirmation(*body, problem);
    if (!request) return problem == "charset" ? error("unsupported_charset", "") : error("malformed_request", "", problem);
    auto answer = answer_confirmation(*request, register_first);
    if (request->mode == "card") return answer;  // no reader (顔認証/目視) took part
    std::shared_lock observing(observer_mutex_);
    if (reader_observer_) {
        ReaderConfirmation event{request->mode, request->face_result, register_first, answer.status, answer.body};
        if (request->charset == "1" && answer.content_type.find("Shift_JIS") != std::string::npos)
            event.response_utf8 = shift_jis_to_utf8(answer.body).value_or(answer.body);
        reader_observer_(event);
    }
    return answer;
}

void Service::set_reader_observer(std::function<void(const ReaderConfirmation&)> observer) {
    std::lock_guard lock(observer_mutex_);
    reader_observer_ = std::move(observer);
}

HttpResponse Service::answer_confirmation(const ConfirmationRequest& r, bool register_first) {
    const auto now = clock_();
    const std::string date = r.date.empty() ? format_compact_date(now) : r.date;

    std::string person_id;
    Resolution resolution;
    std::optional<CardHolder> holder;  // the card path reads the person with the history
    if (r.mode == "card") {
        if (register_first) return error("malformed_request", r.file_identifier, "初回登録 needs a card certificate (pin or pinless)");
        if (r.insurer.empty() || r.number.empty() || r.branch.empty() || r.birth_date.empty())
            return error("malformed_request", r.file_identifier,
                         "the card path needs InsurerNumber, InsuredIdentificationNumber, InsuredBranchNumber, Birthdate");
        holder = store_.card_holder(r.insurer, r.symbol, r.number, r.branch, r.birth_date);
        if (!holder) return error("card_not_found", r.file_identifier);
        person_id = holder->person.id;
        const auto& history = holder->history;
        const auto card = std::find_if(history.begin(), history.end(), [&](const Qualification& q) {
            return q.insurer == r.insurer && q.symbol == r.symbol && q.number == r.number && q.branch == r.branch;
        });
        resolution = resolve_for_card(history, *card, date);
    } else {
        if (r.mode == "pin") {
            if (r.challenge.empty() || r.signature.empty())
                return error("malformed_request", r.file_identifier, "the PIN path needs Challenge and Signature");
            if (auto key = take_challenge(r.challenge, now); !key.empty()) return error(key, r.file_identifier);
        } else {
            if (r.face_result != "matched" && r.face_result != "visual") return error("face_result_missing", r.file_identifier);
            if (r.institution_authenticated != "1") return error("institution_auth_missing", r.file_identifier);
        }
        const auto der = crypto::base64_decode(r.certificate);
        if (!der) return error("certificate_malformed", r.file_identifier, "Certificate is not base64");
        const auto verdict = verifier_.verify(*der, now, store_);
        if (!verdict.error.empty()) return error(verdict.error, r.file_identifier);
        if (r.mode == "pin") {
            const auto signature = crypto::base64_decode(r.signature);
            const auto challenge_bytes = parse_hex(r.challenge);
            if (!signature || !challenge_bytes ||
                !signature_verifies(verdict.public_key.get(), *challenge_bytes, *signature))
                return error("signature_invalid", r.file_identifier);
        }
        person_id = verdict.person_id;
        if (register_first) store_.register_person(person_id, verdict.serial, format_time(now));
        if (!store_.registered(person_id)) return error("not_registered", r.file_identifier);
        resolution = resolve_for_person(store_.qualifications(person_id), date);
    }

    const auto person = holder ? std::optional<Person>(std::move(holder->person)) : store_.person(person_id);
    // The visit: consent given at the reader is recorded under this id for the viewing calls.
    Bytes id_bytes(8);
    {
        std::lock_guard lock(state_mutex_);
        random_.fill(id_bytes);
    }
    const std::string confirmation_id = to_hex(id_bytes);
    if (!r.pharmaceutical_consent.empty() || !r.checkup_consent.empty())
        store_.record_consent(confirmation_id, person_id,
                              Store::Consent{person_id, r.pharmaceutical_consent.empty() ? "0" : r.pharmaceutical_consent,
                                             r.checkup_consent.empty() ? "0" : r.checkup_consent},
                              format_time(now));
    XmlWriter answer(element::QualificationConfirmationResponse);
    answer.element(element::ArbitraryFileIdentifier, r.file_identifier)
        .element(element::SegmentOfResult, "1")
        .element(element::ProcessingResultStatus, "1")
        .element(element::ConfirmationId, confirmation_id)
        .element(element::ConfirmationDate, date)
        .element(element::QualificationValidity, resolution.validity)
        .open(element::ResultList);
    for (const auto& q : resolution.qualifications)
        answer.open(element::ResultOfQualificationConfirmation)
            .element(element::Name, person->name)
            .element(element::NameKana, person->name_kana)
            .element(element::Sex1, person->sex)
            .element(element::Birthdate, person->birth_date)
            .element(element::InsurerNumber, q.insurer)
            .element(element::InsurerName, q.insurer_name)
            .element(element::InsuredCardSymbol, q.symbol)
            .element(element::InsuredIdentificationNumber, q.number)
            .element(element::InsuredBranchNumber, q.branch)
            .element(element::InsuredCardClassification, q.classification)
            .element(element::PersonalFamilyClassification, q.personal_family)
            .element(element::InsuredCardValidDate, q.valid_from)
            .element(element::InsuredCardExpirationDate, q.valid_to)
            .element(element::QualificationDate, q.qualification_date)
            .element(element::InsuredPartialContributionRatio, q.contribution_ratio)
            .close();
    return encoded(answer.finish(r.charset == "1"), 200);
}

HttpResponse Service::view(const std::string& body, bool medications) {
    const char* request_root = medications ? element::PharmaceuticalInformationRequest : element::SpecificHealthCheckupRequest;
    const char* answer_root = medications ? element::PharmaceuticalInformationResponse : element::SpecificHealthCheckupResponse;
    pugi::xml_document request;
    std::string problem;
    const auto node = parse_root(request, body, request_root, problem);
    if (!node) return error("malformed_request", "", problem, answer_root);
    const std::string file_identifier = node.child_value(element::ArbitraryFileIdentifier);
    const std::string id = node.child_value(element::ConfirmationId);
    if (id.empty()) return error("malformed_request", file_identifier, "ConfirmationId is required", answer_root);
    const auto consent = store_.consent(id);
    if (!consent || (medications ? consent->pharmaceutical : consent->checkup) != "1")
        return error("consent_missing", file_identifier,
                     consent ? "the patient did not consent at the reader for this visit" : "no consent recorded for this ConfirmationId",
                     answer_root);
    XmlWriter answer(answer_root);
    answer.element(element::ArbitraryFileIdentifier, file_identifier)
        .element(element::SegmentOfResult, "1")
        .element(element::ProcessingResultStatus, "1");
    if (medications) {
        answer.open(element::PharmaceuticalList);
        for (const auto& m : store_.medications(consent->person_id))
            answer.open(element::Pharmaceutical)
                .element(element::DispensingDate, m.dispensed_on)
                .element(element::DrugName, m.drug)
                .element(element::Quantity, m.quantity)
                .element(element::Institution, m.institution)
                .close();
    } else {
        answer.open(element::CheckupResultList);
        for (const auto& c : store_.checkups(consent->person_id))
            answer.open(element::CheckupResult)
                .element(element::ExaminationDate, c.examined_on)
                .element(element::Item, c.item)
                .element(element::Value, c.value)
                .element(element::Unit, c.unit)
                .close();
    }
    return HttpResponse{200, "application/xml; charset=UTF-8", answer.finish()};
}

HttpResponse Service::transfer_claim(const std::string& body) {
    constexpr const char* answer_root = element::ClaimTransferResponse;
    pugi::xml_document request;
    std::string problem;
    const auto node = parse_root(request, body, element::ClaimTransferRequest, problem);
    if (!node) return error("malformed_request", "", problem, answer_root);
    const std::string file_identifier = node.child_value(element::ArbitraryFileIdentifier);
    const std::string id = node.child_value(element::ClaimId);
    if (id.empty()) return error("malformed_request", file_identifier, "ClaimId is required", answer_root);
    const auto record = store_.claim(id);
    if (!record) return error("claim_unknown", file_identifier, {}, answer_root);
    // The insurer valid on the date of care, through the same person's history.
    const auto resolution = resolve_for_person(store_.qualifications(record->person_id), record->claim.care_date);
    if (resolution.validity != "1" && resolution.validity != "5")
        return error("claim_no_insurer", file_identifier, "no qualification valid on " + record->claim.care_date, answer_root);
    const std::string target = resolution.qualifications.front().insurer;
    XmlWriter answer(answer_root);
    answer.element(element::ArbitraryFileIdentifier, file_identifier)
        .element(element::SegmentOfResult, "1")
        .element(element::ProcessingResultStatus, "1")
        .element(element::ClaimId, id)
        .element(element::CareDate, record->claim.care_date)
        .element(element::OriginalInsurerNumber, record->claim.insurer)
        .element(element::TransferredInsurerNumber, target)
        .element(element::TransferredInsurerName, store_.insurer_name(target))
        // 1: re-routed to another insurer; 2: already addressed to the right one.
        .element(element::TransferResult, target == record->claim.insurer ? "2" : "1");
    return HttpResponse{200, "application/xml; charset=UTF-8", answer.finish()};
}

}  // namespace mynasim::onshi
