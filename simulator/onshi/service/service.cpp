#include "service.hpp"

#include <algorithm>
#include <array>
#include <unordered_map>
#include <iterator>
#include <string_view>
#include <utility>

#include <pugixml.hpp>

#include "crypto/base64.hpp"
#include "onshi/codes/code_tables.hpp"
#include "onshi/service/answer_builder.hpp"
#include "onshi/service/error_answer.hpp"
#include "onshi/service/qualification_resolution.hpp"
#include "onshi/wire/charset.hpp"
#include "onshi/wire/element_names.hpp"
#include "onshi/wire/xml_msg_writer.hpp"
#include "onshi/wire/xml_text.hpp"
#include "onshi/wire/xml_writer.hpp"

namespace mynasim::onshi {

// The request fields this version reads (docs/onshi-api.md).
struct ConfirmationRequest {
    std::string file_identifier;  // ArbitraryFileIdentifier, echoed
    std::string mode;             // pin | pinless | card
    std::string date;             // QualificationConfirmationDate (YYYYMMDD) or empty for the server's date
    std::string certificate, challenge, signature;
    std::string face_result, institution_authenticated;
    std::string insurer, symbol, number, branch, birth_date;
    // Given at the reader (OQSCD016 flags, 処方箋発行形態): recorded and shown in the answer.
    std::string checkups_consent, pharmacists_consent, diagnosis_consent, operation_consent;
    std::string limit_consent, specific_diseases_consent, prescription;
    std::string treatment;  // MedicalTreatmentFlag (OQSCD028) of the visit; absent: 1 外来
    std::string charset;    // CharacterCodeIdentifier of the answer
};

namespace {

constexpr std::int64_t consent_hours = 24;
constexpr char paper_card_last_day[] = "20251201";  // the paper 保険証's transition ended (../shared/spec/oqs-files.md)  // a consent given at the reader holds for 24 hours (../shared/spec: the consent window)

// Whether a visit's consent flag (OQSCD016) lets its information be viewed: 1 同意あり, and 3 同意取得困難,
// which the tables allow only at 救急時 (救急時医療情報閲覧: viewed without consent; MODELED).
bool lets_view(const std::string& flag) { return flag == "1" || flag == "3"; }

HttpResponse xml_answer(std::string body, int status, bool shift_jis) {
    return HttpResponse{status, shift_jis ? "application/xml; charset=Shift_JIS" : "application/xml; charset=UTF-8", std::move(body)};
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
    {element::QualificationConfirmationDate, &ConfirmationRequest::date},
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
    {"SpecificHealthCheckupsInfoConsFlg", &ConfirmationRequest::checkups_consent},
    {"PharmacistsInfoConsFlg", &ConfirmationRequest::pharmacists_consent},
    {"DiagnosisInfoConsFlg", &ConfirmationRequest::diagnosis_consent},
    {"OperationInfoConsFlg", &ConfirmationRequest::operation_consent},
    {"LimitApplicationCertificateRelatedConsFlg", &ConfirmationRequest::limit_consent},
    {"SpecificDiseasesCertificateRelatedConsFlg", &ConfirmationRequest::specific_diseases_consent},
    {"PrescriptionIssueSelect", &ConfirmationRequest::prescription},
    {"MedicalTreatmentFlag", &ConfirmationRequest::treatment},
    {element::CharacterCodeIdentifier, &ConfirmationRequest::charset},
};

std::string join(const std::vector<std::string>& codes) {
    std::string out;
    for (const auto& code : codes) out += (out.empty() ? "" : " or ") + code;
    return out;
}

// Which confirmation field an element name is (read on every request: a hash lookup, not 21 compares).
const std::unordered_map<std::string_view, std::size_t>& field_index() {
    static const auto index = [] {
        std::unordered_map<std::string_view, std::size_t> map;
        for (std::size_t i = 0; i < std::size(confirmation_fields); ++i) map.emplace(confirmation_fields[i].first, i);
        return map;
    }();
    return index;
}

// Each field's code table, or null (CharacterCodeIdentifier's pair is the server's setting, checked apart).
const std::array<const CodeTable*, std::size(confirmation_fields)>& field_tables() {
    static const auto tables = [] {
        std::array<const CodeTable*, std::size(confirmation_fields)> out{};
        for (std::size_t i = 0; i < out.size(); ++i)
            if (confirmation_fields[i].first != element::CharacterCodeIdentifier) out[i] = CodeTables::builtin().for_element(confirmation_fields[i].first);
        return out;
    }();
    return tables;
}

// `body` is parsed in place (it is the caller's own copy: pugixml would copy it again). `problem` says
// what is wrong and `error_key` which error it is.
std::optional<ConfirmationRequest> parse_confirmation(std::string& body, const ServiceSettings& settings, std::string& problem,
                                                      std::string& error_key) {
    error_key = "malformed_request";
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
    const auto& fields = field_index();
    for (const auto child : root.children()) {
        const auto found = fields.find(std::string_view(child.name()));
        if (found == fields.end() || seen[found->second]) continue;
        r.*confirmation_fields[found->second].second = child.child_value();
        seen[found->second] = true;
    }
    // Coded values the reader sends come from their tables (an absent one is 0 or none).
    const auto& tables = field_tables();
    for (std::size_t i = 0; i < std::size(confirmation_fields); ++i) {
        const std::string& value = r.*confirmation_fields[i].second;
        if (value.empty() || !tables[i] || tables[i]->contains(value)) continue;
        problem = std::string(confirmation_fields[i].first) + " must be one of " + tables[i]->listing() + ", found '" + value + "'";
        return std::nullopt;
    }
    // Some values hold only for some visits (a consent flag 2 only 訪問/オンライン, 3 only 救急): the tables say which.
    if (r.treatment.empty()) r.treatment = "1";
    for (std::size_t i = 0; i < std::size(confirmation_fields); ++i) {
        const std::string& value = r.*confirmation_fields[i].second;
        const CodeValue* coded = value.empty() || !tables[i] ? nullptr : tables[i]->find(value);
        if (!coded) continue;
        for (const auto& [element, allowed] : coded->only_with) {
            const auto other = fields.find(element);
            const std::string other_value = other == fields.end() ? std::string() : r.*confirmation_fields[other->second].second;
            if (std::find(allowed.begin(), allowed.end(), other_value) != allowed.end()) continue;
            error_key = "consent_flag_not_allowed";
            problem = std::string(confirmation_fields[i].first) + " " + value + " (" + coded->meaning + ") needs " + element + " " +
                      join(allowed) + ", found " + (other_value.empty() ? "none" : other_value);
            return std::nullopt;
        }
    }
    if (!r.charset.empty() && r.charset != settings.utf8_code && r.charset != settings.shift_jis_code) {
        error_key = "unsupported_charset";
        problem = "CharacterCodeIdentifier must be " + settings.utf8_code + " (UTF-8) or " + settings.shift_jis_code + " (Shift_JIS), found '" +
                  r.charset + "'";
        return std::nullopt;
    }
    if (r.mode != "pin" && r.mode != "pinless" && r.mode != "card") {
        problem = "Mode must be pin, pinless or card, found '" + r.mode + "'";
        return std::nullopt;
    }
    if (!r.date.empty() && (r.date.size() != 8 || r.date.find_first_not_of("0123456789") != std::string::npos)) {
        problem = "QualificationConfirmationDate must be YYYYMMDD, found '" + r.date + "'";
        return std::nullopt;
    }
    return r;
}

// One line for a header field: no control characters.
std::string header_value(std::string text) {
    for (char& c : text)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
    return text;
}

}  // namespace

Service::Service(Store& store, const CertificateVerifier& verifier, Clock clock, RandomSource& random,
                 const ErrorTable& errors, ServiceSettings settings)
    : store_(store), verifier_(verifier), clock_(std::move(clock)), random_(random), errors_(errors), settings_(std::move(settings)) {}

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
        const auto kind = request.target == "/v2/registrations" ? Store::Unit::Kind::Write : Store::Unit::Kind::Read;
        Store::Unit unit(store_, kind);
        HttpResponse answer = dispatch(request);
        unit.commit();
        return answer;
    } catch (const std::exception& e) {
        return error("internal_error", "", e.what());
    }
}

