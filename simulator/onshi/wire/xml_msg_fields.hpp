#pragma once
// The element names and order of the XmlMsg files, spelled once, as tables over xml_msg.hpp's structs:
// the writer writes them in this order, the reader and the request checker read by them. Order: 別紙3-1
// as ../shared/spec/oqs-files.md quotes it (and the reception-side code it cites lists it);
// docs/file-interface.md gives each element's meaning and source.
#include <string>
#include <string_view>

#include "onshi/wire/xml_msg.hpp"

namespace mynasim::onshi::xmlmsg {

template <class Record>
struct Field {
    std::string_view name;  // a view: its length is known, no strlen per element written
    std::string Record::*member;
};

namespace name {
inline constexpr char XmlMsg[] = "XmlMsg";
inline constexpr char MessageHeader[] = "MessageHeader";
inline constexpr char MessageBody[] = "MessageBody";
inline constexpr char ErrorCode[] = "ErrorCode";
inline constexpr char ErrorMessage[] = "ErrorMessage";
inline constexpr char SegmentOfResult[] = "SegmentOfResult";
inline constexpr char CharacterCodeIdentifier[] = "CharacterCodeIdentifier";
inline constexpr char QualificationConfirmSearchInfo[] = "QualificationConfirmSearchInfo";
inline constexpr char ResultList[] = "ResultList";
inline constexpr char ResultOfQualificationConfirmation[] = "ResultOfQualificationConfirmation";
inline constexpr char ElderlyRecipientCertificateInfo[] = "ElderlyRecipientCertificateInfo";
inline constexpr char LimitApplicationCertificateRelatedInfo[] = "LimitApplicationCertificateRelatedInfo";
inline constexpr char SpecificDiseasesCertificateList[] = "SpecificDiseasesCertificateList";
inline constexpr char SpecificDiseasesCertificateInfo[] = "SpecificDiseasesCertificateInfo";
inline constexpr char PublicExpenseResultList[] = "PublicExpenseResultList";
inline constexpr char MedicalTicketInfo[] = "MedicalTicketInfo";
inline constexpr char ReferenceNumber[] = "ReferenceNumber";
inline constexpr char ReceptionNumber[] = "ReceptionNumber";
inline constexpr char BulkConfirmUnit[] = "BulkConfirmUnit";
}  // namespace name

// MessageHeader of an answer, ErrorCode and ErrorMessage included (written only when SegmentOfResult ≠ 1).
inline constexpr Field<AnswerHeader> answer_header_fields[] = {
    {"ProcessExecutionTime", &AnswerHeader::process_execution_time},
    {"QualificationConfirmationDate", &AnswerHeader::qualification_confirmation_date},
    {"MedicalInstitutionCode", &AnswerHeader::medical_institution_code},
    {"ArbitraryFileIdentifier", &AnswerHeader::arbitrary_file_identifier},
    {"ReferenceClassification", &AnswerHeader::reference_classification},
    {name::SegmentOfResult, &AnswerHeader::segment_of_result},
    {name::ErrorCode, &AnswerHeader::error_code},
    {name::ErrorMessage, &AnswerHeader::error_message},
    {name::CharacterCodeIdentifier, &AnswerHeader::character_code_identifier},
};

// MessageHeader of a request. The real order is not public: MODELED as the answer's (a request in
// another order draws a warning, not an error).
inline constexpr Field<RequestHeader> request_header_fields[] = {
    {"QualificationConfirmationDate", &RequestHeader::qualification_confirmation_date},
    {"MedicalInstitutionCode", &RequestHeader::medical_institution_code},
    {"ArbitraryFileIdentifier", &RequestHeader::arbitrary_file_identifier},
    {name::CharacterCodeIdentifier, &RequestHeader::character_code_identifier},
};

inline constexpr Field<SearchInfo> search_info_fields[] = {
    {"InsurerNumber", &SearchInfo::insurer_number},
    {"InsuredCardSymbol", &SearchInfo::insured_card_symbol},
    {"InsuredIdentificationNumber", &SearchInfo::insured_identification_number},
    {"InsuredBranchNumber", &SearchInfo::insured_branch_number},
    {"Birthdate", &SearchInfo::birthdate},
    {"LimitApplicationCertificateRelatedConsFlg", &SearchInfo::limit_consent},
    {"ArbitraryIdentifier", &SearchInfo::arbitrary_identifier},
};

// MessageBody's own values, after the search block and before ResultList.
inline constexpr Field<AnswerBody> answer_body_fields[] = {
    {"PrescriptionIssueSelect", &AnswerBody::prescription_issue_select},
    {"ProcessingResultStatus", &AnswerBody::processing_result_status},
    {"ProcessingResultCode", &AnswerBody::processing_result_code},
    {"ProcessingResultMessage", &AnswerBody::processing_result_message},
    {"QualificationValidity", &AnswerBody::qualification_validity},
};

// ResultOfQualificationConfirmation, in four runs of plain values between its groups.
inline constexpr Field<Qualification> qualification_fields[] = {
    {"InsuredCardClassification", &Qualification::insured_card_classification},
    {"InsurerNumber", &Qualification::insurer_number},
    {"InsuredCardSymbol", &Qualification::insured_card_symbol},
    {"InsuredIdentificationNumber", &Qualification::insured_identification_number},
    {"InsuredBranchNumber", &Qualification::insured_branch_number},
    {"PersonalFamilyClassification", &Qualification::personal_family_classification},
    {"InsuredName", &Qualification::insured_name},
    {"Name", &Qualification::name},
    {"NameOfOther", &Qualification::name_of_other},
    {"NameKana", &Qualification::name_kana},
    {"NameOfOtherKana", &Qualification::name_of_other_kana},
    {"Sex1", &Qualification::sex1},
    {"Sex2", &Qualification::sex2},
    {"Birthdate", &Qualification::birthdate},
    {"Address", &Qualification::address},
    {"PostNumber", &Qualification::post_number},
    {"QualificationDate", &Qualification::qualification_date},
    {"DisqualificationDate", &Qualification::disqualification_date},
    {"InsuredCertificateIssuanceDate", &Qualification::insured_certificate_issuance_date},
    {"InsuredCardValidDate", &Qualification::insured_card_valid_date},
    {"InsuredCardExpirationDate", &Qualification::insured_card_expiration_date},
    {"InsuredPartialContributionRatio", &Qualification::insured_partial_contribution_ratio},
    {"PreschoolClassification", &Qualification::preschool_classification},
    {"ReasonOfLoss", &Qualification::reason_of_loss},
    {"InsurerName", &Qualification::insurer_name},
};
// then ElderlyRecipientCertificateInfo, then:
inline constexpr Field<Qualification> limit_consent_fields[] = {
    {"LimitApplicationCertificateRelatedConsFlg", &Qualification::limit_consent_flag},
    {"LimitApplicationCertificateRelatedConsTime", &Qualification::limit_consent_time},
};
// then LimitApplicationCertificateRelatedInfo, then:
inline constexpr Field<Qualification> specific_diseases_consent_fields[] = {
    {"SpecificDiseasesCertificateRelatedConsFlg", &Qualification::specific_diseases_consent_flag},
    {"SpecificDiseasesCertificateRelatedConsTime", &Qualification::specific_diseases_consent_time},
};
// then SpecificDiseasesCertificateList and PublicExpenseResultList, then one run per viewing category.
struct ViewingConsentElements {
    std::string_view flag, time, available_time;
    ViewingConsent Qualification::*member;
};
inline constexpr ViewingConsentElements viewing_consents[] = {
    {"SpecificHealthCheckupsInfoConsFlg", "SpecificHealthCheckupsInfoConsTime", "SpecificHealthCheckupsInfoAvailableTime",
     &Qualification::checkups},
    {"PharmacistsInfoConsFlg", "PharmacistsInfoConsTime", "PharmacistsInfoAvailableTime", &Qualification::pharmacists},
    {"DiagnosisInfoConsFlg", "DiagnosisInfoConsTime", "DiagnosisInfoAvailableTime", &Qualification::diagnosis},
    {"OperationInfoConsFlg", "OperationInfoConsTime", "OperationInfoAvailableTime", &Qualification::operation},
};

inline constexpr Field<ElderlyCertificate> elderly_fields[] = {
    {"ElderlyRecipientCertificateDate", &ElderlyCertificate::date},
    {"ElderlyRecipientValidStartDate", &ElderlyCertificate::valid_start},
    {"ElderlyRecipientValidEndDate", &ElderlyCertificate::valid_end},
    {"ElderlyRecipientContributionRatio", &ElderlyCertificate::contribution_ratio},
};

inline constexpr Field<LimitCertificate> limit_fields[] = {
    {"LimitApplicationCertificateClassification", &LimitCertificate::classification},
    {"LimitApplicationCertificateClassificationFlag", &LimitCertificate::classification_flag},
    {"LimitApplicationCertificateDate", &LimitCertificate::date},
    {"LimitApplicationCertificateValidStartDate", &LimitCertificate::valid_start},
    {"LimitApplicationCertificateValidEndDate", &LimitCertificate::valid_end},
    {"LimitApplicationCertificateLongTermDate", &LimitCertificate::long_term_date},
};

inline constexpr Field<SpecificDiseaseCertificate> specific_disease_fields[] = {
    {"SpecificDiseasesDiseaseCategory", &SpecificDiseaseCertificate::disease_category},
    {"SpecificDiseasesCertificateDate", &SpecificDiseaseCertificate::certificate_date},
    {"SpecificDiseasesValidStartDate", &SpecificDiseaseCertificate::valid_start},
    {"SpecificDiseasesValidEndDate", &SpecificDiseaseCertificate::valid_end},
    {"SpecificDiseasesSelfPay", &SpecificDiseaseCertificate::self_pay},
};

inline constexpr Field<MedicalTicket> medical_ticket_fields[] = {
    {"TicketType", &MedicalTicket::ticket_type},
    {"MedicalTicketValidDate", &MedicalTicket::valid_date},
    {"MedicalTicketExpirationDate", &MedicalTicket::expiration_date},
    {"IssueNumber", &MedicalTicket::issue_number},
    {"MedicalTreatmentMonth", &MedicalTicket::treatment_month},
    {"DesignatedMedicalInstitutionCode", &MedicalTicket::designated_institution_code},
    {"DesignatedMedicalInstitutionFlag", &MedicalTicket::designated_institution_flag},
    {"DesignatedMedicalInstitutionName", &MedicalTicket::designated_institution_name},
    {"PrescriptionIssuerMedicalInstitutionCode", &MedicalTicket::prescription_issuer_code},
    {"PrescriptionIssuerMedicalInstitutionName", &MedicalTicket::prescription_issuer_name},
    {"InjuryName1", &MedicalTicket::injury_name1},
    {"InjuryName2", &MedicalTicket::injury_name2},
    {"InjuryName3", &MedicalTicket::injury_name3},
    {"MedicalTreatmentType", &MedicalTicket::treatment_type},
    {"SelfPayAmount", &MedicalTicket::self_pay_amount},
    {"DistrictContactName", &MedicalTicket::district_contact_name},
    {"HandlingContactName", &MedicalTicket::handling_contact_name},
    {"SingleOrCombinedUse", &MedicalTicket::single_or_combined_use},
    {"StatusOfSocialInsurance", &MedicalTicket::status_of_social_insurance},
    {"ConsistencyFlag", &MedicalTicket::consistency_flag},
    {"StatusOfInfecton", &MedicalTicket::status_of_infection},  // spelled so in both public sources
    {"StatusOfElderlyMedicalCare", &MedicalTicket::status_of_elderly_medical_care},
    {"StatusOfPrefecturalExpenses", &MedicalTicket::status_of_prefectural_expenses},
    {"Remarks1", &MedicalTicket::remarks1},
    {"Remarks2", &MedicalTicket::remarks2},
    {"Remarks3", &MedicalTicket::remarks3},
};

// Bulk answers. Step 2's header as a public reception-side reader of OQSmuquc02res lists it (ReceptionNumber
// after ArbitraryFileIdentifier, the three counts before CharacterCodeIdentifier; no ReferenceClassification).
// Step 1's header: MODELED on step 2's, with ReceptionDateTime after ReceptionNumber and no counts.
inline constexpr Field<AnswerHeader> bulk_acceptance_header_fields[] = {
    {"ProcessExecutionTime", &AnswerHeader::process_execution_time},
    {"QualificationConfirmationDate", &AnswerHeader::qualification_confirmation_date},
    {"MedicalInstitutionCode", &AnswerHeader::medical_institution_code},
    {"ArbitraryFileIdentifier", &AnswerHeader::arbitrary_file_identifier},
    {name::ReceptionNumber, &AnswerHeader::reception_number},
    {"ReceptionDateTime", &AnswerHeader::reception_date_time},
    {name::SegmentOfResult, &AnswerHeader::segment_of_result},
    {name::ErrorCode, &AnswerHeader::error_code},
    {name::ErrorMessage, &AnswerHeader::error_message},
    {name::CharacterCodeIdentifier, &AnswerHeader::character_code_identifier},
};
inline constexpr Field<AnswerHeader> bulk_result_header_fields[] = {
    {"ProcessExecutionTime", &AnswerHeader::process_execution_time},
    {"QualificationConfirmationDate", &AnswerHeader::qualification_confirmation_date},
    {"MedicalInstitutionCode", &AnswerHeader::medical_institution_code},
    {"ArbitraryFileIdentifier", &AnswerHeader::arbitrary_file_identifier},
    {name::ReceptionNumber, &AnswerHeader::reception_number},
    {name::SegmentOfResult, &AnswerHeader::segment_of_result},
    {name::ErrorCode, &AnswerHeader::error_code},
    {name::ErrorMessage, &AnswerHeader::error_message},
    {"NumberOfProcessingResult", &AnswerHeader::number_of_processing_result},
    {"NumberOfNormalProcessing", &AnswerHeader::number_of_normal_processing},
    {"NumberOfError", &AnswerHeader::number_of_error},
    {name::CharacterCodeIdentifier, &AnswerHeader::character_code_identifier},
};
// Step 1's body (MODELED: a public reader of it takes these three from the acceptance).
inline constexpr Field<BulkAnswer> bulk_acceptance_body_fields[] = {
    {"ProcessingResultStatus", &BulkAnswer::processing_result_status},
    {"ProcessingResultCode", &BulkAnswer::processing_result_code},
    {"ProcessingResultMessage", &BulkAnswer::processing_result_message},
};
// A BulkConfirmUnit's values after its search block (then its qualifications, then ReferenceNumber).
inline constexpr Field<BulkUnit> bulk_unit_fields[] = {
    {"ProcessingResultStatus", &BulkUnit::processing_result_status},
    {"ProcessingResultCode", &BulkUnit::processing_result_code},
    {"ProcessingResultMessage", &BulkUnit::processing_result_message},
    {"QualificationValidity", &BulkUnit::qualification_validity},
};

// The range families' QualificationConfirmSearchInfo, as a public reception writes it (one pair of dates,
// or the month; then the flag).
inline constexpr Field<RangeSearch> range_search_fields[] = {
    {"MedicalTreatmentMonth", &RangeSearch::medical_treatment_month},
    {"ConsentDateFrom", &RangeSearch::consent_date_from},
    {"ConsentDateTo", &RangeSearch::consent_date_to},
    {"ExaminationDateFrom", &RangeSearch::examination_date_from},
    {"ExaminationDateTo", &RangeSearch::examination_date_to},
    {"MedicalTreatmentFlag", &RangeSearch::medical_treatment_flag},
};

// 照会番号 registration (MODELED children of ReferenceNumberRegistrationInfo: the search's, and ReferenceNumber
// before ArbitraryIdentifier), and its outcome's values after the echoed block.
inline constexpr Field<ReferenceRegistration> reference_registration_fields[] = {
    {"InsurerNumber", &ReferenceRegistration::insurer_number},
    {"InsuredCardSymbol", &ReferenceRegistration::insured_card_symbol},
    {"InsuredIdentificationNumber", &ReferenceRegistration::insured_identification_number},
    {"InsuredBranchNumber", &ReferenceRegistration::insured_branch_number},
    {"Birthdate", &ReferenceRegistration::birthdate},
    {name::ReferenceNumber, &ReferenceRegistration::reference_number},
    {"ArbitraryIdentifier", &ReferenceRegistration::arbitrary_identifier},
};
inline constexpr Field<ReferenceOutcome> reference_outcome_fields[] = {
    {"ProcessingResultStatus", &ReferenceOutcome::processing_result_status},
    {"ProcessingResultCode", &ReferenceOutcome::processing_result_code},
    {"ProcessingResultMessage", &ReferenceOutcome::processing_result_message},
};
inline constexpr char ReferenceNumberRegistrationInfo[] = "ReferenceNumberRegistrationInfo";
inline constexpr char ReferenceNumberRegistrationUnit[] = "ReferenceNumberRegistrationUnit";  // MODELED: a bulk registration's unit

// Step 2's request body, as a public reception writes it (its header: MedicalInstitutionCode alone).
inline constexpr Field<BulkResultRequest> bulk_result_request_fields[] = {
    {name::ReceptionNumber, &BulkResultRequest::reception_number},
};

// The viewing requests, as a public reception writes them: the header with the card's own names, then the body.
inline constexpr Field<ViewingRequest> viewing_header_fields[] = {
    {"MedicalInstitutionCode", &ViewingRequest::medical_institution_code},
    {"InsurerNumber", &ViewingRequest::insurer_number},
    {"InsuranceCardSymbol", &ViewingRequest::insurance_card_symbol},
    {"InsuredPersonIdentificationNumber", &ViewingRequest::insured_person_identification_number},
    {"BranchNumber", &ViewingRequest::branch_number},
    {"ArbitraryFileIdentifier", &ViewingRequest::arbitrary_file_identifier},
    {name::CharacterCodeIdentifier, &ViewingRequest::character_code_identifier},  // MODELED: optional, as in the 資格確認 requests
};
inline constexpr Field<ViewingRequest> viewing_body_fields[] = {
    {"StartDate", &ViewingRequest::start_date},
    {"EndDate", &ViewingRequest::end_date},
    {"FileCategory", &ViewingRequest::file_category},
    {"PrDiInfClassification", &ViewingRequest::pr_di_inf_classification},
    {"MedicalTreatmentFlag", &ViewingRequest::medical_treatment_flag},
};

// The viewing answers. Header: MODELED on the 資格確認 answers' (no ReferenceClassification), with ResultCode
// and MessageContents (public readers look for both) before CharacterCodeIdentifier, then QuaInf (a public
// reader takes Name, KanaName and Birth from /XmlMsg/MessageHeader/QuaInf).
inline constexpr Field<AnswerHeader> viewing_answer_header_fields[] = {
    {"ProcessExecutionTime", &AnswerHeader::process_execution_time},
    {"MedicalInstitutionCode", &AnswerHeader::medical_institution_code},
    {"ArbitraryFileIdentifier", &AnswerHeader::arbitrary_file_identifier},
    {name::SegmentOfResult, &AnswerHeader::segment_of_result},
    {name::ErrorCode, &AnswerHeader::error_code},
    {name::ErrorMessage, &AnswerHeader::error_message},
};
inline constexpr Field<ViewingAnswer> viewing_result_fields[] = {
    {"ResultCode", &ViewingAnswer::result_code},
    {"MessageContents", &ViewingAnswer::message_contents},
};
inline constexpr Field<ViewingAnswer> viewing_person_fields[] = {  // QuaInf
    {"Name", &ViewingAnswer::name},
    {"KanaName", &ViewingAnswer::kana_name},
    {"Birth", &ViewingAnswer::birth},
    {"Sex", &ViewingAnswer::sex},
};
// 薬剤情報: MeTrMonthInf / DiDateInfs / DiDateInf / DrugInfs / DrugInf, the element names and the order a public
// reader of them lists (the values MODELED from the dataset's dispensations).
inline constexpr Field<DrugMonth> drug_month_fields[] = {
    {"DiOrg", &DrugMonth::origin},           {"MeTrDiHCd", &DrugMonth::dispenser_code}, {"PrlsHCd", &DrugMonth::prescriber_code},
    {"MeTrDiHNm", &DrugMonth::dispenser_name}, {"MeTrMonth", &DrugMonth::month},        {"PrlsHNm", &DrugMonth::prescriber_name},
    {"PrIsOrg", &DrugMonth::prescriber_origin}, {"InOut", &DrugMonth::in_out},
};
inline constexpr Field<DrugDay> drug_day_fields[] = {
    {"DiDate", &DrugDay::dispensed},
    {"PrDate", &DrugDay::prescribed},
};
inline constexpr Field<DrugLine> drug_line_fields[] = {
    {"DrugC", &DrugLine::code},     {"Qua1", &DrugLine::quantity},      {"UsageN", &DrugLine::usage}, {"Times", &DrugLine::times},
    {"IngreN", &DrugLine::ingredient}, {"MeTrIdCl", &DrugLine::usage_class}, {"Unit", &DrugLine::unit},   {"DrugN", &DrugLine::name},
};
// 特定健診情報: MODELED (the real answer is HL7 CDA or PDF; a public reader keeps these five per item).
inline constexpr Field<CheckupItem> checkup_item_fields[] = {
    {"EffectiveTime", &CheckupItem::effective_time}, {"ItemCode", &CheckupItem::item_code}, {"ItemName", &CheckupItem::item_name},
    {"DataValueName", &CheckupItem::value},          {"Unit", &CheckupItem::unit},
};

}  // namespace mynasim::onshi::xmlmsg
