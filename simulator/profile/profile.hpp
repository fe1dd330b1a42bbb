#pragma once
// A card profile as written in card-profiles/*.yaml, after `extends:` has been resolved.
// Documented key by key in card-profiles/README.md.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/bytes.hpp"
#include "card/status_words.hpp"
#include "pki/authorities.hpp"
#include "base/yaml_strict.hpp"

namespace mynasim::profile {

struct CertificateProfile {
    std::string serial;                                          // decimal or 0x-hex
    std::vector<std::pair<std::string, std::string>> subject;    // empty: derived from the person
    std::string not_before = "-1y";                              // absolute or relative to reference_date
    std::string not_after = "+4y";
    std::string key;
    pki::CaId issuer = pki::CaId::JpkiAuth;
    bool revoked = false;
    std::string revoked_at = "-30d";
    pki::Breakage broken = pki::Breakage::None;
    std::string renews;                                          // serial of the certificate this one replaced
    yaml::SourceLocation where;                                  // the block, for errors found after merging
};

struct ForcedStatusProfile {
    Bytes command_prefix;  // 1-4 header bytes
    card::StatusWord sw = 0;
    std::optional<std::uint32_t> times;
};

struct CardProfile {
    std::string name;         // file stem
    std::string file;         // path of the leaf file
    std::vector<std::string> chain;  // files from the root ancestor to the leaf
    std::string description;
    std::string person;       // the insured person on the server this card belongs to
    std::vector<std::string> tags;
    std::string reference_date = "2026-04-01";
    Bytes atr;                // empty: the My Number card ATR
    bool persist_counters = false;

    bool jpki_present = true;
    // 顔認証マイナンバーカード (issued since 2023-12): no PIN set (auth, sign, 券面事項入力補助) and no
    // 署名用電子証明書; usable by face recognition or 目視 at the reader only.
    bool face_auth_only = false;
    std::string auth_pin = "1234";
    int auth_pin_tries_left = 3;
    std::string sign_pin = "TEST1234";
    int sign_pin_tries_left = 5;
    CertificateProfile auth_certificate;
    CertificateProfile sign_certificate;

    bool kenmen_hojo_present = true;
    std::string kenmen_hojo_pin = "1234";
    int kenmen_hojo_pin_tries_left = 3;
    std::string my_number;
    std::string name_kanji;
    std::string address;
    std::string birth_date;   // YYYYMMDD
    std::string sex = "1";

    bool kenmen_present = true;
    Bytes face_image;         // a checked JPEG (kenmen.face_image_file); empty: the synthetic TEST face of the person (face_image.hpp)

    bool juki_present = true;    // 住基 AP: selectable, contents out of scope
    bool common_present = true;  // 共通 AP: selectable, contents out of scope

    std::uint32_t latency_ms = 0;
    std::optional<std::uint64_t> mute_after_apdus;
    std::optional<std::uint64_t> tear_after_apdus;
    std::vector<ForcedStatusProfile> force_status;
};

}  // namespace mynasim::profile
