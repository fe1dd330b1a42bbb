// libFuzzer target: arbitrary bodies to every call of the mock server's service (XML parsing, base64,
// hex, certificate parsing and checks). Every input must end in an answer, never a crash or a leak.
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/random_source.hpp"
#include "onshi/store/dataset_loader.hpp"
#include "onshi/service/error_table.hpp"
#include "onshi/service/service.hpp"
#include "pki/authorities.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const mynasim::pki::TestPki pki;
    // Made once and kept for the process (reachable, so not a leak).
    static mynasim::onshi::Store* store = [] {
        auto* s = new mynasim::onshi::Store(":memory:");
        s->load(mynasim::onshi::load_dataset_text(mynasim::onshi::default_dataset_text(), "default-dataset.yaml"));
        return s;
    }();
    static const mynasim::onshi::CertificateVerifier verifier(pki.ca_certificate(mynasim::pki::CaId::JpkiAuth), std::nullopt);
    static mynasim::SeededRandom random(1);
    static mynasim::onshi::Service service(*store, verifier, [] { return mynasim::default_reference_time; }, random);
    if (size == 0) return 0;
    static const char* targets[] = {"/v2/confirmations", "/v2/registrations", "/v2/challenge", "/v2/x"};
    const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
    const auto answer = service.handle({"POST", targets[data[0] % 4], body, "", ""});
    if (answer.status < 200 || answer.status > 599 || answer.body.empty()) __builtin_trap();
    return 0;
}
