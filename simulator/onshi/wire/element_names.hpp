#pragma once
// The XML element names of the HTTP API's requests and of its viewing and claim answers (docs/onshi-api.md),
// spelled once for the mock and the reference client. XmlMsg's names are in xml_msg_fields.hpp. Each is its own name, as a C string: pugixml reads with it,
// XmlWriter writes with it.
namespace mynasim::onshi::element {

// Roots: requests and their answers.
inline constexpr char ChallengeResponse[] = "ChallengeResponse";
inline constexpr char QualificationConfirmationRequest[] = "QualificationConfirmationRequest";
inline constexpr char PharmaceuticalInformationRequest[] = "PharmaceuticalInformationRequest";
inline constexpr char PharmaceuticalInformationResponse[] = "PharmaceuticalInformationResponse";
inline constexpr char SpecificHealthCheckupRequest[] = "SpecificHealthCheckupRequest";
inline constexpr char SpecificHealthCheckupResponse[] = "SpecificHealthCheckupResponse";
inline constexpr char ClaimTransferRequest[] = "ClaimTransferRequest";
inline constexpr char ClaimTransferResponse[] = "ClaimTransferResponse";

// What every request and answer may carry.
inline constexpr char ArbitraryFileIdentifier[] = "ArbitraryFileIdentifier";
inline constexpr char CharacterCodeIdentifier[] = "CharacterCodeIdentifier";
inline constexpr char SegmentOfResult[] = "SegmentOfResult";
inline constexpr char ProcessingResultStatus[] = "ProcessingResultStatus";
inline constexpr char ErrorCode[] = "ErrorCode";
inline constexpr char ErrorMessage[] = "ErrorMessage";
inline constexpr char ErrorDetail[] = "ErrorDetail";

// The challenge.
inline constexpr char Challenge[] = "Challenge";
inline constexpr char ExpiresAt[] = "ExpiresAt";

// A confirmation's request.
inline constexpr char Mode[] = "Mode";
inline constexpr char QualificationConfirmationDate[] = "QualificationConfirmationDate";
inline constexpr char Certificate[] = "Certificate";
inline constexpr char Signature[] = "Signature";
inline constexpr char FaceResult[] = "FaceResult";
inline constexpr char InstitutionAuthenticated[] = "InstitutionAuthenticated";
inline constexpr char InsurerNumber[] = "InsurerNumber";
inline constexpr char InsuredCardSymbol[] = "InsuredCardSymbol";
inline constexpr char InsuredIdentificationNumber[] = "InsuredIdentificationNumber";
inline constexpr char InsuredBranchNumber[] = "InsuredBranchNumber";
inline constexpr char Birthdate[] = "Birthdate";

// 薬剤情報 and 特定健診情報 (by the visit a confirmation answer named in X-Mynasim-Confirmation-Id).
inline constexpr char ConfirmationId[] = "ConfirmationId";
inline constexpr char PharmaceuticalList[] = "PharmaceuticalList";
inline constexpr char Pharmaceutical[] = "Pharmaceutical";
inline constexpr char DispensingDate[] = "DispensingDate";
inline constexpr char DrugName[] = "DrugName";
inline constexpr char Quantity[] = "Quantity";
inline constexpr char Institution[] = "Institution";
inline constexpr char CheckupResultList[] = "CheckupResultList";
inline constexpr char CheckupResult[] = "CheckupResult";
inline constexpr char ExaminationDate[] = "ExaminationDate";
inline constexpr char Item[] = "Item";
inline constexpr char Value[] = "Value";
inline constexpr char Unit[] = "Unit";

// レセプト振替.
inline constexpr char ClaimId[] = "ClaimId";
inline constexpr char CareDate[] = "CareDate";
inline constexpr char OriginalInsurerNumber[] = "OriginalInsurerNumber";
inline constexpr char TransferredInsurerNumber[] = "TransferredInsurerNumber";
inline constexpr char TransferredInsurerName[] = "TransferredInsurerName";
inline constexpr char TransferResult[] = "TransferResult";

}  // namespace mynasim::onshi::element
