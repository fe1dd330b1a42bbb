#include "profile_loader.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include "base/file_io.hpp"
#include "card/pin.hpp"
#include "profile/face_image.hpp"

namespace mynasim::profile {

namespace fs = std::filesystem;
using yaml::Document;
using yaml::LoadError;

namespace {

constexpr int max_extends_depth = 16;

bool all_digits(const std::string& text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Bytes hex_value(const Document& doc, const YAML::Node& node, const std::string& what) {
    const std::string text = doc.string_value(node, what);
    auto bytes = parse_hex(text);
    if (!bytes) doc.fail(node, what + " must be hex bytes (e.g. 3BE000FF), found '" + text + "'");
    return *bytes;
}

std::string pin_value(const Document& doc, const YAML::Node& node, const std::string& what,
                      const card::PinPolicy& policy) {
    const std::string value = doc.string_value(node, what);
    if (auto problem = card::pin_value_problem(policy, value); !problem.empty())
        doc.fail(node, what + " " + problem + ", found '" + value + "'");
    return value;
}

int tries_value(const Document& doc, const YAML::Node& node, const std::string& what, int max) {
    return static_cast<int>(doc.int_value(node, what, 0, max));
}

// Only checks the form here; the value is resolved against reference_date after merging.
std::string time_value(const Document& doc, const YAML::Node& node, const std::string& what) {
    const std::string text = doc.string_value(node, what);
    std::string error;
    if (!resolve_time(text, default_reference_time, error)) doc.fail(node, what + ": " + error);
    return text;
}

std::string serial_value(const Document& doc, const YAML::Node& node, const std::string& what) {
    const std::string text = doc.string_value(node, what);
    bool ok = false;
    if (text.size() > 2 && (text.rfind("0x", 0) == 0 || text.rfind("0X", 0) == 0)) {
        ok = std::all_of(text.begin() + 2, text.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
        ok = ok && text.size() <= 42 && text.find_first_not_of('0', 2) != std::string::npos;
    } else {
        ok = all_digits(text) && text.size() <= 48 && text.find_first_not_of('0') != std::string::npos;
    }
    if (!ok) doc.fail(node, what + " must be a positive integer, decimal or 0x-hex (at most 20 bytes), found '" + text + "'");
    return text;
}

void apply_certificate(const Document& doc, const YAML::Node& node, const std::string& what, CertificateProfile& cert) {
    doc.expect_map(node, what);
    doc.check_keys(node,
                   {"serial", "subject", "not_before", "not_after", "key", "issuer", "revoked", "revoked_at", "broken",
                    "renews"},
                   what);
    cert.where = doc.at(node);
    for (const auto& pair : node) {
        const std::string key = pair.first.Scalar();
        const YAML::Node& value = pair.second;
        const std::string field = what + "." + key;
        if (key == "serial") {
            cert.serial = serial_value(doc, value, field);
        } else if (key == "subject") {
            doc.expect_map(value, field);
            cert.subject.clear();
            for (const auto& rdn : value) {
                const std::string attribute = rdn.first.Scalar();
                static const std::set<std::string> known{"C", "ST", "L", "O", "OU", "CN", "serialNumber"};
                if (!known.contains(attribute))
                    doc.fail(rdn.first, "unknown subject attribute '" + attribute + "' (allowed: C ST L O OU CN serialNumber)");
                cert.subject.emplace_back(attribute, doc.string_value(rdn.second, field + "." + attribute));
            }
        } else if (key == "not_before") {
            cert.not_before = time_value(doc, value, field);
        } else if (key == "not_after") {
            cert.not_after = time_value(doc, value, field);
        } else if (key == "key") {
            cert.key = doc.string_value(value, field);
            if (!pki::KeyStore::builtin().has(cert.key)) {
                std::string known;
                for (const auto& name : pki::KeyStore::builtin().names()) known += " " + name;
                doc.fail(value, field + ": unknown TEST key '" + cert.key + "' (known:" + known + ")");
            }
        } else if (key == "issuer") {
            const std::string name = doc.string_value(value, field);
            auto ca = pki::ca_from_name(name);
            if (!ca || *ca == pki::CaId::ServerTls || *ca == pki::CaId::TokuteiKikan)
                doc.fail(value, field + " must be jpki-auth-ca, jpki-sign-ca or unknown-ca, found '" + name + "'");
            cert.issuer = *ca;
        } else if (key == "revoked") {
            cert.revoked = doc.bool_value(value, field);
        } else if (key == "revoked_at") {
            cert.revoked_at = time_value(doc, value, field);
        } else if (key == "broken") {
            const std::string name = doc.string_value(value, field);
            auto breakage = pki::breakage_from_name(name);
            if (!breakage) doc.fail(value, field + " must be none, truncated or bad_signature, found '" + name + "'");
            cert.broken = *breakage;
        } else if (key == "renews") {
            cert.renews = serial_value(doc, value, field);
        }
    }
}

void apply_jpki(const Document& doc, const YAML::Node& node, CardProfile& p) {
    doc.expect_map(node, "jpki");
    doc.check_keys(node,
                   {"present", "auth_pin", "auth_pin_tries_left", "sign_pin", "sign_pin_tries_left", "auth_certificate",
                    "sign_certificate"},
                   "jpki");
    for (const auto& pair : node) {
        const std::string key = pair.first.Scalar();
        const YAML::Node& value = pair.second;
        const std::string field = "jpki." + key;
        if (key == "present") p.jpki_present = doc.bool_value(value, field);
        else if (key == "auth_pin") p.auth_pin = pin_value(doc, value, field, card::auth_pin_policy());
        else if (key == "auth_pin_tries_left") p.auth_pin_tries_left = tries_value(doc, value, field, card::auth_pin_policy().max_tries);
        else if (key == "sign_pin") p.sign_pin = pin_value(doc, value, field, card::sign_pin_policy());
        else if (key == "sign_pin_tries_left") p.sign_pin_tries_left = tries_value(doc, value, field, card::sign_pin_policy().max_tries);
        else if (key == "auth_certificate") apply_certificate(doc, value, field, p.auth_certificate);
        else if (key == "sign_certificate") apply_certificate(doc, value, field, p.sign_certificate);
    }
}

void apply_kenmen_hojo(const Document& doc, const YAML::Node& node, CardProfile& p) {
    doc.expect_map(node, "kenmen_hojo");
    doc.check_keys(node, {"present", "pin", "pin_tries_left", "my_number", "name", "address", "birth_date", "sex"},
                   "kenmen_hojo");
    for (const auto& pair : node) {
        const std::string key = pair.first.Scalar();
        const YAML::Node& value = pair.second;
        const std::string field = "kenmen_hojo." + key;
        if (key == "present") {
            p.kenmen_hojo_present = doc.bool_value(value, field);
        } else if (key == "pin") {
            p.kenmen_hojo_pin = pin_value(doc, value, field, card::kenmen_hojo_pin_policy());
        } else if (key == "pin_tries_left") {
            p.kenmen_hojo_pin_tries_left = tries_value(doc, value, field, card::kenmen_hojo_pin_policy().max_tries);
        } else if (key == "my_number") {
            p.my_number = doc.string_value(value, field);
            if (p.my_number.size() != 12 || !all_digits(p.my_number))
                doc.fail(value, field + " must be 12 digits, found '" + p.my_number + "'");
        } else if (key == "name") {
            p.name_kanji = doc.string_value(value, field);
        } else if (key == "address") {
            p.address = doc.string_value(value, field);
        } else if (key == "birth_date") {
            p.birth_date = doc.string_value(value, field);
            std::string error;
            const bool digits = p.birth_date.size() == 8 && all_digits(p.birth_date);
            const std::string iso = digits ? p.birth_date.substr(0, 4) + "-" + p.birth_date.substr(4, 2) + "-" +
                                                 p.birth_date.substr(6, 2)
                                           : std::string();
            if (!digits || !resolve_time(iso, 0, error))
                doc.fail(value, field + " must be a date YYYYMMDD, found '" + p.birth_date + "'");
        } else if (key == "sex") {
            p.sex = doc.string_value(value, field);
            if (p.sex != "1" && p.sex != "2" && p.sex != "3" && p.sex != "9")
                doc.fail(value, field + " must be 1 (male), 2 (female), 3 (other) or 9 (not applicable), found '" + p.sex + "'");
        }
    }
}

void apply_kenmen(const Document& doc, const YAML::Node& node, CardProfile& p) {
    doc.expect_map(node, "kenmen");
    doc.check_keys(node, {"present", "face_image_file"}, "kenmen");
    for (const auto& pair : node) {
        const std::string key = pair.first.Scalar();
        if (key == "present") p.kenmen_present = doc.bool_value(pair.second, "kenmen.present");
        else if (key == "face_image_file") {
            // A JPEG file, relative to the profile that names it; read and checked now (a bad image is the profile's error).
            const std::string named = doc.string_value(pair.second, "kenmen.face_image_file");
            const auto path = std::filesystem::path(doc.file()).parent_path() / named;
            std::string bytes;
            try {
                bytes = read_file(path);
            } catch (const std::exception& e) {
                doc.fail(pair.second, "kenmen.face_image_file: cannot read '" + named + "': " + e.what());
            }
            p.face_image.assign(bytes.begin(), bytes.end());
            if (const auto problem = face_image_problem(p.face_image); !problem.empty())
                doc.fail(pair.second, "kenmen.face_image_file '" + named + "': " + problem);
        }
    }
}

void apply_faults(const Document& doc, const YAML::Node& node, CardProfile& p) {
    doc.expect_map(node, "faults");
    doc.check_keys(node, {"latency_ms", "mute_after_apdus", "tear_after_apdus", "force_status"}, "faults");
    for (const auto& pair : node) {
        const std::string key = pair.first.Scalar();
        const YAML::Node& value = pair.second;
        const std::string field = "faults." + key;
        if (key == "latency_ms") {
            p.latency_ms = static_cast<std::uint32_t>(doc.int_value(value, field, 0, 60000));
        } else if (key == "mute_after_apdus") {
            p.mute_after_apdus = static_cast<std::uint64_t>(doc.int_value(value, field, 0, 1000000000));
        } else if (key == "tear_after_apdus") {
            p.tear_after_apdus = static_cast<std::uint64_t>(doc.int_value(value, field, 0, 1000000000));
        } else if (key == "force_status") {
            doc.expect_sequence(value, field);
            p.force_status.clear();
            for (const auto& item : value) {
                doc.expect_map(item, "a faults.force_status entry");
                doc.check_keys(item, {"command", "sw", "times"}, "a faults.force_status entry");
                if (!item["command"] || !item["sw"])
                    doc.fail(item, "a faults.force_status entry needs 'command' (hex header prefix) and 'sw'");
                ForcedStatusProfile rule;
                rule.command_prefix = hex_value(doc, item["command"], "force_status.command");
                if (rule.command_prefix.empty() || rule.command_prefix.size() > 4)
                    doc.fail(item["command"], "force_status.command must be 1 to 4 header bytes (CLA INS P1 P2)");
                const Bytes status = hex_value(doc, item["sw"], "force_status.sw");
                if (status.size() != 2) doc.fail(item["sw"], "force_status.sw must be 2 bytes, e.g. 6F00");
                rule.sw = static_cast<card::StatusWord>(status[0] << 8 | status[1]);
                if (item["times"]) rule.times = static_cast<std::uint32_t>(doc.int_value(item["times"], "force_status.times", 1, 1000000));
                p.force_status.push_back(rule);
            }
        }
    }
}

fs::path resolve_extends(const Document& doc, const YAML::Node& node, const fs::path& base_dir) {
    const std::string text = doc.string_value(node, "extends");
    if (text.empty()) doc.fail(node, "extends must name a profile");
    // error_code overloads throughout: a strange name is a profile error, never an exception escaping.
    std::error_code ec;
    fs::path candidate = base_dir / text;
    if (!fs::exists(candidate, ec) && !ec && candidate.extension() != ".yaml") candidate += ".yaml";
    if (!ec && fs::is_regular_file(candidate, ec) && !ec) return candidate;
    doc.fail(node, "extends: no profile '" + text + "' next to this file" + (ec ? " (" + ec.message() + ")" : ""));
}

std::string canonical_name(const fs::path& path) {
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(path, ec);
    return ec ? path.lexically_normal().string() : canonical.string();
}

void apply_document(const Document& doc, CardProfile& p, std::vector<std::string>& stack,
                    const fs::path& base_dir);

void apply_file(const fs::path& path, CardProfile& p, std::vector<std::string>& stack) {
    const Document doc = Document::from_file(path.string());
    apply_document(doc, p, stack, path.parent_path());
}

void apply_document(const Document& doc, CardProfile& p, std::vector<std::string>& stack,
                    const fs::path& base_dir) {
    const YAML::Node& root = doc.root();
    doc.expect_map(root, "a card profile");
    doc.check_keys(root,
                   {"extends", "description", "person", "tags", "reference_date", "atr", "persist_counters", "face_auth_only",
                    "jpki", "kenmen_hojo", "kenmen", "juki", "common", "faults"},
                   "the profile");
    if (const auto parent = root["extends"]) {
        const fs::path parent_path = resolve_extends(doc, parent, base_dir);
        const std::string canonical = canonical_name(parent_path);
        if (std::find(stack.begin(), stack.end(), canonical) != stack.end())
            doc.fail(parent, "extends: cycle through '" + parent_path.string() + "'");
        if (stack.size() >= max_extends_depth) doc.fail(parent, "extends: chain deeper than 16 profiles");
        stack.push_back(canonical);
        apply_file(parent_path, p, stack);
        stack.pop_back();
    }
    p.chain.push_back(doc.file());
    for (const auto& pair : root) {
        const std::string key = pair.first.Scalar();
        const YAML::Node& value = pair.second;
        if (key == "description") {
            p.description = doc.string_value(value, "description");
        } else if (key == "person") {
            p.person = doc.string_value(value, "person");
            if (p.person.empty()) doc.fail(value, "person must not be empty");
        } else if (key == "tags") {
            doc.expect_sequence(value, "tags");
            p.tags.clear();
            for (const auto& tag : value) p.tags.push_back(doc.string_value(tag, "a tag"));
        } else if (key == "reference_date") {
            p.reference_date = time_value(doc, value, "reference_date");
            if (p.reference_date.front() == '+' || p.reference_date.front() == '-')
                doc.fail(value, "reference_date must be an absolute date (YYYY-MM-DD)");
        } else if (key == "atr") {
            p.atr = hex_value(doc, value, "atr");
            if (p.atr.size() < 2 || p.atr.size() > 33 || (p.atr[0] != 0x3B && p.atr[0] != 0x3F))
                doc.fail(value, "atr must be 2 to 33 bytes starting with 3B or 3F");
        } else if (key == "persist_counters") {
            p.persist_counters = doc.bool_value(value, "persist_counters");
        } else if (key == "face_auth_only") {
            p.face_auth_only = doc.bool_value(value, "face_auth_only");
        } else if (key == "jpki") {
            apply_jpki(doc, value, p);
        } else if (key == "kenmen_hojo") {
            apply_kenmen_hojo(doc, value, p);
        } else if (key == "kenmen") {
            apply_kenmen(doc, value, p);
        } else if (key == "juki" || key == "common") {
            doc.expect_map(value, key);
            doc.check_keys(value, {"present"}, key);
            if (value["present"]) (key == "juki" ? p.juki_present : p.common_present) = doc.bool_value(value["present"], key + ".present");
        } else if (key == "faults") {
            apply_faults(doc, value, p);
        }
    }
}

CardProfile defaults() {
    CardProfile p;
    p.auth_certificate.key = "card-01";
    p.auth_certificate.issuer = pki::CaId::JpkiAuth;
    p.sign_certificate.key = "card-02";
    p.sign_certificate.issuer = pki::CaId::JpkiSign;
    return p;
}

void require(bool present, const CardProfile& p, const std::string& key) {
    if (!present)
        throw LoadError(yaml::SourceLocation{p.file, 1, 1},
                        "missing required key '" + key + "' (set it here or in a profile this one extends)");
}

void check_certificate(const CardProfile& p, const CertificateProfile& cert, const std::string& what) {
    if (cert.serial.empty())
        throw LoadError(cert.where.file.empty() ? yaml::SourceLocation{p.file, 1, 1} : cert.where,
                        "missing required key '" + what + ".serial'");
    std::string error;
    const auto reference = resolve_time(p.reference_date, 0, error);
    const auto before = resolve_time(cert.not_before, *reference, error);
    const auto after = resolve_time(cert.not_after, *reference, error);
    if (before && after && *after < *before)
        throw LoadError(cert.where, what + ": not_after (" + format_time(*after) + ") is before not_before (" +
                                        format_time(*before) + ")");
}

}  // namespace

void validate_profile(const CardProfile& p) {
    require(!p.person.empty(), p, "person");
    if (p.jpki_present) {
        check_certificate(p, p.auth_certificate, "jpki.auth_certificate");
        check_certificate(p, p.sign_certificate, "jpki.sign_certificate");
    }
    if (p.kenmen_hojo_present) {
        require(!p.my_number.empty(), p, "kenmen_hojo.my_number");
        require(!p.name_kanji.empty(), p, "kenmen_hojo.name");
        require(!p.address.empty(), p, "kenmen_hojo.address");
        require(!p.birth_date.empty(), p, "kenmen_hojo.birth_date");
    }
}

CardProfile load_profile(const std::string& path) {
    CardProfile p = defaults();
    p.file = path;
    p.name = fs::path(path).stem().string();
    std::vector<std::string> stack{canonical_name(path)};
    apply_file(path, p, stack);
    validate_profile(p);
    return p;
}

CardProfile load_profile_text(std::string_view text, const std::string& name, const std::string& base_dir) {
    CardProfile p = defaults();
    p.file = name;
    p.name = fs::path(name).stem().string();
    std::vector<std::string> stack{name};
    const Document doc = Document::from_text(text, name);
    apply_document(doc, p, stack, base_dir);
    validate_profile(p);
    return p;
}

}  // namespace mynasim::profile