HttpResponse Service::dispatch(const HttpRequest& request) {
    if (request.target == "/v2/challenge") return challenge();
    if (request.target == "/v2/confirmations") return confirm(request.body, false);
    if (request.target == "/v2/registrations") return confirm(request.body, true);
    if (request.target == "/v2/medications") return view(request.body, true);
    if (request.target == "/v2/checkups") return view(request.body, false);
    if (request.target == "/v2/claims/transfer") return transfer_claim(request.body);
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
    if (root_name)  // the viewing and claim calls keep their own answer shape (docs/onshi-api.md)
        return HttpResponse{entry.http_status, "application/xml; charset=UTF-8", error_answer(root_name, entry, file_identifier, detail)};
    xmlmsg::RequestHeader header;
    header.arbitrary_file_identifier = file_identifier;
    HttpResponse response{entry.http_status, "application/xml; charset=UTF-8",
                          xmlmsg::write_answer(file_error(key, &header, false), xmlmsg::Encoding::Utf8)};
    if (!detail.empty()) response.headers.emplace_back("X-Mynasim-Detail", header_value(detail));
    return response;
}

HttpResponse Service::confirm(const std::string& raw_body, bool register_first) {
    const auto now = clock_();
    // Every answer of this call, refused or not, leaves through here: one XmlMsg writer, one set of headers.
    const auto respond = [&](const xmlmsg::Answer& answer, int status, bool shift_jis, const std::string& detail,
                             const std::string& confirmation_id) {
        auto response = xml_answer(xmlmsg::write_answer(answer, shift_jis ? xmlmsg::Encoding::ShiftJis : xmlmsg::Encoding::Utf8), status,
                                   shift_jis);
        if (!confirmation_id.empty()) response.headers.emplace_back("X-Mynasim-Confirmation-Id", confirmation_id);
        if (!detail.empty()) response.headers.emplace_back("X-Mynasim-Detail", header_value(detail));
        return response;
    };
    const auto unreadable = [&](const std::string& key, const std::string& detail) {
        const ConfirmationRequest unread;  // nothing of the request could be read: the answer's header only
        auto answer = answer_header_only(unread, now, japan_date(now));
        const auto& entry = errors_.at(key);
        apply_error(answer, entry);
        return respond(answer, entry.http_status, false, detail, "");
    };
    auto body = xml_as_utf8(raw_body);
    if (!body) return unreadable("unsupported_charset", "the body is not in the encoding its XML declaration names (UTF-8 or Shift_JIS)");
    std::string problem, key;
    const auto request = parse_confirmation(*body, settings_, problem, key);
    if (!request) return unreadable(key, problem);
    key.clear();
    std::string detail, confirmation_id;
    const auto answer = answer_confirmation(*request, register_first, key, detail, confirmation_id);
    const auto response = respond(answer, key.empty() ? 200 : errors_.at(key).http_status, request->charset == settings_.shift_jis_code,
                                  detail, confirmation_id);
    if (request->mode == "card") return response;  // no reader (顔認証/目視) took part
    std::shared_lock observing(observer_mutex_);
    if (reader_observer_)
        reader_observer_(ReaderConfirmation{request->mode, request->face_result, register_first, response.status, answer});
    return response;
}

