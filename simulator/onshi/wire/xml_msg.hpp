#pragma once
// The XmlMsg files of the 資格確認端末's file interface, as data: what the mock answers (HTTP, Res and
// Face alike) and what a reception asks. Every value is the element's text as it goes on the wire; an
// empty string is an absent value, written as an empty tag. Element names and order: xml_msg_fields.hpp;
// the public sources and what is MODELED: docs/file-interface.md.
#include <optional>
#include <string>
#include <vector>

namespace mynasim::onshi::xmlmsg {

// The 医療機関コード the mock and the reference reception use unless told another: prefecture 99 does
// not exist, so it is clearly TEST.
inline constexpr char test_institution_code[] = "9999000001";

// MessageHeader of an answer. ErrorCode and ErrorMessage go out only when SegmentOfResult is not 1.
struct AnswerHeader {
    std::string process_execution_time;           // ProcessExecutionTime, YYYYMMDDHHmmss
    std::string qualification_confirmation_date;  // QualificationConfirmationDate, YYYYMMDD
    std::string medical_institution_code;         // MedicalInstitutionCode, 10 digits
    std::string arbitrary_file_identifier;        // ArbitraryFileIdentifier, echoed
    std::string reference_classification;         // ReferenceClassification: 1 card, 2 insurance card numbers
    std::string segment_of_result;                // SegmentOfResult: 1, 2, 9
    std::string error_code, error_message;        // ErrorCode, ErrorMessage
    std::string character_code_identifier;        // CharacterCodeIdentifier
    // Bulk answers only (their own header tables in xml_msg_fields.hpp):
    std::string reception_number;                 // ReceptionNumber (受付番号)
    std::string reception_date_time;              // ReceptionDateTime, YYYYMMDDHHmmss (step 1)
    std::string number_of_processing_result;      // NumberOfProcessingResult, NumberOfNormalProcessing,
    std::string number_of_normal_processing;      // NumberOfError: the persons of a step-2 answer
    std::string number_of_error;
};

// QualificationConfirmSearchInfo: a reception's search by insurance card, echoed in the answer.
struct SearchInfo {
    std::string insurer_number;                 // InsurerNumber, 8 characters (国保: 6 digits, spaces on the left)
    std::string insured_card_symbol;            // InsuredCardSymbol
    std::string insured_identification_number;  // InsuredIdentificationNumber
    std::string insured_branch_number;          // InsuredBranchNumber, 2 digits
    std::string birthdate;                      // Birthdate, YYYYMMDD
    std::string limit_consent;                  // LimitApplicationCertificateRelatedConsFlg: 0, 1
    std::string arbitrary_identifier;           // ArbitraryIdentifier
};

struct ElderlyCertificate {  // ElderlyRecipientCertificateInfo (高齢受給者証)
    std::string date, valid_start, valid_end, contribution_ratio;
    bool empty() const { return date.empty() && valid_start.empty() && valid_end.empty() && contribution_ratio.empty(); }
};

struct LimitCertificate {  // LimitApplicationCertificateRelatedInfo (限度額適用認定証)
    std::string classification, classification_flag, date, valid_start, valid_end, long_term_date;
    bool empty() const {
        return classification.empty() && classification_flag.empty() && date.empty() && valid_start.empty() && valid_end.empty() &&
               long_term_date.empty();
    }
};

struct SpecificDiseaseCertificate {  // SpecificDiseasesCertificateInfo (特定疾病療養受療証)
    std::string disease_category, certificate_date, valid_start, valid_end, self_pay;
};

struct MedicalTicket {  // MedicalTicketInfo (医療扶助の医療券・調剤券)
    std::string ticket_type, valid_date, expiration_date, issue_number, treatment_month, designated_institution_code,
        designated_institution_flag, designated_institution_name, prescription_issuer_code, prescription_issuer_name, injury_name1,
        injury_name2, injury_name3, treatment_type, self_pay_amount, district_contact_name, handling_contact_name,
        single_or_combined_use, status_of_social_insurance, consistency_flag, status_of_infection, status_of_elderly_medical_care,
        status_of_prefectural_expenses, remarks1, remarks2, remarks3;
};

// One viewing category's consent given at the reader: flag (OQSCD016), when, and until when it holds.
struct ViewingConsent {
    std::string flag, time, available_time;
};

// ResultOfQualificationConfirmation.
struct Qualification {
    std::string insured_card_classification, insurer_number, insured_card_symbol, insured_identification_number,
        insured_branch_number, personal_family_classification, insured_name, name, name_of_other, name_kana,
        name_of_other_kana, sex1, sex2, birthdate, address, post_number, qualification_date, disqualification_date,
        insured_certificate_issuance_date, insured_card_valid_date, insured_card_expiration_date,
        insured_partial_contribution_ratio, preschool_classification, reason_of_loss, insurer_name;
    ElderlyCertificate elderly;
    std::string limit_consent_flag, limit_consent_time;
    LimitCertificate limit;
    std::string specific_diseases_consent_flag, specific_diseases_consent_time;
    std::vector<SpecificDiseaseCertificate> specific_diseases;
    std::vector<MedicalTicket> medical_tickets;  // PublicExpenseResultList
    ViewingConsent checkups, pharmacists, diagnosis, operation;
};

// MessageBody of a single answer (and of a face file, which has no search block).
struct AnswerBody {
    std::optional<SearchInfo> search;
    std::string prescription_issue_select;   // PrescriptionIssueSelect: 1 電子, 2 紙 (at the reader)
    std::string processing_result_status;    // ProcessingResultStatus: 1, 2
    std::string processing_result_code;      // ProcessingResultCode: errors, and notices on success
    std::string processing_result_message;   // ProcessingResultMessage
    std::string qualification_validity;      // QualificationValidity: 1-6
    std::vector<Qualification> results;      // ResultList
    std::string reference_number;            // ReferenceNumber (照会番号)
};

// A file-level error (SegmentOfResult 9) carries an empty MessageBody.
struct Answer {
    AnswerHeader header;
    AnswerBody body;
};

// MessageHeader of a request.
struct RequestHeader {
    std::string qualification_confirmation_date;  // only for a date other than today
    std::string medical_institution_code;
    std::string arbitrary_file_identifier;
    std::string character_code_identifier;        // MODELED: optional; when given it must name the file's encoding
};

// OQSsiquc01req: one search by insurance card.
struct SingleRequest {
    RequestHeader header;
    SearchInfo search;
};

// The search of the bulk families that ask by dates, not by a list (one QualificationConfirmSearchInfo):
// 訪問診療 by consent dates, オンライン診療 by examination or consent dates, 医療扶助 by treatment month.
struct RangeSearch {
    std::string consent_date_from, consent_date_to;          // ConsentDateFrom/To, YYYYMMDD
    std::string examination_date_from, examination_date_to;  // ExaminationDateFrom/To, YYYYMMDD
    std::string medical_treatment_month;                     // MedicalTreatmentMonth, YYYYMM
    std::string medical_treatment_flag;                      // MedicalTreatmentFlag (OQSCD028): 2 訪問, 3 オンライン
};

// ReferenceNumberRegistrationInfo: a person's card and the 照会番号 the institution gives them (MODELED: the
// spec names the block, not its children; these are the search's plus ReferenceNumber).
struct ReferenceRegistration {
    std::string insurer_number, insured_card_symbol, insured_identification_number, insured_branch_number, birthdate, reference_number,
        arbitrary_identifier;
};

// OQSsiimm01req: one 照会番号 registration.
struct ReferenceRequest {
    RequestHeader header;
    ReferenceRegistration registration;
};

// A registration's outcome: OQSsiimm01res's body, and one unit of a bulk registration's step-2 answer.
struct ReferenceOutcome {
    ReferenceRegistration registration;  // as the reception wrote it
    std::string processing_result_status, processing_result_code, processing_result_message;
};
struct ReferenceAnswer {
    AnswerHeader header;
    ReferenceOutcome outcome;  // not written when SegmentOfResult is 9
};

// A bulk family's step 1 (OQSmuquc01req …): a list of searches (OQSmuquc), one range search, or a list of
// registrations (OQSmuimm).
struct BulkRequest {
    RequestHeader header;
    std::vector<SearchInfo> searches;
    RangeSearch range;
    std::vector<ReferenceRegistration> registrations;
};

// A bulk family's step 2 (OQSmuquc02req …): the ReceptionNumber step 1 answered.
struct BulkResultRequest {
    RequestHeader header;
    std::string reception_number;
};

// One person of a step-2 answer: BulkConfirmUnit.
struct BulkUnit {
    SearchInfo search;  // the list's search as written, or (range families) the person's card numbers
    std::string processing_result_status, processing_result_code, processing_result_message, qualification_validity;
    std::vector<Qualification> results;  // ResultOfQualificationConfirmation, directly in the unit
    std::string reference_number;
};

// A step-1 answer (the header with ReceptionNumber and ReceptionDateTime; the body the acceptance's status),
// or a step-2 answer (the header with the counts; one unit per person). SegmentOfResult 2: not ready yet.
struct BulkAnswer {
    AnswerHeader header;
    std::string processing_result_status, processing_result_code, processing_result_message;  // step 1
    std::vector<BulkUnit> units;                                                              // step 2
    std::vector<ReferenceOutcome> registrations;  // step 2 of OQSmuimm: one unit per registration
};

// YZKsiquc01req (薬剤情報) / TKKsiquc01req (特定健診情報): one person's information, by the insurance card under
// the card's own element names in the MessageHeader (not the 資格確認 names), as a public reception writes them.
struct ViewingRequest {
    // MessageHeader
    std::string medical_institution_code, insurer_number, insurance_card_symbol, insured_person_identification_number, branch_number,
        arbitrary_file_identifier, character_code_identifier;
    // MessageBody: the period (薬剤情報), the file's form, what to give, the visit's MedicalTreatmentFlag
    std::string start_date, end_date, file_category, pr_di_inf_classification, medical_treatment_flag;
};

// A viewing answer (MODELED beyond the element names public readers of it use: docs/file-interface.md).
struct DrugLine {  // DrugInf
    std::string code, quantity, usage, times, ingredient, usage_class, unit, name;
};
struct DrugDay {  // DiDateInf
    std::string dispensed, prescribed;
    std::vector<DrugLine> drugs;
};
struct DrugMonth {  // MeTrMonthInf
    std::string origin, dispenser_code, prescriber_code, dispenser_name, month, prescriber_name, prescriber_origin, in_out;
    std::vector<DrugDay> days;
};
struct CheckupItem {  // SpecificHealthCheckupInfo
    std::string effective_time, item_code, item_name, value, unit;
};
struct ViewingAnswer {
    AnswerHeader header;                        // SegmentOfResult 9 with ErrorCode/ErrorMessage: the file's error
    std::string result_code, message_contents;  // ResultCode 1; or 2 with MessageContents (the person's error)
    std::string name, kana_name, birth, sex;    // QuaInf
    std::vector<DrugMonth> months;              // 薬剤情報
    std::vector<CheckupItem> checkups;          // 特定健診情報
};

}  // namespace mynasim::onshi::xmlmsg
