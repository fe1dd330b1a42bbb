// libFuzzer target: arbitrary bytes as a file in Req, through the request checker (encodings, XML, the
// envelope, every value rule) of every kind of request (a first byte below 9 picks one) and, when valid, the
// service's answer and its writer (a bulk list: written again and checked again). Every input must end
// in findings or an answer, never a crash, a hang or a leak; a valid request's answer must read back as valid XML.
#include <cstddef>
#include <iterator>
#include <cstdint>
#include <string>

#include <pugixml.hpp>

#include "base/random_source.hpp"
#include "onshi/service/error_table.hpp"
#include "onshi/service/service.hpp"
#include "onshi/store/dataset_loader.hpp"
#include "onshi/wire/request_check.hpp"
#include "onshi/wire/xml_msg_writer.hpp"
#include "onshi/wire/xml_text.hpp"
#include "pki/authorities.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace mynasim::onshi;
    static const mynasim::pki::TestPki pki;
    // Made once and kept for the process (reachable, so not a leak).
    static Store* store = [] {
        auto* s = new Store(":memory:");
        s->load(load_dataset_text(default_dataset_text(), "default-dataset.yaml"));
        return s;
    }();
    static const CertificateVerifier verifier(pki.ca_certificate(mynasim::pki::CaId::JpkiAuth), std::nullopt);
    static mynasim::SeededRandom random(1);
    static Service service(*store, verifier, [] { return mynasim::default_reference_time; }, random);
    static const CheckSettings settings = [] {
        CheckSettings s;
        s.institution_code = service.settings().institution_code;
        return s;
    }();
    // A first byte below 9 picks the kind of request the file is named as (the rest is the file); anything
    // else (an XML file starts with '<' or a BOM) is a single request, so the seed corpus keeps its meaning.
    struct Kind {
        RequestKind kind;
        BulkFamily family;
        ViewingKind viewing;
    };
    static constexpr Kind kinds[] = {{RequestKind::BulkSubmission, BulkFamily::List, ViewingKind::Medications},
                                     {RequestKind::BulkSubmission, BulkFamily::HomeVisit, ViewingKind::Medications},
                                     {RequestKind::BulkSubmission, BulkFamily::Online, ViewingKind::Medications},
                                     {RequestKind::BulkSubmission, BulkFamily::MedicalAid, ViewingKind::Medications},
                                     {RequestKind::BulkSubmission, BulkFamily::ReferenceNumbers, ViewingKind::Medications},
                                     {RequestKind::BulkResult, BulkFamily::List, ViewingKind::Medications},
                                     {RequestKind::Viewing, BulkFamily::List, ViewingKind::Medications},
                                     {RequestKind::Viewing, BulkFamily::List, ViewingKind::Checkups},
                                     {RequestKind::ReferenceRegistration, BulkFamily::List, ViewingKind::Medications}};
    const bool picked = size > 0 && data[0] < std::size(kinds);
    const Kind kind = picked ? kinds[data[0]] : Kind{RequestKind::Single, BulkFamily::List, ViewingKind::Medications};
    const std::string bytes(reinterpret_cast<const char*>(data) + (picked ? 1 : 0), size - (picked ? 1 : 0));
    const auto checked = check_request(bytes, settings, kind.kind, kind.family, kind.viewing);
    for (const auto& finding : checked.findings)
        if (finding.rule.empty() || finding.where.empty()) __builtin_trap();
    if (!checked.valid()) {
        if (checked.findings.empty()) __builtin_trap();  // refused without saying why
        return 0;
    }
    const bool shift_jis = checked.encoding == xmlmsg::Encoding::ShiftJis;
    if (kind.kind == RequestKind::BulkSubmission) {
        // What the checker read, written again, is read the same and still valid (the list's values survive).
        const bool range = kind.family != BulkFamily::List && kind.family != BulkFamily::ReferenceNumbers;
        const auto again = check_request(xmlmsg::write_bulk_request(*checked.bulk, range, checked.encoding), settings, kind.kind, kind.family);
        if (!again.valid() || again.bulk->searches.size() != checked.bulk->searches.size() ||
            again.bulk->registrations.size() != checked.bulk->registrations.size())
            __builtin_trap();
        return 0;
    }
    if (kind.kind == RequestKind::Viewing) {
        const auto viewed = service.answer_viewing(*checked.viewing, kind.viewing == ViewingKind::Medications, shift_jis);
        const auto text = xml_as_utf8(xmlmsg::write_viewing_answer(viewed, kind.viewing == ViewingKind::Medications, checked.encoding));
        pugi::xml_document viewed_doc;
        if (!text || !viewed_doc.load_string(text->c_str()) || !viewed_doc.child("XmlMsg")) __builtin_trap();
        return 0;
    }
    if (kind.kind != RequestKind::Single) return 0;  // a step 2 or a registration: the check is what is fuzzed (they write state)
    const auto answer = xmlmsg::write_answer(service.answer_card_search(*checked.request, shift_jis), checked.encoding);
    const auto utf8 = xml_as_utf8(answer);
    pugi::xml_document doc;
    if (!utf8 || !doc.load_string(utf8->c_str()) || !doc.child("XmlMsg")) __builtin_trap();
    return 0;
}
