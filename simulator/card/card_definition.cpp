#include "card_definition.hpp"

#include <algorithm>

namespace mynasim::card {

ElementaryFile binary_ef(std::uint16_t fid, std::string label, Bytes data, ReadRule read, std::string pin_id) {
    ElementaryFile file;
    file.fid = fid;
    file.label = std::move(label);
    file.kind = FileKind::Binary;
    file.data = std::move(data);
    file.read = read;
    file.pin_id = std::move(pin_id);
    return file;
}

ElementaryFile pin_ef(std::uint16_t fid, std::string label, std::string pin_id) {
    ElementaryFile file;
    file.fid = fid;
    file.label = std::move(label);
    file.kind = FileKind::Pin;
    file.pin_id = std::move(pin_id);
    return file;
}

ElementaryFile key_ef(std::uint16_t fid, std::string label, crypto::SharedKey key, std::string pin_id) {
    ElementaryFile file;
    file.fid = fid;
    file.label = std::move(label);
    file.kind = FileKind::PrivateKey;
    file.key = std::move(key);
    file.pin_id = std::move(pin_id);
    return file;
}

const ElementaryFile* ApplicationDefinition::file(std::uint16_t fid) const {
    auto it = std::find_if(files.begin(), files.end(), [&](const ElementaryFile& f) { return f.fid == fid; });
    return it == files.end() ? nullptr : &*it;
}

const ElementaryFile* ApplicationDefinition::file_by_sfi(std::uint8_t sfi) const {
    auto it = std::find_if(files.begin(), files.end(), [&](const ElementaryFile& f) { return f.sfi() == sfi; });
    return it == files.end() ? nullptr : &*it;
}

const ApplicationDefinition* CardDefinition::application(ByteView aid) const {
    auto it = std::find_if(applications.begin(), applications.end(), [&](const ApplicationDefinition& a) {
        return std::equal(a.aid.begin(), a.aid.end(), aid.begin(), aid.end());
    });
    return it == applications.end() ? nullptr : &*it;
}

const PinDefinition* CardDefinition::pin(const std::string& id) const {
    auto it = std::find_if(pins.begin(), pins.end(), [&](const PinDefinition& p) { return p.id == id; });
    return it == pins.end() ? nullptr : &*it;
}

Bytes my_number_card_atr() { return {0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14}; }

}  // namespace mynasim::card
