#include "kenmen_hojo_application.hpp"

#include "card/iso7816_operations.hpp"

namespace mynasim::card {

Bytes kenmen_hojo_aid() { return {0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08}; }

Bytes ber_tlv(std::uint16_t tag, ByteView value) {
    Bytes out;
    if (tag > 0xFF) out.push_back(static_cast<std::uint8_t>(tag >> 8));
    out.push_back(static_cast<std::uint8_t>(tag & 0xFF));
    const std::size_t n = value.size();
    if (n < 0x80) {
        out.push_back(static_cast<std::uint8_t>(n));
    } else if (n <= 0xFF) {
        out.push_back(0x81);
        out.push_back(static_cast<std::uint8_t>(n));
    } else {
        out.push_back(0x82);
        out.push_back(static_cast<std::uint8_t>(n >> 8));
        out.push_back(static_cast<std::uint8_t>(n & 0xFF));
    }
    out.insert(out.end(), value.begin(), value.end());
    return out;
}

Bytes encode_my_number(const KenmenHojoContent& content) {
    return ber_tlv(0xDF21, bytes_of(content.my_number));
}

Bytes encode_basic_four(const KenmenHojoContent& content) {
    Bytes inner;
    for (auto [tag, text] : {std::pair{0xDF22, &content.name}, std::pair{0xDF23, &content.address},
                             std::pair{0xDF24, &content.birth_date}, std::pair{0xDF25, &content.sex}}) {
        Bytes tlv = ber_tlv(static_cast<std::uint16_t>(tag), bytes_of(*text));
        inner.insert(inner.end(), tlv.begin(), tlv.end());
    }
    return ber_tlv(0xFF20, inner);
}

ApplicationDefinition make_kenmen_hojo_application(const KenmenHojoContent& content) {
    ApplicationDefinition app;
    app.name = "券面事項入力補助 AP";
    app.aid = kenmen_hojo_aid();
    // Nothing of its own: SELECT, READ BINARY (its EFs after its PIN, by their read rule) and VERIFY are the base's.
    app.operations = std::make_shared<const Operations>(iso7816_operations());
    app.files.push_back(pin_ef(0x0011, "券面事項入力補助 PIN", kenmen_hojo_pin_id));
    app.files.push_back(binary_ef(0x0001, "個人番号", encode_my_number(content), ReadRule::AfterPin, kenmen_hojo_pin_id));
    app.files.push_back(
        binary_ef(0x0002, "基本4情報", encode_basic_four(content), ReadRule::AfterPin, kenmen_hojo_pin_id));
    return app;
}

}  // namespace mynasim::card
