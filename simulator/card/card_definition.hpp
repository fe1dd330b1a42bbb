#pragma once
// What a card IS: its applications, files, keys and PINs, fixed when the card is made from a profile.
// What a card is DOING lives in CardState; the core never mutates a definition.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "card/pin.hpp"
#include "card/status_words.hpp"
#include "crypto/openssl_handles.hpp"

namespace mynasim::card {

class Operations;

enum class FileKind {
    Binary,      // transparent EF, READ BINARY
    Pin,         // PIN reference, VERIFY
    PrivateKey,  // key reference, COMPUTE DIGITAL SIGNATURE
};

enum class ReadRule {
    Always,
    AfterPin,                 // `pin_id` verified in this card session
    AfterInstitutionAuth,     // MODELED 特定機関認証 done in this card session
};

struct ElementaryFile {
    std::uint16_t fid = 0;
    std::string label;  // for traces: "auth certificate"
    FileKind kind = FileKind::Binary;
    Bytes data;                       // Binary
    ReadRule read = ReadRule::Always; // Binary
    std::string pin_id;               // Pin: the PIN it holds; PrivateKey / AfterPin: the PIN that guards it
    crypto::SharedKey key;            // PrivateKey

    // Short EF identifier: the card addresses EFs 0001..001E also by SFI = low five bits of the FID.
    std::optional<std::uint8_t> sfi() const {
        if (fid >= 1 && fid <= 0x1E) return static_cast<std::uint8_t>(fid);
        return std::nullopt;
    }
};

ElementaryFile binary_ef(std::uint16_t fid, std::string label, Bytes data, ReadRule read = ReadRule::Always,
                         std::string pin_id = {});
ElementaryFile pin_ef(std::uint16_t fid, std::string label, std::string pin_id);
ElementaryFile key_ef(std::uint16_t fid, std::string label, crypto::SharedKey key, std::string pin_id);

struct ApplicationDefinition {
    std::string name;  // "JPKI AP"
    Bytes aid;
    std::vector<ElementaryFile> files;
    std::shared_ptr<const Operations> operations;  // the ISO 7816 base, with what this application does differently

    const ElementaryFile* file(std::uint16_t fid) const;
    const ElementaryFile* file_by_sfi(std::uint8_t sfi) const;
};

// A status word forced for commands whose header starts with `header_prefix` (1-4 bytes).
struct ForcedStatus {
    Bytes header_prefix;
    StatusWord sw = sw::no_precise_diagnosis;
    std::optional<std::uint32_t> times;  // apply to the first N matches only; forever when unset
};

struct CardFaults {
    std::uint32_t latency_ms = 0;                // every answer is delayed by this much
    std::optional<std::uint64_t> mute_after;     // after N answered APDUs the card stops answering
    std::optional<std::uint64_t> tear_after;     // after N answered APDUs the card is pulled out
    std::vector<ForcedStatus> forced;
};

struct CardDefinition {
    std::string profile_name;
    Bytes atr;
    std::vector<ApplicationDefinition> applications;
    std::vector<PinDefinition> pins;
    CardFaults faults;
    // MODELED 特定機関認証: the CA whose institution certificates the 券面 AP accepts.
    crypto::SharedKey institution_ca_public_key;

    const ApplicationDefinition* application(ByteView aid) const;
    const PinDefinition* pin(const std::string& id) const;
};

// The ATR of a real My Number card, which OpenSC's jpki driver matches.
Bytes my_number_card_atr();

}  // namespace mynasim::card
