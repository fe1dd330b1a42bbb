#include "dataset_loader.hpp"

#include <algorithm>
#include <initializer_list>
#include <set>
#include <span>
#include <string_view>
#include <vector>

#include <openssl/bn.h>

#include "base/time.hpp"
#include "base/yaml_strict.hpp"
#include "onshi/codes/code_tables.hpp"

namespace mynasim::onshi {

using yaml::Document;

std::optional<std::string> normalise_serial(const std::string& text) {
    const bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
    const std::string digits = hex ? text.substr(2) : text;
    if (digits.empty() || digits.size() > 48) return std::nullopt;
    for (char c : digits)
        if (hex ? !std::isxdigit(static_cast<unsigned char>(c)) : (c < '0' || c > '9')) return std::nullopt;
    BIGNUM* bn = nullptr;
    const int used = hex ? BN_hex2bn(&bn, digits.c_str()) : BN_dec2bn(&bn, digits.c_str());
    std::optional<std::string> out;
    if (bn && used == static_cast<int>(digits.size()) && !BN_is_zero(bn) && BN_num_bytes(bn) <= 20) {
        char* printed = BN_bn2hex(bn);
        out = printed;
        OPENSSL_free(printed);
        out->erase(0, std::min(out->find_first_not_of('0'), out->size() - 1));
    }
    BN_free(bn);
    return out;
}

namespace {

// A remote consent's institution when the dataset names none: the mock's TEST 医療機関コード (its
// --institution default; prefecture 99 does not exist).
constexpr char default_remote_consent_institution[] = "9999000001";

bool digits_only(const std::string& s, std::size_t length) {
    return s.size() == length && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string text(const Document& doc, const YAML::Node& node, const std::string& what) {
    return doc.string_value(node, what);
}

std::string date(const Document& doc, const YAML::Node& node, const std::string& what) {
    const std::string value = doc.string_value(node, what);
    if (!is_compact_date(value)) doc.fail(node, what + " must be a date YYYYMMDD, found '" + value + "'");
    return value;
}

std::string code(const Document& doc, const YAML::Node& node, const std::string& what,
                 std::initializer_list<const char*> allowed) {
    const std::string value = doc.string_value(node, what);
    std::string list;
    for (const char* a : allowed) {
        if (value == a) return value;
        list += std::string(list.empty() ? "" : ", ") + a;
    }
    doc.fail(node, what + " must be one of " + list + ", found '" + value + "'");
}

// A value from one of the file interface's code tables (simulator/onshi/codes/), as the answers carry it.
std::string table_code(const Document& doc, const YAML::Node& node, const std::string& what, std::string_view table_name) {
    const std::string value = doc.string_value(node, what);
    const auto& table = CodeTables::builtin().table(table_name);
    if (!table.contains(value)) doc.fail(node, what + " must be one of " + table.listing() + " (" + table.name + "), found '" + value + "'");
    return value;
}

template <class Apply>
void each_item(const Document& doc, const YAML::Node& node, const std::string& what, Apply apply) {
    doc.expect_sequence(node, what);
    for (const auto& item : node) {
        doc.expect_map(item, "an entry of " + what);
        apply(item);
    }
}

Certificate certificate(const Document& doc, const YAML::Node& node) {
    doc.check_keys(node, {"serial", "status", "renews"}, "a certificate");
    Certificate c;
    if (!node["serial"]) doc.fail(node, "a certificate needs 'serial'");
    for (const auto& pair : node) {
        const std::string key = pair.first.Scalar();
        if (key == "serial" || key == "renews") {
            const std::string value = doc.string_value(pair.second, "certificate." + key);
            auto normal = normalise_serial(value);
            if (!normal) doc.fail(pair.second, "certificate." + key + " must be a positive integer, decimal or 0x-hex, found '" + value + "'");
            (key == "serial" ? c.serial : c.renews) = *normal;
        } else if (key == "status") {
            c.status = code(doc, pair.second, "certificate.status", {"active", "revoked"});
        }
    }
    return c;
}

// A map of optional fields, each read by `read(key, value node, what)`; unknown keys are errors.
template <class Read>
void fields_of(const Document& doc, const YAML::Node& node, const std::string& what, std::span<const std::string_view> allowed, Read read) {
    doc.expect_map(node, what);
    doc.check_keys(node, allowed, what);
    for (const auto& pair : node) read(pair.first.Scalar(), pair.second, what + "." + pair.first.Scalar());
}
template <class Read>
void fields_of(const Document& doc, const YAML::Node& node, const std::string& what, std::initializer_list<std::string_view> allowed, Read read) {
    fields_of(doc, node, what, std::span<const std::string_view>(allowed.begin(), allowed.size()), read);
}

std::string ratio(const Document& doc, const YAML::Node& node, const std::string& what) {
    const std::string value = text(doc, node, what);
    if (!digits_only(value, 3)) doc.fail(node, what + " must be 3 digits (e.g. 010 for 1割), found '" + value + "'");
    return value;
}

ElderlyCertificate elderly_certificate(const Document& doc, const YAML::Node& node) {
    ElderlyCertificate e;
    fields_of(doc, node, "qualification.elderly", {"issued", "valid_from", "valid_to", "ratio"}, [&](const std::string& key, const YAML::Node& v, const std::string& what) {
        if (key == "issued") e.issued = date(doc, v, what);
        else if (key == "valid_from") e.valid_from = date(doc, v, what);
        else if (key == "valid_to") e.valid_to = date(doc, v, what);
        else e.ratio = ratio(doc, v, what);
    });
    if (e.ratio.empty()) doc.fail(node, "qualification.elderly needs 'ratio'");
    return e;
}

LimitCertificate limit_certificate(const Document& doc, const YAML::Node& node) {
    LimitCertificate l;
    fields_of(doc, node, "qualification.limit", {"classification", "flag", "issued", "valid_from", "valid_to", "long_term"},
              [&](const std::string& key, const YAML::Node& v, const std::string& what) {
                  if (key == "classification") l.classification = table_code(doc, v, what, "LimitApplicationCertificateClassification");
                  else if (key == "flag") l.flag = table_code(doc, v, what, "LimitApplicationCertificateClassificationFlag");
                  else if (key == "issued") l.issued = date(doc, v, what);
                  else if (key == "valid_from") l.valid_from = date(doc, v, what);
                  else if (key == "valid_to") l.valid_to = date(doc, v, what);
                  else l.long_term = date(doc, v, what);
              });
    if (l.flag.empty()) doc.fail(node, "qualification.limit needs 'flag'");
    return l;
}

DiseaseCertificate disease_certificate(const Document& doc, const YAML::Node& node) {
    DiseaseCertificate d;
    fields_of(doc, node, "a specific disease certificate", {"category", "issued", "valid_from", "valid_to", "self_pay"},
              [&](const std::string& key, const YAML::Node& v, const std::string& what) {
                  if (key == "category") d.category = text(doc, v, what);
                  else if (key == "issued") d.issued = date(doc, v, what);
                  else if (key == "valid_from") d.valid_from = date(doc, v, what);
                  else if (key == "valid_to") d.valid_to = date(doc, v, what);
                  else d.self_pay = text(doc, v, what);
              });
    if (d.category.empty()) doc.fail(node, "a specific disease certificate needs 'category'");
    return d;
}

// A medical ticket's text fields beyond the checked ones, by their YAML key.
constexpr std::pair<const char*, std::string MedicalTicket::*> medical_ticket_texts[] = {
    {"prescription_issuer_code", &MedicalTicket::prescription_issuer_code},
    {"prescription_issuer_name", &MedicalTicket::prescription_issuer_name},
    {"injury_name1", &MedicalTicket::injury_name1},
    {"injury_name2", &MedicalTicket::injury_name2},
    {"injury_name3", &MedicalTicket::injury_name3},
    {"treatment_type", &MedicalTicket::treatment_type},
    {"district_contact", &MedicalTicket::district_contact},
    {"handling_contact", &MedicalTicket::handling_contact},
    {"single_or_combined", &MedicalTicket::single_or_combined},
    {"social_insurance", &MedicalTicket::social_insurance},
    {"consistency_flag", &MedicalTicket::consistency_flag},
    {"infection", &MedicalTicket::infection},
    {"elderly_care", &MedicalTicket::elderly_care},
    {"prefectural_expenses", &MedicalTicket::prefectural_expenses},
    {"remarks1", &MedicalTicket::remarks1},
    {"remarks2", &MedicalTicket::remarks2},
    {"remarks3", &MedicalTicket::remarks3},
};

// Every key of a medical ticket: the checked ones, then the text fields of the table above.
const std::vector<std::string_view>& medical_ticket_keys() {
    static const auto keys = [] {
        std::vector<std::string_view> out{"type", "valid_from", "valid_to", "issue_number", "month", "institution_code",
                                          "institution_flag", "institution_name", "self_pay"};
        for (const auto& [key, member] : medical_ticket_texts) out.push_back(key);
        return out;
    }();
    return keys;
}

MedicalTicket medical_ticket(const Document& doc, const YAML::Node& node) {
    MedicalTicket t;
    fields_of(doc, node, "a medical ticket", medical_ticket_keys(),
              [&](const std::string& key, const YAML::Node& v, const std::string& what) {
                  for (const auto& [text_key, member] : medical_ticket_texts)
                      if (key == text_key) {
                          t.*member = text(doc, v, what);
                          return;
                      }
                  if (key == "type") t.type = text(doc, v, what);
                  else if (key == "valid_from") t.valid_from = date(doc, v, what);
                  else if (key == "valid_to") t.valid_to = date(doc, v, what);
                  else if (key == "issue_number") t.issue_number = text(doc, v, what);
                  else if (key == "month") {
                      t.month = text(doc, v, what);
                      if (!digits_only(t.month, 6)) doc.fail(v, what + " must be YYYYMM, found '" + t.month + "'");
                  } else if (key == "institution_code") {
                      t.institution_code = text(doc, v, what);
                      if (!digits_only(t.institution_code, 10)) doc.fail(v, what + " must be 10 digits, found '" + t.institution_code + "'");
                  } else if (key == "institution_flag") t.institution_flag = text(doc, v, what);
                  else if (key == "institution_name") t.institution_name = text(doc, v, what);
                  else t.self_pay = text(doc, v, what);
              });
    if (t.type.empty()) doc.fail(node, "a medical ticket needs 'type'");
    return t;
}

Qualification qualification(const Document& doc, const YAML::Node& node, const std::set<std::string>& insurers) {
    doc.check_keys(node,
                   {"insurer", "symbol", "number", "branch", "classification", "personal_family", "valid_from",
                    "valid_to", "qualification_date", "contribution_ratio", "insured_name", "disqualification_date",
                    "certificate_issued", "preschool", "reason_of_loss", "elderly", "limit", "specific_diseases", "medical_tickets",
                    "card_form"},
                   "a qualification");
    for (const char* required : {"insurer", "number", "branch", "valid_from"})
        if (!node[required]) doc.fail(node, std::string("a qualification needs '") + required + "'");
    Qualification q;
    for (const auto& pair : node) {
        const std::string key = pair.first.Scalar();
        const YAML::Node& v = pair.second;
        const std::string what = "qualification." + key;
        if (key == "insurer") {
            q.insurer = text(doc, v, what);
            if (!insurers.contains(q.insurer)) doc.fail(v, what + ": no insurer '" + q.insurer + "' in this dataset's insurers");
        } else if (key == "symbol") {
            q.symbol = text(doc, v, what);
        } else if (key == "number") {
            q.number = text(doc, v, what);
            if (q.number.empty()) doc.fail(v, what + " must not be empty");
        } else if (key == "branch") {
            q.branch = text(doc, v, what);
            if (!digits_only(q.branch, 2)) doc.fail(v, what + " must be 2 digits, found '" + q.branch + "'");
        } else if (key == "classification") {
            q.classification = table_code(doc, v, what, "InsuredCardClassification");
        } else if (key == "personal_family") {
            q.personal_family = table_code(doc, v, what, "PersonalFamilyClassification");
        } else if (key == "valid_from") {
            q.valid_from = date(doc, v, what);
        } else if (key == "valid_to") {
            q.valid_to = date(doc, v, what);
        } else if (key == "qualification_date") {
            q.qualification_date = date(doc, v, what);
        } else if (key == "contribution_ratio") {
            q.contribution_ratio = text(doc, v, what);
            if (!digits_only(q.contribution_ratio, 3)) doc.fail(v, what + " must be 3 digits (e.g. 030), found '" + q.contribution_ratio + "'");
        } else if (key == "insured_name") {
            q.insured_name = text(doc, v, what);
        } else if (key == "disqualification_date") {
            q.disqualification_date = date(doc, v, what);
        } else if (key == "certificate_issued") {
            q.certificate_issued = date(doc, v, what);
        } else if (key == "card_form") {
            q.card_form = text(doc, v, what);
            if (q.card_form != "insurance_card" && q.card_form != "qualification_certificate")
                doc.fail(v, what + " must be insurance_card (保険証) or qualification_certificate (資格確認書), found '" + q.card_form + "'");
        } else if (key == "preschool") {
            q.preschool = table_code(doc, v, what, "PreschoolClassification");
        } else if (key == "reason_of_loss") {
            q.reason_of_loss = table_code(doc, v, what, "ReasonOfLoss");
        } else if (key == "elderly") {
            q.elderly = elderly_certificate(doc, v);
        } else if (key == "limit") {
            q.limit = limit_certificate(doc, v);
        } else if (key == "specific_diseases") {
            each_item(doc, v, what, [&](const YAML::Node& item) { q.diseases.push_back(disease_certificate(doc, item)); });
        } else if (key == "medical_tickets") {
            each_item(doc, v, what, [&](const YAML::Node& item) { q.tickets.push_back(medical_ticket(doc, item)); });
        }
    }
    if (!q.reason_of_loss.empty() && q.valid_to.empty())
        doc.fail(node["reason_of_loss"], "qualification.reason_of_loss needs valid_to: only a lost qualification has a reason of loss");
    if (!q.valid_to.empty() && q.valid_to < q.valid_from)
        doc.fail(node["valid_to"], "qualification.valid_to (" + q.valid_to + ") is before valid_from (" + q.valid_from + ")");
    if (q.qualification_date.empty()) q.qualification_date = q.valid_from;
    // The rules of 2024-12-02 (../shared/spec/oqs-files.md, "資格確認書"): no paper 保険証 was issued from that day,
    // and 資格確認書 only from it.
    if (!q.card_form.empty() && !q.certificate_issued.empty()) {
        const bool card = q.card_form == "insurance_card";
        if (card && q.certificate_issued >= "20241202")
            doc.fail(node["certificate_issued"], "qualification.certificate_issued " + q.certificate_issued +
                                                     ": no paper 保険証 was issued from 2024-12-02 (give card_form: qualification_certificate)");
        if (!card && q.certificate_issued < "20241202")
            doc.fail(node["certificate_issued"], "qualification.certificate_issued " + q.certificate_issued +
                                                     ": 資格確認書 were issued from 2024-12-02 (give card_form: insurance_card)");
    }
    return q;
}

Person person(const Document& doc, const YAML::Node& node, const std::set<std::string>& insurers) {
    doc.check_keys(node,
                   {"id", "name", "name_kana", "sex", "birth_date", "registered", "certificates", "qualifications",
                    "medications", "checkups", "claims", "name_of_other", "name_of_other_kana", "sex2", "address", "post_number",
                    "remote_consents"},
                   "a person");
    for (const char* required : {"id", "name", "name_kana", "sex", "birth_date"})
        if (!node[required]) doc.fail(node, std::string("a person needs '") + required + "'");
    Person p;
    for (const auto& pair : node) {
        const std::string key = pair.first.Scalar();
        const YAML::Node& v = pair.second;
        const std::string what = "person." + key;
        if (key == "id") p.id = text(doc, v, what);
        else if (key == "name") p.name = text(doc, v, what);
        else if (key == "name_kana") p.name_kana = text(doc, v, what);
        else if (key == "sex") p.sex = table_code(doc, v, what, "Sex");
        else if (key == "birth_date") p.birth_date = date(doc, v, what);
        else if (key == "registered") p.registered = doc.bool_value(v, what);
        else if (key == "name_of_other") p.name_of_other = text(doc, v, what);
        else if (key == "name_of_other_kana") p.name_of_other_kana = text(doc, v, what);
        else if (key == "sex2") p.sex2 = table_code(doc, v, what, "Sex");
        else if (key == "address") p.address = text(doc, v, what);
        else if (key == "post_number") {
            p.post_number = text(doc, v, what);
            const bool ok = p.post_number.size() == 8 && p.post_number[3] == '-' && digits_only(p.post_number.substr(0, 3), 3) &&
                            digits_only(p.post_number.substr(4), 4);
            if (!ok) doc.fail(v, what + " must be NNN-NNNN, found '" + p.post_number + "'");
        }
        else if (key == "certificates")
            each_item(doc, v, what, [&](const YAML::Node& item) { p.certificates.push_back(certificate(doc, item)); });
        else if (key == "qualifications")
            each_item(doc, v, what, [&](const YAML::Node& item) { p.qualifications.push_back(qualification(doc, item, insurers)); });
        else if (key == "medications")
            each_item(doc, v, what, [&](const YAML::Node& item) {
                doc.check_keys(item, {"dispensed_on", "drug", "quantity", "institution"}, "a medication");
                if (!item["dispensed_on"] || !item["drug"]) doc.fail(item, "a medication needs 'dispensed_on' and 'drug'");
                Medication m;
                m.dispensed_on = date(doc, item["dispensed_on"], "medication.dispensed_on");
                m.drug = text(doc, item["drug"], "medication.drug");
                if (item["quantity"]) m.quantity = text(doc, item["quantity"], "medication.quantity");
                if (item["institution"]) m.institution = text(doc, item["institution"], "medication.institution");
                p.medications.push_back(m);
            });
        else if (key == "remote_consents")
            each_item(doc, v, what, [&](const YAML::Node& item) {
                doc.check_keys(item, {"treatment", "institution", "consented_on", "examined_on"}, "a remote consent");
                if (!item["treatment"] || !item["consented_on"]) doc.fail(item, "a remote consent needs 'treatment' and 'consented_on'");
                RemoteConsent c;
                c.treatment = table_code(doc, item["treatment"], "remote_consent.treatment", "MedicalTreatmentFlag");
                if (c.treatment != "2" && c.treatment != "3")
                    doc.fail(item["treatment"], "remote_consent.treatment must be 2 (訪問診療等) or 3 (オンライン診療等), found '" + c.treatment + "'");
                c.institution = item["institution"] ? text(doc, item["institution"], "remote_consent.institution") : default_remote_consent_institution;
                if (!digits_only(c.institution, 10)) doc.fail(item["institution"], "remote_consent.institution must be 10 digits, found '" + c.institution + "'");
                c.consented_on = date(doc, item["consented_on"], "remote_consent.consented_on");
                if (const auto days = item["examined_on"]) {
                    doc.expect_sequence(days, "remote_consent.examined_on");
                    for (const auto& day : days) c.examined_on.push_back(date(doc, day, "remote_consent.examined_on"));
                }
                p.remote_consents.push_back(c);
            });
        else if (key == "checkups")
            each_item(doc, v, what, [&](const YAML::Node& item) {
                doc.check_keys(item, {"examined_on", "item", "value", "unit"}, "a checkup");
                if (!item["examined_on"] || !item["item"] || !item["value"])
                    doc.fail(item, "a checkup needs 'examined_on', 'item' and 'value'");
                Checkup c;
                c.examined_on = date(doc, item["examined_on"], "checkup.examined_on");
                c.item = text(doc, item["item"], "checkup.item");
                c.value = text(doc, item["value"], "checkup.value");
                if (item["unit"]) c.unit = text(doc, item["unit"], "checkup.unit");
                p.checkups.push_back(c);
            });
        else if (key == "claims")
            each_item(doc, v, what, [&](const YAML::Node& item) {
                doc.check_keys(item, {"id", "insurer", "care_date", "points"}, "a claim");
                if (!item["id"] || !item["insurer"] || !item["care_date"])
                    doc.fail(item, "a claim needs 'id', 'insurer' and 'care_date'");
                Claim c;
                c.id = text(doc, item["id"], "claim.id");
                c.insurer = text(doc, item["insurer"], "claim.insurer");
                if (!insurers.contains(c.insurer)) doc.fail(item["insurer"], "claim.insurer: no insurer '" + c.insurer + "' in this dataset");
                c.care_date = date(doc, item["care_date"], "claim.care_date");
                if (item["points"]) c.points = doc.int_value(item["points"], "claim.points", 0, 100000000);
                p.claims.push_back(c);
            });
    }
    if (p.id.empty()) doc.fail(node["id"], "person.id must not be empty");
    // A renewal links two certificates of the same person (J-LIS's 名寄せ by serial).
    for (std::size_t i = 0; i < p.certificates.size(); ++i) {
        const auto& c = p.certificates[i];
        if (!c.renews.empty() && std::none_of(p.certificates.begin(), p.certificates.end(),
                                              [&](const Certificate& o) { return o.serial == c.renews; }))
            doc.fail(node["certificates"][i]["renews"], "person " + p.id + ": certificate " + c.serial + " renews " +
                                                            c.renews + ", which is not one of this person's certificates");
    }
    return p;
}

Dataset load(const Document& doc) {
    const YAML::Node& root = doc.root();
    doc.expect_map(root, "a dataset");
    doc.check_keys(root, {"dataset", "description", "insurers", "persons"}, "the dataset");
    if (!root["dataset"]) doc.fail(root, "missing 'dataset: 1' (the format version)");
    if (doc.int_value(root["dataset"], "dataset", 1, 1000) != 1)
        doc.fail(root["dataset"], "dataset format version " + root["dataset"].Scalar() + " is not supported (this build reads 1)");
    Dataset data;
    if (root["description"]) data.description = doc.string_value(root["description"], "description");
    std::set<std::string> insurers;
    if (root["insurers"])
        each_item(doc, root["insurers"], "insurers", [&](const YAML::Node& item) {
            doc.check_keys(item, {"number", "name"}, "an insurer");
            if (!item["number"] || !item["name"]) doc.fail(item, "an insurer needs 'number' and 'name'");
            Insurer i{doc.string_value(item["number"], "insurer.number"), doc.string_value(item["name"], "insurer.name")};
            const bool valid = digits_only(i.number, 8) || (i.number.rfind("  ", 0) == 0 && digits_only(i.number.substr(2), 6));
            if (!valid)
                doc.fail(item["number"], "insurer.number must be 8 characters: 8 digits, or 6 digits right-aligned with 2 spaces, found '" + i.number + "'");
            if (!insurers.insert(i.number).second) doc.fail(item["number"], "insurer '" + i.number + "' appears twice");
            data.insurers.push_back(i);
        });
    std::set<std::string> ids, serials;
    if (root["persons"])
        each_item(doc, root["persons"], "persons", [&](const YAML::Node& item) {
            Person p = person(doc, item, insurers);
            if (!ids.insert(p.id).second) doc.fail(item["id"], "person '" + p.id + "' appears twice");
            std::size_t index = 0;
            for (const auto& c : p.certificates) {
                if (!serials.insert(c.serial).second)
                    doc.fail(item["certificates"][index], "certificate serial " + c.serial + " belongs to two persons or appears twice");
                ++index;
            }
            data.persons.push_back(std::move(p));
        });
    return data;
}

}  // namespace

Dataset load_dataset(const std::string& path) { return load(Document::from_file(path)); }
Dataset load_dataset_text(const std::string& text, const std::string& name) {
    return load(Document::from_text(text, name));
}

}  // namespace mynasim::onshi
