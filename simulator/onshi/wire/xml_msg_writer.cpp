#include "xml_msg_writer.hpp"


#include "onshi/wire/charset.hpp"
#include "onshi/wire/xml_msg_fields.hpp"
#include "onshi/wire/xml_text.hpp"
#include "onshi/wire/xml_writer.hpp"

namespace mynasim::onshi::xmlmsg {

namespace {

// A value; an absent (empty) one as an empty tag, `<Address />`.
void value(XmlWriter& out, std::string_view name, const std::string& text) {
    if (text.empty()) out.empty(name);
    else out.element(name, text);
}

template <class Record, std::size_t N>
void write_fields(XmlWriter& out, const Record& record, const Field<Record> (&fields)[N]) {
    for (const auto& field : fields) value(out, field.name, record.*field.member);
}

// A group of values: its children when any is set, else an empty tag.
template <class Record, std::size_t N>
void write_group(XmlWriter& out, std::string_view group, const Record& record, const Field<Record> (&fields)[N], bool present) {
    out.open(group);
    if (present) write_fields(out, record, fields);
    out.close();
}

void write_qualification(XmlWriter& out, const Qualification& q) {
    out.open(name::ResultOfQualificationConfirmation);
    write_fields(out, q, qualification_fields);
    write_group(out, name::ElderlyRecipientCertificateInfo, q.elderly, elderly_fields, !q.elderly.empty());
    write_fields(out, q, limit_consent_fields);
    write_group(out, name::LimitApplicationCertificateRelatedInfo, q.limit, limit_fields, !q.limit.empty());
    write_fields(out, q, specific_diseases_consent_fields);
    out.open(name::SpecificDiseasesCertificateList);
    for (const auto& certificate : q.specific_diseases)
        write_group(out, name::SpecificDiseasesCertificateInfo, certificate, specific_disease_fields, true);
    out.close();
    out.open(name::PublicExpenseResultList);
    for (const auto& ticket : q.medical_tickets) write_group(out, name::MedicalTicketInfo, ticket, medical_ticket_fields, true);
    out.close();
    for (const auto& category : viewing_consents) {
        const ViewingConsent& consent = q.*category.member;
        value(out, category.flag, consent.flag);
        value(out, category.time, consent.time);
        value(out, category.available_time, consent.available_time);
    }
    out.close();
}

// The document in `encoding`: written in UTF-8 under the declaration of `encoding`, then converted.
std::string finish(XmlWriter& out, Encoding encoding) {
    std::string text = out.finish();
    if (encoding == Encoding::ShiftJis) return utf8_to_shift_jis_replacing(text);
    return text;  // moved, not copied (a conditional expression would copy it)
}

XmlWriter start(Encoding encoding) {
    static const std::string utf8 = declaration(Encoding::Utf8), shift_jis = declaration(Encoding::ShiftJis);
    return XmlWriter(name::XmlMsg, encoding == Encoding::ShiftJis ? shift_jis : utf8);
}

template <std::size_t N>
void write_header(XmlWriter& out, const AnswerHeader& header, const Field<AnswerHeader> (&fields)[N]) {
    out.open(name::MessageHeader);
    const bool with_error = header.segment_of_result != "1";
    for (const auto& field : fields) {
        const bool is_error_field = field.name == name::ErrorCode || field.name == name::ErrorMessage;
        if (!is_error_field || with_error) value(out, field.name, header.*field.member);
    }
    out.close();
}

// A request's search block: every value, an absent one as an empty tag, but for a coded value: an absent flag
// is left out (an empty one would be a bad code; absent reads as 0).
void write_request_search(XmlWriter& out, const SearchInfo& search) {
    out.open(name::QualificationConfirmSearchInfo);
    for (const auto& field : search_info_fields)
        if (field.member != &SearchInfo::limit_consent || !search.limit_consent.empty()) value(out, field.name, search.*field.member);
    out.close();
}

void write_request_header(XmlWriter& out, const RequestHeader& header) {
    out.open(name::MessageHeader);
    for (const auto& field : request_header_fields) {
        const std::string& value = header.*field.member;
        // Optional header values are left out, not sent empty: the date means "not today", the charset is ours.
        const bool optional = field.name == "QualificationConfirmationDate" || field.name == name::CharacterCodeIdentifier;
        if (!optional || !value.empty()) out.element(field.name, value);  // (a required value is sent even when empty)
    }
    out.close();
}

}  // namespace

std::string declaration(Encoding encoding) {
    return std::string("<?xml version=\"1.0\" encoding=\"") + (encoding == Encoding::ShiftJis ? "Shift_JIS" : "UTF-8") +
           "\" standalone=\"no\"?>\n";
}

std::string write_answer(const Answer& answer, Encoding encoding) {
    XmlWriter out = start(encoding);
    write_header(out, answer.header, answer_header_fields);
    out.open(name::MessageBody);
    const AnswerBody& body = answer.body;
    if (answer.header.segment_of_result == "1") {
        if (body.search) {
            out.open(name::QualificationConfirmSearchInfo);
            write_fields(out, *body.search, search_info_fields);
            out.close();
        }
        write_fields(out, body, answer_body_fields);
        out.open(name::ResultList);
        for (const auto& q : body.results) write_qualification(out, q);
        out.close();
        value(out, name::ReferenceNumber, body.reference_number);
    }
    out.close();
    return finish(out, encoding);
}

std::string write_request(const SingleRequest& request, Encoding encoding) {
    XmlWriter out = start(encoding);
    write_request_header(out, request.header);
    out.open(name::MessageBody);
    write_request_search(out, request.search);
    out.close();
    return finish(out, encoding);
}

std::string write_reference_request(const ReferenceRequest& request, Encoding encoding) {
    XmlWriter out = start(encoding);
    write_request_header(out, request.header);
    out.open(name::MessageBody).open(ReferenceNumberRegistrationInfo);
    write_fields(out, request.registration, reference_registration_fields);
    out.close().close();
    return finish(out, encoding);
}

std::string write_reference_answer(const ReferenceAnswer& answer, Encoding encoding) {
    XmlWriter out = start(encoding);
    write_header(out, answer.header, answer_header_fields);
    out.open(name::MessageBody);
    if (answer.header.segment_of_result == "1") {
        out.open(ReferenceNumberRegistrationInfo);
        write_fields(out, answer.outcome.registration, reference_registration_fields);
        out.close();
        write_fields(out, answer.outcome, reference_outcome_fields);
    }
    out.close();
    return finish(out, encoding);
}

std::string write_viewing_request(const ViewingRequest& request, Encoding encoding) {
    XmlWriter out = start(encoding);
    out.open(name::MessageHeader);
    for (const auto& field : viewing_header_fields)  // the symbol may be empty (sent as an empty tag); the charset is ours
        if (field.name != name::CharacterCodeIdentifier || !request.character_code_identifier.empty())
            out.element(field.name, request.*field.member);
    out.close().open(name::MessageBody);
    for (const auto& field : viewing_body_fields)
        if (!(request.*field.member).empty()) out.element(field.name, request.*field.member);
    out.close();
    return finish(out, encoding);
}

std::string write_viewing_answer(const ViewingAnswer& answer, bool medications, Encoding encoding) {
    XmlWriter out = start(encoding);
    out.open(name::MessageHeader);
    const bool with_error = answer.header.segment_of_result != "1";
    for (const auto& field : viewing_answer_header_fields) {
        const bool is_error_field = field.name == name::ErrorCode || field.name == name::ErrorMessage;
        if (!is_error_field || with_error) value(out, field.name, answer.header.*field.member);
    }
    if (!with_error) write_fields(out, answer, viewing_result_fields);
    value(out, name::CharacterCodeIdentifier, answer.header.character_code_identifier);
    if (!with_error) write_group(out, "QuaInf", answer, viewing_person_fields, answer.result_code == "1");
    out.close().open(name::MessageBody);
    if (!with_error && answer.result_code == "1") {
        if (medications) {
            for (const auto& month : answer.months) {
                out.open("MeTrMonthInf");
                write_fields(out, month, drug_month_fields);
                out.open("DiDateInfs");
                for (const auto& day : month.days) {
                    out.open("DiDateInf");
                    write_fields(out, day, drug_day_fields);
                    out.open("DrugInfs");
                    for (const auto& drug : day.drugs) write_group(out, "DrugInf", drug, drug_line_fields, true);
                    out.close().close();
                }
                out.close().close();
            }
        } else {
            for (const auto& item : answer.checkups) write_group(out, "SpecificHealthCheckupInfo", item, checkup_item_fields, true);
        }
    }
    out.close();
    return finish(out, encoding);
}

std::string write_bulk_request(const BulkRequest& request, bool range, Encoding encoding) {
    XmlWriter out = start(encoding);
    write_request_header(out, request.header);
    out.open(name::MessageBody);
    for (const auto& registration : request.registrations) {
        out.open(ReferenceNumberRegistrationInfo);
        write_fields(out, registration, reference_registration_fields);
        out.close();
    }
    if (range) {
        out.open(name::QualificationConfirmSearchInfo);
        for (const auto& field : range_search_fields)  // only the values this search uses
            if (!(request.range.*field.member).empty()) out.element(field.name, request.range.*field.member);
        out.close();
    } else {
        for (const auto& search : request.searches) write_request_search(out, search);
    }
    out.close();
    return finish(out, encoding);
}

std::string write_bulk_result_request(const BulkResultRequest& request, Encoding encoding) {
    XmlWriter out = start(encoding);
    out.open(name::MessageHeader).element("MedicalInstitutionCode", request.header.medical_institution_code);
    if (!request.header.arbitrary_file_identifier.empty()) out.element("ArbitraryFileIdentifier", request.header.arbitrary_file_identifier);
    out.close();
    out.open(name::MessageBody);
    write_fields(out, request, bulk_result_request_fields);
    out.close();
    return finish(out, encoding);
}

std::string write_bulk_acceptance(const BulkAnswer& answer, Encoding encoding) {
    XmlWriter out = start(encoding);
    write_header(out, answer.header, bulk_acceptance_header_fields);
    out.open(name::MessageBody);
    if (answer.header.segment_of_result == "1") write_fields(out, answer, bulk_acceptance_body_fields);
    out.close();
    return finish(out, encoding);
}

std::string write_bulk_result(const BulkAnswer& answer, Encoding encoding) {
    XmlWriter out = start(encoding);
    write_header(out, answer.header, bulk_result_header_fields);
    out.open(name::MessageBody);
    if (answer.header.segment_of_result == "1")
        for (const auto& unit : answer.units) {
            out.open(name::BulkConfirmUnit).open(name::QualificationConfirmSearchInfo);
            write_fields(out, unit.search, search_info_fields);
            out.close();
            write_fields(out, unit, bulk_unit_fields);
            for (const auto& q : unit.results) write_qualification(out, q);
            value(out, name::ReferenceNumber, unit.reference_number);
            out.close();
        }
    if (answer.header.segment_of_result == "1")
        for (const auto& registration : answer.registrations) {
            out.open(ReferenceNumberRegistrationUnit).open(ReferenceNumberRegistrationInfo);
            write_fields(out, registration.registration, reference_registration_fields);
            out.close();
            write_fields(out, registration, reference_outcome_fields);
            out.close();
        }
    out.close();
    return finish(out, encoding);
}

}  // namespace mynasim::onshi::xmlmsg
