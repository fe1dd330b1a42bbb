#pragma once
// The mock オンライン資格確認等システム's data: insurers, persons, their certificates (serial -> person,
// as J-LIS knows them), qualifications over time, 初回登録, medications, checkups and claims.
// Every name and number is synthetic. The YAML form is documented in docs/onshi-dataset.md.
#include <optional>
#include <string>
#include <vector>

namespace mynasim::onshi {

struct Insurer {
    std::string number;  // 保険者番号: 8 characters (6-digit 国保 numbers right-aligned with spaces)
    std::string name;
};

struct Certificate {
    std::string serial;          // normalised: upper-case hex without leading zeros ("1001")
    std::string status = "active";  // active | revoked
    std::string renews;          // serial this certificate replaced (same person), normalised, or empty
};

// The certificates that come with a qualification (docs/onshi-dataset.md; their elements: docs/file-interface.md).
struct ElderlyCertificate {  // 高齢受給者証
    std::string issued, valid_from, valid_to, ratio;  // dates YYYYMMDD; ratio 3 digits ("010" = 1割)
};
struct LimitCertificate {  // 限度額適用認定証
    std::string classification, flag, issued, valid_from, valid_to, long_term;
};
struct DiseaseCertificate {  // 特定疾病療養受療証
    std::string category, issued, valid_from, valid_to, self_pay;
};
struct MedicalTicket {  // 医療扶助の医療券
    std::string type, valid_from, valid_to, issue_number, month, institution_code, institution_flag, institution_name, self_pay;
    // The further elements of MedicalTicketInfo (docs/file-interface.md): text as the welfare office wrote it.
    std::string prescription_issuer_code, prescription_issuer_name, injury_name1, injury_name2, injury_name3, treatment_type,
        district_contact, handling_contact, single_or_combined, social_insurance, consistency_flag, infection, elderly_care,
        prefectural_expenses, remarks1, remarks2, remarks3;
};

struct Qualification {
    std::string insurer;         // 保険者番号
    std::string symbol;          // 被保険者記号
    std::string number;          // 被保険者番号
    std::string branch;          // 枝番, 2 digits
    std::string classification = "01";   // InsuredCardClassification
    std::string personal_family = "1";   // 1 本人, 2 家族
    std::string valid_from;      // YYYYMMDD (InsuredCardValidDate)
    std::string valid_to;        // YYYYMMDD or empty for open-ended (InsuredCardExpirationDate)
    std::string qualification_date;      // YYYYMMDD
    std::string contribution_ratio = "030";
    std::string insurer_name;    // filled by the store from its insurers (datasets name insurers once)
    // Optional (empty: absent), kept in the store as one encoded value (store/record_details.hpp):
    std::string insured_name;          // 被保険者氏名 (the head of household for a 家族; a 本人's own name by default)
    std::string disqualification_date; // 資格喪失年月日
    std::string certificate_issued;    // 被保険者証交付年月日
    std::string preschool;             // PreschoolClassification: 1 未就学, 2 就学中
    std::string reason_of_loss;        // ReasonOfLoss: 01, 02, 03, 99
    // What the person holds for these numbers (MODELED; empty: not said): insurance_card (the paper 保険証, not
    // issued after 2024-12-01, usable until 2025-12-01) or qualification_certificate (資格確認書, from 2024-12-02).
    std::string card_form;
    std::optional<ElderlyCertificate> elderly;
    std::optional<LimitCertificate> limit;
    std::vector<DiseaseCertificate> diseases;
    std::vector<MedicalTicket> tickets;
};

struct Medication {
    std::string dispensed_on;  // YYYYMMDD
    std::string drug;
    std::string quantity;
    std::string institution;
};

struct Checkup {
    std::string examined_on;  // YYYYMMDD
    std::string item;
    std::string value;
    std::string unit;
};

struct Claim {
    std::string id;
    std::string insurer;      // the insurer the claim (レセプト) was addressed to
    std::string care_date;    // YYYYMMDD
    long long points = 0;
};

// A consent given for treatment away from the clinic (居宅同意取得: the patient consents at home, on a
// smartphone), which the 訪問診療 / オンライン診療 bulk families search by (MODELED: the real records are not
// public): the visit kind, the institution, the day of the consent and the examinations since.
struct RemoteConsent {
    std::string treatment;    // MedicalTreatmentFlag (OQSCD028): 2 訪問診療等, 3 オンライン診療等
    std::string institution;  // 医療機関コード (default: the mock's TEST institution)
    std::string consented_on; // YYYYMMDD
    std::vector<std::string> examined_on;  // YYYYMMDD each
};

struct Person {
    std::string id;           // e.g. TEST-0001, as card profiles name it
    std::string name;         // 氏名
    std::string name_kana;    // half-width kana
    std::string sex;          // 1 male, 2 female
    std::string birth_date;   // YYYYMMDD
    // Optional (empty: absent), kept in the store as one encoded value (store/record_details.hpp):
    std::string name_of_other, name_of_other_kana;  // 氏名（その他）: e.g. a 通称名
    std::string sex2;                               // Sex2 (the insurer's alternative notation)
    std::string address, post_number;               // as the insurer has them ("123-4567")
    bool registered = false;  // 初回登録 done before the run starts
    std::vector<Certificate> certificates;
    std::vector<Qualification> qualifications;
    std::vector<Medication> medications;
    std::vector<Checkup> checkups;
    std::vector<Claim> claims;
    std::vector<RemoteConsent> remote_consents;
};

struct Dataset {
    std::string description;
    std::vector<Insurer> insurers;
    std::vector<Person> persons;
};

// "0x1001", "0X01001", "4097" -> "1001"; nullopt when not a positive integer of at most 20 bytes.
std::optional<std::string> normalise_serial(const std::string& text);

}  // namespace mynasim::onshi
