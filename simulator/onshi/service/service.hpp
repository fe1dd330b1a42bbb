#pragma once
// The mock オンライン資格確認等システム as an I/O-free request handler: HTTP method, path and body in,
// status, content type and body out (docs/onshi-api.md), and the file interface's checked requests in,
// XmlMsg answers out (docs/file-interface.md). The HTTP server, the folder adapter and the tests adapt it
// to sockets and files. The clock is injected (scenarios set and advance it).
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "base/random_source.hpp"
#include "onshi/service/bulk_job.hpp"
#include "onshi/service/certificate_expiry.hpp"
#include "onshi/service/certificate_verifier.hpp"
#include "onshi/service/error_table.hpp"
#include "onshi/store/store.hpp"
#include "onshi/wire/element_names.hpp"
#include "onshi/wire/xml_msg.hpp"
#include "base/time.hpp"

namespace mynasim::onshi {

struct HttpRequest {
    std::string method;  // "POST"
    std::string target;  // "/v2/confirmations"
    std::string body;
    std::string authorization;  // the Authorization header (admin calls)
    std::string tag;            // the X-Mynasim-Tag header: scenarios find their requests in the journal by it
};

// How the HTTP layer delivers an answer (faults can ask for less than a normal answer).
enum class Delivery { Normal, DropConnection, NoAnswer };

struct HttpResponse {
    int status = 200;
    std::string content_type = "application/xml; charset=UTF-8";
    std::string body;
    std::uint32_t delay_ms = 0;
    Delivery delivery = Delivery::Normal;
    std::vector<std::pair<std::string, std::string>> headers{};  // more header fields (X-Mynasim-…)
};

// A confirmation made at the reader (pin or pinless mode, registrations too), whatever its outcome: the
// file interface reports it in its Face folder and hands it to a reception waiting for the card.
struct ReaderConfirmation {
    std::string mode;         // pin | pinless
    std::string face_result;  // matched | visual, or empty
    bool registration = false;
    int status = 200;
    xmlmsg::Answer answer;  // what the reader was answered
};

// The one medical institution the mock serves, and its file interface's code settings.
struct ServiceSettings {
    std::string institution_code = xmlmsg::test_institution_code;
    std::string utf8_code = "0", shift_jis_code = "1";  // CharacterCodeIdentifier (one source says 1/2: a setting)
    ExpiryRule expiry;  // the notice before and the grace after a certificate's notAfter
};

struct ConfirmationRequest;

class Service {
public:
    using Clock = std::function<UnixTime()>;
    static constexpr std::int64_t challenge_lifetime_seconds = 300;

    Service(Store& store, const CertificateVerifier& verifier, Clock clock, RandomSource& random,
            const ErrorTable& errors = ErrorTable::builtin(), ServiceSettings settings = {});

    // Thread-safe: the server calls it from several threads, and requests that only read run in parallel.
    HttpResponse handle(const HttpRequest& request);
    // The file interface's OQSsiquc01req, already checked (request_check.hpp): its answer, by the card's
    // numbers, in the encoding `shift_jis` says.
    xmlmsg::Answer answer_card_search(const xmlmsg::SingleRequest& request, bool shift_jis);
    // The answer to a file that could not be processed: SegmentOfResult 9 with `key`'s code, the header's
    // values echoed where the request had them (`header` may be null).
    xmlmsg::Answer file_error(const std::string& key, const xmlmsg::RequestHeader* header, bool shift_jis) const;
    // Bulk, in two steps (service_bulk.cpp; the adapter keeps the jobs): step 1's answer for an accepted
    // job; step 2's while the job is not ready (SegmentOfResult 2), once it is (a unit per person, on the
    // job's date), and when the number cannot be answered (`key`: SegmentOfResult 9).
    xmlmsg::BulkAnswer bulk_acceptance(const BulkJob& job) const;
    xmlmsg::BulkAnswer bulk_pending(const BulkJob& job, const xmlmsg::BulkResultRequest& request, bool shift_jis) const;
    xmlmsg::BulkAnswer bulk_result(const BulkJob& job, const xmlmsg::BulkResultRequest& request, bool shift_jis);
    xmlmsg::BulkAnswer bulk_error(const std::string& key, const xmlmsg::RequestHeader* header, const std::string& reception_number,
                                  bool shift_jis) const;
    // The file interface's OQSsiimm01req, already checked: the person of the card gets the 照会番号 at this
    // institution (service_reference.cpp); a bulk registration's units are the same outcomes.
    xmlmsg::ReferenceAnswer register_reference(const xmlmsg::ReferenceRequest& request, bool shift_jis);
    xmlmsg::ReferenceOutcome reference_outcome(const xmlmsg::ReferenceRegistration& registration);
    // The file interface's YZKsiquc01req / TKKsiquc01req, already checked: the person's 薬剤情報 or 特定健診情報
    // by the insurance card, on the consent of their latest visit at the reader (service_viewing.cpp).
    xmlmsg::ViewingAnswer answer_viewing(const xmlmsg::ViewingRequest& request, bool medications, bool shift_jis);
    xmlmsg::ViewingAnswer viewing_file_error(const std::string& key, const xmlmsg::ViewingRequest* request, bool shift_jis) const;
    // The searches a job stands for: the list's own, or the persons its range finds in the store.
    std::vector<xmlmsg::SearchInfo> bulk_searches(const BulkJob& job);
    const ServiceSettings& settings() const { return settings_; }
    const std::string& charset_code(bool shift_jis) const { return shift_jis ? settings_.shift_jis_code : settings_.utf8_code; }
    // Called after each reader confirmation, possibly from several threads at once; it must only hand the
    // event on. Once set_reader_observer returns, the previous observer is no longer being called.
    void set_reader_observer(std::function<void(const ReaderConfirmation&)> observer);

private:
    struct ChallengeState {
        UnixTime issued = 0;
        bool used = false;
    };
    HttpResponse dispatch(const HttpRequest& request);
    HttpResponse challenge();
    HttpResponse confirm(const std::string& body, bool register_first);
    // A confirmation's answer, and the error key (empty on success) that decided it.
    xmlmsg::Answer answer_confirmation(const ConfirmationRequest& request, bool register_first, std::string& error_key,
                                       std::string& detail, std::string& confirmation_id);
    xmlmsg::Answer answer_header_only(const ConfirmationRequest& request, UnixTime now, const std::string& date) const;
    HttpResponse view(const std::string& body, bool medications);  // 薬剤情報 / 特定健診情報
    // Why a visit's consent does not let its information be viewed now (an error key), or "" when it does.
    std::string viewing_refusal(const std::optional<Store::Consent>& consent, bool medications, std::string& detail) const;
    HttpResponse transfer_claim(const std::string& body);          // レセプト振替
    // An error answer: an XmlMsg file-level error, or (`root` given) the viewing and claim calls' own shape.
    HttpResponse error(const std::string& key, const std::string& file_identifier, const std::string& detail = {},
                       const char* root = nullptr);
    // Checks and consumes a challenge; returns an error key or "".
    std::string take_challenge(const std::string& hex, UnixTime now);

    Store& store_;
    const CertificateVerifier& verifier_;
    Clock clock_;
    RandomSource& random_;
    const ErrorTable& errors_;
    ServiceSettings settings_;
    std::mutex state_mutex_;  // the challenge book and the random source
    std::map<std::string, ChallengeState> challenges_;
    std::shared_mutex observer_mutex_;
    std::function<void(const ReaderConfirmation&)> reader_observer_;
};

}  // namespace mynasim::onshi