void Service::set_reader_observer(std::function<void(const ReaderConfirmation&)> observer) {
    std::lock_guard lock(observer_mutex_);
    reader_observer_ = std::move(observer);
}

xmlmsg::Answer Service::answer_header_only(const ConfirmationRequest& r, UnixTime now, const std::string& date) const {
    xmlmsg::Answer answer;
    const auto by = r.mode == "card" ? LookedUpBy::InsuranceCardNumbers : LookedUpBy::Card;
    answer.header = answer_header(now, date, settings_.institution_code, r.file_identifier, by,
                                  charset_code(r.charset == settings_.shift_jis_code));
    answer.body.processing_result_status = "1";
    if (r.mode == "card")
        answer.body.search = xmlmsg::SearchInfo{r.insurer, r.symbol, r.number, r.branch, r.birth_date, r.limit_consent, {}};
    return answer;
}

xmlmsg::Answer Service::answer_confirmation(const ConfirmationRequest& r, bool register_first, std::string& error_key,
                                            std::string& detail, std::string& confirmation_id) {
    const auto now = clock_();
    const std::string date = r.date.empty() ? japan_date(now) : r.date;
    auto answer = answer_header_only(r, now, date);
    const auto fail = [&](const std::string& key, const std::string& why = {}) {
        error_key = key;
        detail = why;
        apply_error(answer, errors_.at(key));
        return answer;
    };

    std::string person_id;
    ExpiryStage stage = ExpiryStage::Valid;  // of the card's certificate (the card path has none)
    Resolution resolution;
    std::vector<Qualification> history;  // the person's, which `resolution` picks from
    std::optional<CardHolder> holder;    // the card path reads the person with the history
    bool paper_card = false;             // the card path's numbers are a paper 保険証's (card_form insurance_card)
    if (r.mode == "card") {
        if (register_first) return fail("malformed_request", "初回登録 needs a card certificate (pin or pinless)");
        if (r.insurer.empty() || r.number.empty() || r.branch.empty() || r.birth_date.empty())
            return fail("malformed_request", "the card path needs InsurerNumber, InsuredIdentificationNumber, InsuredBranchNumber, Birthdate");
        holder = store_.card_holder(r.insurer, r.symbol, r.number, r.branch, r.birth_date);
        if (!holder) return fail("card_not_found");
        person_id = holder->person.id;
        history = std::move(holder->history);
        const auto card = std::find_if(history.begin(), history.end(), [&](const Qualification& q) {
            return q.insurer == r.insurer && q.symbol == r.symbol && q.number == r.number && q.branch == r.branch;
        });
        resolution = resolve_for_card(history, static_cast<std::size_t>(card - history.begin()), date);
        paper_card = card != history.end() && card->card_form == "insurance_card";
    } else {
        if (r.mode == "pin") {
            if (r.challenge.empty() || r.signature.empty()) return fail("malformed_request", "the PIN path needs Challenge and Signature");
            if (auto key = take_challenge(r.challenge, now); !key.empty()) return fail(key);
        } else {
            if (r.face_result != "matched" && r.face_result != "visual") return fail("face_result_missing");
            if (r.institution_authenticated != "1") return fail("institution_auth_missing");
        }
        const auto der = crypto::base64_decode(r.certificate);
        if (!der) return fail("certificate_malformed", "Certificate is not base64");
        const auto verdict = verifier_.verify(*der, now, store_, settings_.expiry);
        if (!verdict.error.empty()) return fail(verdict.error);
        // In the grace after notAfter a card confirms, but a new 初回登録 needs a certificate in force (MODELED).
        if (register_first && verdict.stage == ExpiryStage::InGrace) return fail("certificate_expired", "初回登録 in the expiry grace");
        stage = verdict.stage;
        if (r.mode == "pin") {
            const auto signature = crypto::base64_decode(r.signature);
            const auto challenge_bytes = parse_hex(r.challenge);
            if (!signature || !challenge_bytes || !signature_verifies(verdict.public_key.get(), *challenge_bytes, *signature))
                return fail("signature_invalid");
        }
        person_id = verdict.person_id;
        if (register_first) store_.register_person(person_id, verdict.serial, format_time(now));
        if (!store_.registered(person_id)) return fail("not_registered");
        history = store_.qualifications(person_id);
        resolution = resolve_for_person(history, date);
    }

    auto person = holder ? std::optional<Person>(std::move(holder->person)) : store_.person(person_id);
    // The visit: consent given at the reader is recorded under this id for the viewing calls.
    Bytes id_bytes(8);
    {
        std::lock_guard lock(state_mutex_);
        random_.fill(id_bytes);
    }
    confirmation_id = to_hex(id_bytes);
    const bool at_reader = r.mode != "card";
    // In the expiry grace the visit is recorded with its refusal: the viewing calls then say why.
    const bool in_grace = stage == ExpiryStage::InGrace;
    if (!r.pharmacists_consent.empty() || !r.checkups_consent.empty() || in_grace)
        store_.record_consent(confirmation_id, person_id,
                              Store::Consent{person_id, r.pharmacists_consent.empty() ? "0" : r.pharmacists_consent,
                                             r.checkups_consent.empty() ? "0" : r.checkups_consent, in_grace ? "viewing_in_grace" : "", ""},
                              format_time(now));
    answer.body.qualification_validity = resolution.validity;
    answer.body.reference_number = store_.reference_number(settings_.institution_code, person_id);  // 照会番号, once registered
    if (at_reader) answer.body.prescription_issue_select = r.prescription;
    const std::string consent_time = at_reader ? japan_compact_time(now) : std::string();
    const std::string until = at_reader ? japan_compact_time(now + consent_hours * 3600) : std::string();
    answer.body.results.reserve(resolution.picked.size());
    for (std::size_t i = 0; i < resolution.picked.size(); ++i) {
        auto& record = answer.body.results.emplace_back();
        // The values move into the answer (nothing reads them afterwards); the person's, at the last one.
        auto& q = history[resolution.picked[i]];
        if (i + 1 == resolution.picked.size()) fill_qualification(record, std::move(*person), std::move(q));
        else fill_qualification(record, *person, q);
        // The certificates are given only with the patient's consent (at the reader, or the reception's flag).
        if (r.limit_consent != "1") record.limit = {};
        if (r.specific_diseases_consent != "1") record.specific_diseases.clear();
        if (at_reader) {
            const auto given = [&](const std::string& flag) {
                return flag.empty() ? xmlmsg::ViewingConsent{} : xmlmsg::ViewingConsent{flag, consent_time, lets_view(flag) ? until : ""};
            };
            record.checkups = given(r.checkups_consent);
            record.pharmacists = given(r.pharmacists_consent);
            record.diagnosis = given(r.diagnosis_consent);
            record.operation = given(r.operation_consent);
            if (!r.limit_consent.empty()) {
                record.limit_consent_flag = r.limit_consent;
                record.limit_consent_time = consent_time;
            }
            if (!r.specific_diseases_consent.empty()) {
                record.specific_diseases_consent_flag = r.specific_diseases_consent;
                record.specific_diseases_consent_time = consent_time;
            }
        }
    }
    // Success with what staff must tell the patient: the certificate ends soon, or has ended (renew it).
    if (stage == ExpiryStage::ExpiresSoon) apply_error(answer, errors_.at("certificate_expires_soon"));
    if (stage == ExpiryStage::InGrace) apply_error(answer, errors_.at("certificate_in_grace"));
    // A paper 保険証 after the transition ended (2025-12-01): the numbers still confirm; staff are told the card
    // itself is no longer to be used (MODELED notice).
    if (paper_card && date > paper_card_last_day) apply_error(answer, errors_.at("insurance_card_retired"));
    return answer;
}

