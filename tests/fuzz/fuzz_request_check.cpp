// libFuzzer target: arbitrary bytes as a file in Req, through the request checker (encodings, XML, the
// envelope, every value rule) and, when valid, the service's answer and its writer. Every input must end
// in findings or an answer, never a crash, a hang or a leak; a valid request's answer must read back as valid XML.
#include <cstddef>
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
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    const auto checked = check_single_request(bytes, settings);
    for (const auto& finding : checked.findings)
        if (finding.rule.empty() || finding.where.empty()) __builtin_trap();
    if (!checked.valid()) {
        if (checked.findings.empty()) __builtin_trap();  // refused without saying why
        return 0;
    }
    const bool shift_jis = checked.encoding == xmlmsg::Encoding::ShiftJis;
    const auto answer = xmlmsg::write_answer(service.answer_card_search(*checked.request, shift_jis), checked.encoding);
    const auto utf8 = xml_as_utf8(answer);
    pugi::xml_document doc;
    if (!utf8 || !doc.load_string(utf8->c_str()) || !doc.child("XmlMsg")) __builtin_trap();
    return 0;
}