xmlmsg::Answer Service::answer_card_search(const xmlmsg::SingleRequest& request, bool shift_jis) {
    ConfirmationRequest r;
    r.file_identifier = request.header.arbitrary_file_identifier;
    r.mode = "card";
    r.date = request.header.qualification_confirmation_date;
    r.insurer = request.search.insurer_number;
    r.symbol = request.search.insured_card_symbol;
    r.number = request.search.insured_identification_number;
    r.branch = request.search.insured_branch_number;
    r.birth_date = request.search.birthdate;
    r.limit_consent = request.search.limit_consent;
    r.charset = charset_code(shift_jis);
    std::string key, detail, confirmation_id;
    try {
        Store::Unit unit(store_, Store::Unit::Kind::Read);
        auto answer = answer_confirmation(r, false, key, detail, confirmation_id);
        unit.commit();
        // The search block is echoed as the reception wrote it, its own identifier included.
        answer.body.search = request.search;
        if (answer.header.segment_of_result != "1") answer.body.search.reset();
        return answer;
    } catch (const std::exception&) {
        return file_error("internal_error", &request.header, shift_jis);
    }
}

xmlmsg::Answer Service::file_error(const std::string& key, const xmlmsg::RequestHeader* header, bool shift_jis) const {
    const auto now = clock_();
    xmlmsg::Answer answer;
    const std::string date = header && !header->qualification_confirmation_date.empty() ? header->qualification_confirmation_date : japan_date(now);
    answer.header = answer_header(now, date, settings_.institution_code, header ? header->arbitrary_file_identifier : std::string(),
                                  LookedUpBy::InsuranceCardNumbers, charset_code(shift_jis));
    apply_file_error(answer, errors_.at(key));  // a file that could not be processed: file level whatever the key
    return answer;
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
    std::string detail;
    if (const auto refusal = viewing_refusal(consent, medications, detail); !refusal.empty())
        return error(refusal, file_identifier, consent ? detail : "no consent recorded for this ConfirmationId", answer_root);
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

std::string Service::viewing_refusal(const std::optional<Store::Consent>& consent, bool medications, std::string& detail) const {
    if (!consent) return "consent_missing";
    if (!consent->refused.empty()) return consent->refused;
    std::string ignored;
    const auto given = resolve_time(consent->given_at, 0, ignored);
    if (!given || clock_() > *given + consent_hours * 3600) {  // the window: 24 hours from the consent, on the server's clock
        detail = "consent given at " + consent->given_at;
        return "consent_expired";
    }
    if (!lets_view(medications ? consent->pharmaceutical : consent->checkup)) {
        detail = "the patient did not consent at the reader for this visit";
        return "consent_missing";
    }
    return {};
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
    const auto history = store_.qualifications(record->person_id);
    const auto resolution = resolve_for_person(history, record->claim.care_date);
    if (resolution.validity != "1" && resolution.validity != "5" && resolution.validity != "6")
        return error("claim_no_insurer", file_identifier, "no qualification valid on " + record->claim.care_date, answer_root);
    const std::string target = history[resolution.picked.front()].insurer;
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
