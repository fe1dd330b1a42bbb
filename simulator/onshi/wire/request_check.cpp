#include "request_check.hpp"

#include <algorithm>
#include <stdexcept>

#include <pugixml.hpp>

#include "base/time.hpp"
#include "onshi/wire/charset.hpp"
#include "onshi/wire/xml_msg_fields.hpp"

namespace mynasim::onshi {

namespace {

using xmlmsg::Field;
namespace name = xmlmsg::name;

const std::vector<RequestRule> rules = {
    // The file as a whole: answered by a .err file.
    {"file-name", FindingLevel::Unreadable, "malformed_request",
     "the name is OQSsiquc01req_, OQSsiimm01req_, YZKsiquc01req_, TKKsiquc01req_<id>.xml, or a bulk family's (OQSmuquc, OQSmuhvq, "
     "OQSmuonq, OQSmutic, OQSmuimm) 01req_ or 02req_<id>.xml, with a non-empty <id>"},
    {"not-a-file", FindingLevel::Unreadable, "unreadable_file", "Req holds regular files only (no symlink, FIFO, folder or device)"},
    {"empty-file", FindingLevel::Unreadable, "unreadable_file", "the file is not empty"},
    {"too-large", FindingLevel::Unreadable, "unreadable_file", "the file is at most the server's limit (1 MiB; a bulk list 16 MiB)"},
    {"nul-byte", FindingLevel::Unreadable, "unreadable_file", "the file holds no NUL byte"},
    {"encoding-unsupported", FindingLevel::Unreadable, "unsupported_charset", "the XML declaration names UTF-8 or Shift_JIS"},
    {"encoding-mismatch", FindingLevel::Unreadable, "unsupported_charset", "the bytes are in the encoding the XML declaration names"},
    {"doctype", FindingLevel::Unreadable, "unreadable_file", "no DOCTYPE (a DTD or its entity definitions are refused)"},
    {"not-well-formed", FindingLevel::Unreadable, "unreadable_file", "the file is well-formed XML"},
    {"too-deep", FindingLevel::Unreadable, "unreadable_file", "elements nest at most 16 deep"},
    // The XmlMsg: answered with SegmentOfResult 9.
    {"root", FindingLevel::Invalid, "malformed_request", "the root element is XmlMsg"},
    {"envelope", FindingLevel::Invalid, "malformed_request", "XmlMsg holds one MessageHeader, then one MessageBody"},
    {"duplicate-element", FindingLevel::Invalid, "malformed_request", "no element appears twice where one is expected"},
    {"not-a-value", FindingLevel::Invalid, "malformed_request", "an element that holds a value holds text only"},
    {"required", FindingLevel::Invalid, "malformed_request",
     "MedicalInstitutionCode; QualificationConfirmSearchInfo with InsurerNumber, InsuredIdentificationNumber, InsuredBranchNumber, Birthdate "
     "(a bulk list: one or more; a range family: its dates or month and MedicalTreatmentFlag); a step-2 request's ReceptionNumber"},
    {"too-many-persons", FindingLevel::Invalid, "too_many_persons", "a bulk list holds at most 10,000 searches"},
    {"family-search", FindingLevel::Invalid, "malformed_request",
     "a range family searches by its own fields: 訪問診療 ConsentDateFrom/To with MedicalTreatmentFlag 2; オンライン診療 ExaminationDateFrom/To "
     "or ConsentDateFrom/To with 3; 医療扶助 MedicalTreatmentMonth alone"},
    {"date-range", FindingLevel::Invalid, "malformed_request", "a range's To date is not before its From date"},
    {"reference-number", FindingLevel::Invalid, "malformed_request", "a ReferenceNumber (照会番号) is 1 to 20 printable ASCII characters without spaces"},
    {"institution-code-format", FindingLevel::Invalid, "malformed_request", "MedicalInstitutionCode is 10 digits"},
    {"institution-code", FindingLevel::Invalid, "institution_mismatch", "MedicalInstitutionCode is this terminal's institution"},
    {"date", FindingLevel::Invalid, "malformed_request", "dates are YYYYMMDD and exist (a month: YYYYMM)"},
    {"insurer-number", FindingLevel::Invalid, "malformed_request",
     "InsurerNumber is 8 characters: 8 digits, or a 6-digit 国保 number right-aligned with spaces"},
    {"branch-number", FindingLevel::Invalid, "malformed_request", "InsuredBranchNumber is 2 digits"},
    {"code-value", FindingLevel::Invalid, "malformed_request", "coded values come from their code table"},
    {"charset-code", FindingLevel::Invalid, "unsupported_charset", "CharacterCodeIdentifier, when given, names the encoding the file is in"},
    // Passes, but not as the spec says.
    {"bom", FindingLevel::Notice, "", "no byte order mark"},
    {"declaration-missing", FindingLevel::Notice, "", "the file starts with an XML declaration naming its encoding"},
    {"file-name-characters", FindingLevel::Notice, "", "the <id> of the name is printable ASCII without spaces"},
    {"unknown-element", FindingLevel::Notice, "", "only the elements of the layout"},
    {"element-order", FindingLevel::Notice, "", "elements in the layout's order"},
    {"recommended", FindingLevel::Notice, "", "ArbitraryFileIdentifier and LimitApplicationCertificateRelatedConsFlg are sent"},
    {"whitespace", FindingLevel::Notice, "", "values carry no leading or trailing spaces (InsurerNumber's padding aside)"},
    {"length", FindingLevel::Notice, "", "values fit their length (InsuredIdentificationNumber at most 20 characters)"},
};

bool is_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Length of the valid UTF-8 prefix; text.size() when all of it is UTF-8.
std::size_t utf8_valid_prefix(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t length = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (length == 0 || (length == 2 && c < 0xC2) || i + length > text.size()) return i;
        for (std::size_t k = 1; k < length; ++k)
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return i;
        i += length;
    }
    return i;
}

std::size_t characters(std::string_view utf8) {
    return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string line_and_column(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    const auto before = text.substr(0, offset);
    const std::size_t line = static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n')) + 1;
    const auto line_start = before.rfind('\n');
    const std::size_t column = characters(before.substr(line_start == std::string_view::npos ? 0 : line_start + 1)) + 1;
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

class Checker {
public:
    Checker(const CheckSettings& settings, CheckedRequest& out) : settings_(settings), out_(out) {}

    void add(std::string_view rule_id, std::string where, std::string message) {
        out_.findings.push_back(make_finding(rule_id, std::move(where), std::move(message)));
    }

    // What a record's element was in the file.
    enum class Seen : char { Absent, Value, NotAValue };

    // Reads a record's value elements by its field table: unknown, duplicate, out-of-order and non-value
    // elements are findings (a non-value is not checked further: one finding per fault).
    template <class Record, std::size_t N>
    std::vector<Seen> read_values(pugi::xml_node parent, const std::string& path, const Field<Record> (&fields)[N], Record& record) {
        std::vector<Seen> seen(N, Seen::Absent);
        std::size_t furthest = 0;
        bool order_told = false;
        for (const auto child : parent.children()) {
            if (child.type() != pugi::node_element) continue;
            const std::string_view element = child.name();
            const std::string where = path + "/" + std::string(element);
            std::size_t i = 0;
            while (i < N && element != fields[i].name) ++i;
            if (i == N) {
                add("unknown-element", where, "'" + std::string(element) + "' is not an element of " + path);
                continue;
            }
            if (seen[i] != Seen::Absent) {
                add("duplicate-element", where, "'" + std::string(element) + "' appears more than once");
                continue;
            }
            if (i < furthest && !order_told) {
                add("element-order", where, "'" + std::string(element) + "' comes after '" + std::string(fields[furthest].name) + "'");
                order_told = true;
            }
            furthest = std::max(furthest, i);
            if (child.find_child([](pugi::xml_node n) { return n.type() == pugi::node_element; })) {
                add("not-a-value", where, "'" + std::string(element) + "' holds elements where a value is expected");
                seen[i] = Seen::NotAValue;
                continue;
            }
            seen[i] = Seen::Value;
            record.*fields[i].member = child.child_value();
        }
        return seen;
    }

    template <class Record, std::size_t N>
    static Seen state(const std::vector<Seen>& seen, const Field<Record> (&fields)[N], std::string_view element) {
        for (std::size_t i = 0; i < N; ++i)
            if (element == fields[i].name) return seen[i];
        return Seen::Absent;
    }

    void require(Seen seen, const std::string& path, std::string_view element) {
        if (seen == Seen::Absent) add("required", path + "/" + std::string(element), std::string(element) + " is required");
    }

    void no_spaces(const std::string& where, const std::string& value) {
        if (!value.empty() && (value.front() == ' ' || value.back() == ' ' || value.front() == '\t' || value.back() == '\t'))
            add("whitespace", where, "'" + value + "' has leading or trailing spaces");
    }

    void date(const std::string& where, const std::string& value) {
        no_spaces(where, value);
        if (!is_compact_date(value)) add("date", where, "'" + value + "' is not a date YYYYMMDD that exists");
    }

    void code(const std::string& where, std::string_view element, const std::string& value) {
        const CodeTable* table = settings_.codes->for_element(element);
        if (table && !table->contains(value))
            add("code-value", where, "'" + value + "' is not in " + table->name + (table->id.empty() ? "" : " (" + table->id + ")") + ": " + table->listing());
    }

    const CheckSettings& settings_;
    CheckedRequest& out_;
};

// The document's bytes as UTF-8 (its encoding in `encoding`), or nullopt with the finding added.
std::optional<std::string> decode(std::string_view bytes, Checker& check, xmlmsg::Encoding& encoding) {
    static constexpr std::string_view bom = "\xEF\xBB\xBF";
    const bool has_bom = bytes.substr(0, bom.size()) == bom;
    if (has_bom) {
        check.add("bom", "file", "the file starts with a UTF-8 byte order mark");
        bytes.remove_prefix(bom.size());
    }
    const std::string declared = declared_xml_encoding(bytes);
    if (bytes.substr(0, 5) != "<?xml") check.add("declaration-missing", "line 1, column 1", "no XML declaration: read as UTF-8");
    const std::size_t utf8_end = utf8_valid_prefix(bytes);
    const bool is_utf8 = utf8_end == bytes.size();
    if (declared.empty() || declared == "UTF-8") {
        if (!is_utf8) {
            const std::size_t byte = utf8_end + 1 + (has_bom ? bom.size() : 0);  // counted in the file
            check.add("encoding-mismatch", "byte " + std::to_string(byte),
                      (declared.empty() ? std::string("no encoding is declared (so UTF-8)") : std::string("UTF-8 is declared")) +
                          " but the bytes are not UTF-8 from byte " + std::to_string(byte) +
                          (shift_jis_to_utf8(bytes) ? " (they read as Shift_JIS)" : ""));
            return std::nullopt;
        }
        encoding = xmlmsg::Encoding::Utf8;
        return std::string(bytes);
    }
    if (!is_shift_jis_name(declared)) {
        check.add("encoding-unsupported", "line 1", "the declared encoding '" + declared + "' is neither UTF-8 nor Shift_JIS");
        return std::nullopt;
    }
    const bool any_high = std::any_of(bytes.begin(), bytes.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    if (has_bom || (any_high && is_utf8)) {
        check.add("encoding-mismatch", "line 1", "Shift_JIS is declared but the bytes are UTF-8");
        return std::nullopt;
    }
    auto utf8 = shift_jis_to_utf8(bytes);
    if (!utf8) {
        check.add("encoding-mismatch", "file", "Shift_JIS is declared but the bytes are not Shift_JIS (CP932)");
        return std::nullopt;
    }
    encoding = xmlmsg::Encoding::ShiftJis;
    return utf8;
}

std::size_t depth_of(pugi::xml_node root) {
    std::size_t depth = 0, deepest = 0;
    pugi::xml_node node = root;
    while (node) {
        if (node.first_child()) {
            node = node.first_child();
            deepest = std::max(deepest, ++depth);
            continue;
        }
        while (node && !node.next_sibling()) {
            node = node.parent();
            if (depth == 0) return deepest;
            --depth;
        }
        if (node) node = node.next_sibling();
    }
    return deepest;
}

void check_insurer_number(Checker& check, const std::string& where, const std::string& value) {
    if (value.size() == 8 && is_digits(value)) {
        if (value.substr(0, 2) == "00")
            check.add("insurer-number", where,
                      "'" + value + "': a 6-digit 国保 number is padded with spaces on the left in the file interface, not zeros");
        return;
    }
    if (value.size() == 8 && value.substr(0, 2) == "  " && is_digits(value.substr(2))) return;
    if (value.size() == 6 && is_digits(value)) {
        check.add("insurer-number", where, "'" + value + "' is 6 digits: send it as 8 characters, right-aligned with 2 spaces");
        return;
    }
    check.add("insurer-number", where, "'" + value + "' is not 8 digits or 2 spaces and 6 digits");
}

// XmlMsg's two parts (either may be null, with the finding added).
std::pair<pugi::xml_node, pugi::xml_node> read_envelope(pugi::xml_node root, Checker& check) {
    const std::string root_path = std::string("/") + name::XmlMsg;
    const std::string header_path = root_path + "/" + name::MessageHeader;
    const std::string body_path = root_path + "/" + name::MessageBody;
    pugi::xml_node header, body;
    int headers = 0, bodies = 0;
    for (const auto child : root.children()) {
        if (child.type() != pugi::node_element) continue;
        const std::string_view element = child.name();
        if (element == name::MessageHeader) {
            if (++headers == 1) header = child;
            if (bodies > 0 && headers == 1) check.add("envelope", header_path, "MessageHeader comes after MessageBody");
        } else if (element == name::MessageBody) {
            if (++bodies == 1) body = child;
        } else {
            check.add("unknown-element", root_path + "/" + std::string(element), "'" + std::string(element) + "' is not an element of XmlMsg");
        }
    }
    if (headers != 1) check.add("envelope", header_path, headers ? "MessageHeader appears " + std::to_string(headers) + " times" : "MessageHeader is missing");
    if (bodies != 1) check.add("envelope", body_path, bodies ? "MessageBody appears " + std::to_string(bodies) + " times" : "MessageBody is missing");
    return {header, body};
}

void check_institution(Checker& check, const std::string& where, const std::string& code) {
    check.no_spaces(where, code);
    if (code.size() != 10 || !is_digits(code))
        check.add("institution-code-format", where, "'" + code + "' is not 10 digits");
    else if (code != check.settings_.institution_code)
        check.add("institution-code", where, "'" + code + "' is not this terminal's institution (" + check.settings_.institution_code + ")");
}

void check_charset(Checker& check, const std::string& where, const std::string& value, const CheckedRequest& out) {
    const bool is_utf8 = value == check.settings_.utf8_code, is_sjis = value == check.settings_.shift_jis_code;
    if (!is_utf8 && !is_sjis)
        check.add("code-value", where, "'" + value + "' is not " + check.settings_.utf8_code + " (UTF-8) or " + check.settings_.shift_jis_code + " (Shift_JIS)");
    else if (is_sjis != (out.encoding == xmlmsg::Encoding::ShiftJis))
        check.add("charset-code", where,
                  "'" + value + "' names " + (is_sjis ? "Shift_JIS" : "UTF-8") + " but the file is " +
                      (out.encoding == xmlmsg::Encoding::ShiftJis ? "Shift_JIS" : "UTF-8"));
}

// `file_identifier_recommended`: a step-2 bulk request is written without one by public receptions.
void check_header(pugi::xml_node header, Checker& check, const CheckedRequest& out, xmlmsg::RequestHeader& h, bool file_identifier_recommended) {
    const std::string header_path = std::string("/") + name::XmlMsg + "/" + name::MessageHeader;
    const auto seen = check.read_values(header, header_path, xmlmsg::request_header_fields, h);
    const auto state = [&](std::string_view element) { return Checker::state(seen, xmlmsg::request_header_fields, element); };
    const auto has = [&](std::string_view element) { return state(element) == Checker::Seen::Value; };
    check.require(state("MedicalInstitutionCode"), header_path, "MedicalInstitutionCode");
    if (file_identifier_recommended && state("ArbitraryFileIdentifier") == Checker::Seen::Absent)
        check.add("recommended", header_path + "/ArbitraryFileIdentifier", "ArbitraryFileIdentifier is not sent: the answer cannot be matched by it");
    if (has("MedicalInstitutionCode")) check_institution(check, header_path + "/MedicalInstitutionCode", h.medical_institution_code);
    if (has("QualificationConfirmationDate")) check.date(header_path + "/QualificationConfirmationDate", h.qualification_confirmation_date);
    if (has(name::CharacterCodeIdentifier)) check_charset(check, header_path + "/" + name::CharacterCodeIdentifier, h.character_code_identifier, out);
}

// A card's values under the 資格確認 names (a search block's, a registration's): `state` says what the file held.
template <class State>
void check_card(Checker& check, const std::string& path, State state, const std::string& insurer, const std::string& symbol,
                const std::string& number, const std::string& branch, const std::string& birth) {
    const auto has = [&](std::string_view element) { return state(element) == Checker::Seen::Value; };
    for (const char* required : {"InsurerNumber", "InsuredIdentificationNumber", "InsuredBranchNumber", "Birthdate"})
        check.require(state(required), path, required);
    if (has("InsurerNumber")) check_insurer_number(check, path + "/InsurerNumber", insurer);
    if (has("InsuredCardSymbol")) check.no_spaces(path + "/InsuredCardSymbol", symbol);
    if (has("InsuredIdentificationNumber")) {
        const std::string where = path + "/InsuredIdentificationNumber";
        check.no_spaces(where, number);
        if (number.empty()) check.add("required", where, "InsuredIdentificationNumber is empty");
        else if (characters(number) > 20) check.add("length", where, "'" + number + "' is longer than 20 characters");
    }
    if (has("InsuredBranchNumber") && (branch.size() != 2 || !is_digits(branch)))
        check.add("branch-number", path + "/InsuredBranchNumber", "'" + branch + "' is not 2 digits");
    if (has("Birthdate")) check.date(path + "/Birthdate", birth);
}

// One ReferenceNumberRegistrationInfo (OQSsiimm01req's, or one of OQSmuimm01req's list): the card, and the
// 照会番号: 1 to 20 printable ASCII characters without spaces (MODELED: the real limits are not public).
void check_registration(pugi::xml_node block, const std::string& path, Checker& check, xmlmsg::ReferenceRegistration& r) {
    const auto seen = check.read_values(block, path, xmlmsg::reference_registration_fields, r);
    const auto state = [&](std::string_view element) { return Checker::state(seen, xmlmsg::reference_registration_fields, element); };
    check_card(check, path, state, r.insurer_number, r.insured_card_symbol, r.insured_identification_number, r.insured_branch_number, r.birthdate);
    check.require(state(xmlmsg::name::ReferenceNumber), path, xmlmsg::name::ReferenceNumber);
    if (state(xmlmsg::name::ReferenceNumber) == Checker::Seen::Value) {
        const auto& number = r.reference_number;
        const bool plain = std::all_of(number.begin(), number.end(), [](char c) { return c > ' ' && c < 127; });
        if (number.empty() || number.size() > 20 || !plain)
            check.add("reference-number", path + "/ReferenceNumber", "'" + number + "' is not 1 to 20 printable ASCII characters without spaces");
    }
}

// One QualificationConfirmSearchInfo by insurance card (a single request's, or one of a bulk list's).
void check_search(pugi::xml_node search, const std::string& search_path, Checker& check, xmlmsg::SearchInfo& s) {
    const auto seen = check.read_values(search, search_path, xmlmsg::search_info_fields, s);
    const auto state = [&](std::string_view element) { return Checker::state(seen, xmlmsg::search_info_fields, element); };
    const auto has = [&](std::string_view element) { return state(element) == Checker::Seen::Value; };
    check_card(check, search_path, state, s.insurer_number, s.insured_card_symbol, s.insured_identification_number, s.insured_branch_number,
               s.birthdate);
    if (has("LimitApplicationCertificateRelatedConsFlg"))
        check.code(search_path + "/LimitApplicationCertificateRelatedConsFlg", "LimitApplicationCertificateRelatedConsFlg", s.limit_consent);
    else if (state("LimitApplicationCertificateRelatedConsFlg") == Checker::Seen::Absent)
        check.add("recommended", search_path + "/LimitApplicationCertificateRelatedConsFlg",
                  "LimitApplicationCertificateRelatedConsFlg is not sent: read as 0 (未同意)");
}

// The body's `element` blocks (QualificationConfirmSearchInfo by default; others are findings).
std::vector<pugi::xml_node> search_blocks(pugi::xml_node body, Checker& check, std::string_view element = name::QualificationConfirmSearchInfo) {
    const std::string body_path = std::string("/") + name::XmlMsg + "/" + name::MessageBody;
    std::vector<pugi::xml_node> blocks;
    for (const auto child : body.children()) {
        if (child.type() != pugi::node_element) continue;
        if (std::string_view(child.name()) == element) blocks.push_back(child);
        else check.add("unknown-element", body_path + "/" + child.name(), "'" + std::string(child.name()) + "' is not an element of MessageBody");
    }
    return blocks;
}

// A registration's body (`list`: OQSmuimm01req's, 1 to 10,000; else OQSsiimm01req's one).
void check_registrations_body(pugi::xml_node body, Checker& check, bool list, std::vector<xmlmsg::ReferenceRegistration>& registrations) {
    const std::string path = std::string("/") + name::XmlMsg + "/" + name::MessageBody + "/" + xmlmsg::ReferenceNumberRegistrationInfo;
    const auto blocks = search_blocks(body, check, xmlmsg::ReferenceNumberRegistrationInfo);
    if (blocks.empty()) check.add("required", path, std::string(xmlmsg::ReferenceNumberRegistrationInfo) + " is required");
    if (!list && blocks.size() > 1) check.add("duplicate-element", path, std::string(xmlmsg::ReferenceNumberRegistrationInfo) + " appears more than once");
    if (list && blocks.size() > check.settings_.max_bulk_searches) {
        check.add("too-many-persons", path,
                  "the list holds " + std::to_string(blocks.size()) + " registrations; at most " + std::to_string(check.settings_.max_bulk_searches));
        return;
    }
    const std::size_t count = list ? blocks.size() : std::min<std::size_t>(blocks.size(), 1);
    registrations.resize(count);
    for (std::size_t i = 0; i < count; ++i) check_registration(blocks[i], list ? path + "[" + std::to_string(i + 1) + "]" : path, check, registrations[i]);
}

const std::string& search_path() {
    static const std::string path = std::string("/") + name::XmlMsg + "/" + name::MessageBody + "/" + name::QualificationConfirmSearchInfo;
    return path;
}

void check_single_body(pugi::xml_node body, Checker& check, xmlmsg::SearchInfo& search) {
    const auto blocks = search_blocks(body, check);
    if (blocks.empty()) check.add("required", search_path(), "QualificationConfirmSearchInfo is required");
    if (blocks.size() > 1) check.add("duplicate-element", search_path(), "QualificationConfirmSearchInfo appears more than once");
    if (!blocks.empty()) check_search(blocks.front(), search_path(), check, search);
}

void check_list_body(pugi::xml_node body, Checker& check, std::vector<xmlmsg::SearchInfo>& searches) {
    const auto blocks = search_blocks(body, check);
    if (blocks.empty()) check.add("required", search_path(), "a bulk list holds at least one QualificationConfirmSearchInfo");
    if (blocks.size() > check.settings_.max_bulk_searches) {
        check.add("too-many-persons", search_path(),
                  "the list holds " + std::to_string(blocks.size()) + " searches; at most " + std::to_string(check.settings_.max_bulk_searches));
        return;
    }
    searches.resize(blocks.size());
    for (std::size_t i = 0; i < blocks.size(); ++i)
        check_search(blocks[i], search_path() + "[" + std::to_string(i + 1) + "]", check, searches[i]);
}

bool is_month(const std::string& value) { return value.size() == 6 && is_compact_date(value + "01"); }

// A range family's one search: its own fields, as its family asks (../shared/spec/oqs-files.md).
void check_range_body(pugi::xml_node body, Checker& check, BulkFamily family, xmlmsg::RangeSearch& range) {
    const auto blocks = search_blocks(body, check);
    if (blocks.empty()) {
        check.add("required", search_path(), "QualificationConfirmSearchInfo is required");
        return;
    }
    if (blocks.size() > 1) check.add("duplicate-element", search_path(), "QualificationConfirmSearchInfo appears more than once");
    const auto seen = check.read_values(blocks.front(), search_path(), xmlmsg::range_search_fields, range);
    const auto has = [&](std::string_view element) { return Checker::state(seen, xmlmsg::range_search_fields, element) == Checker::Seen::Value; };
    const auto where = [](std::string_view element) { return search_path() + "/" + std::string(element); };
    const std::string family_name(bulk_family_title(family));
    const auto pair = [&](std::string_view from, std::string_view to, const std::string& from_value, const std::string& to_value) {
        if (!has(from) || !has(to)) {
            check.add("required", where(has(from) ? to : from), family_name + ": " + std::string(from) + " and " + std::string(to) + " are required");
            return;
        }
        check.date(where(from), from_value);
        check.date(where(to), to_value);
        if (is_compact_date(from_value) && is_compact_date(to_value) && to_value < from_value)
            check.add("date-range", where(to), "'" + to_value + "' is before " + std::string(from) + " '" + from_value + "'");
    };
    const auto refuse = [&](std::string_view element, const std::string& why) {
        if (has(element)) check.add("family-search", where(element), family_name + " does not search by " + std::string(element) + why);
    };
    const auto flag = [&](const char* expected) {
        if (!has("MedicalTreatmentFlag")) {
            check.add("required", where("MedicalTreatmentFlag"), family_name + ": MedicalTreatmentFlag " + expected + " is required");
        } else if (range.medical_treatment_flag != expected) {
            check.code(where("MedicalTreatmentFlag"), "MedicalTreatmentFlag", range.medical_treatment_flag);
            check.add("family-search", where("MedicalTreatmentFlag"),
                      "'" + range.medical_treatment_flag + "': " + family_name + " is asked with MedicalTreatmentFlag " + expected);
        }
    };
    switch (family) {
        case BulkFamily::HomeVisit:
            pair("ConsentDateFrom", "ConsentDateTo", range.consent_date_from, range.consent_date_to);
            refuse("ExaminationDateFrom", "");
            refuse("ExaminationDateTo", "");
            refuse("MedicalTreatmentMonth", "");
            flag("2");
            break;
        case BulkFamily::Online: {
            const bool by_examination = has("ExaminationDateFrom") || has("ExaminationDateTo");
            const bool by_consent = has("ConsentDateFrom") || has("ConsentDateTo");
            if (by_examination && by_consent)
                check.add("family-search", where("ConsentDateFrom"), family_name + " searches by examination dates or by consent dates, not both");
            else if (by_consent) pair("ConsentDateFrom", "ConsentDateTo", range.consent_date_from, range.consent_date_to);
            else pair("ExaminationDateFrom", "ExaminationDateTo", range.examination_date_from, range.examination_date_to);
            refuse("MedicalTreatmentMonth", "");
            flag("3");
            break;
        }
        case BulkFamily::MedicalAid:
            if (!has("MedicalTreatmentMonth")) check.add("required", where("MedicalTreatmentMonth"), family_name + ": MedicalTreatmentMonth is required");
            else if (!is_month(range.medical_treatment_month))
                check.add("date", where("MedicalTreatmentMonth"), "'" + range.medical_treatment_month + "' is not a month YYYYMM");
            for (const char* other : {"ConsentDateFrom", "ConsentDateTo", "ExaminationDateFrom", "ExaminationDateTo", "MedicalTreatmentFlag"}) refuse(other, "");
            break;
        case BulkFamily::List:
        case BulkFamily::ReferenceNumbers:
            break;
    }
}

void check_result_body(pugi::xml_node body, Checker& check, xmlmsg::BulkResultRequest& request) {
    const std::string body_path = std::string("/") + name::XmlMsg + "/" + name::MessageBody;
    const auto seen = check.read_values(body, body_path, xmlmsg::bulk_result_request_fields, request);
    const auto state = Checker::state(seen, xmlmsg::bulk_result_request_fields, name::ReceptionNumber);
    check.require(state, body_path, name::ReceptionNumber);
    const std::string where = body_path + "/" + name::ReceptionNumber;
    if (state == Checker::Seen::Value) {
        check.no_spaces(where, request.reception_number);
        if (request.reception_number.empty()) check.add("required", where, "ReceptionNumber is empty");
    }
}

// YZKsiquc01req / TKKsiquc01req: the card under its own names in the header; the body's period (薬剤情報 only),
// file category, classification and the visit's flag.
void check_viewing(pugi::xml_node header, pugi::xml_node body, Checker& check, ViewingKind kind, CheckedRequest& out) {
    const std::string header_path = std::string("/") + name::XmlMsg + "/" + name::MessageHeader;
    const std::string body_path = std::string("/") + name::XmlMsg + "/" + name::MessageBody;
    xmlmsg::ViewingRequest request;
    if (header) {
        const auto seen = check.read_values(header, header_path, xmlmsg::viewing_header_fields, request);
        const auto state = [&](std::string_view element) { return Checker::state(seen, xmlmsg::viewing_header_fields, element); };
        const auto has = [&](std::string_view element) { return state(element) == Checker::Seen::Value; };
        for (const char* required : {"MedicalInstitutionCode", "InsurerNumber", "InsuredPersonIdentificationNumber", "BranchNumber"})
            check.require(state(required), header_path, required);
        if (state("ArbitraryFileIdentifier") == Checker::Seen::Absent)
            check.add("recommended", header_path + "/ArbitraryFileIdentifier", "ArbitraryFileIdentifier is not sent: the answer cannot be matched by it");
        if (has("MedicalInstitutionCode")) check_institution(check, header_path + "/MedicalInstitutionCode", request.medical_institution_code);
        if (has("InsurerNumber")) check_insurer_number(check, header_path + "/InsurerNumber", request.insurer_number);
        if (has("InsuranceCardSymbol")) check.no_spaces(header_path + "/InsuranceCardSymbol", request.insurance_card_symbol);
        if (has("InsuredPersonIdentificationNumber")) {
            const std::string where = header_path + "/InsuredPersonIdentificationNumber";
            check.no_spaces(where, request.insured_person_identification_number);
            if (request.insured_person_identification_number.empty()) check.add("required", where, "InsuredPersonIdentificationNumber is empty");
        }
        if (has("BranchNumber") && (request.branch_number.size() != 2 || !is_digits(request.branch_number)))
            check.add("branch-number", header_path + "/BranchNumber", "'" + request.branch_number + "' is not 2 digits");
        if (has(name::CharacterCodeIdentifier)) check_charset(check, header_path + "/" + name::CharacterCodeIdentifier, request.character_code_identifier, out);
    }
    if (body) {
        const auto seen = check.read_values(body, body_path, xmlmsg::viewing_body_fields, request);
        const auto state = [&](std::string_view element) { return Checker::state(seen, xmlmsg::viewing_body_fields, element); };
        const auto has = [&](std::string_view element) { return state(element) == Checker::Seen::Value; };
        for (const char* required : {"FileCategory", "PrDiInfClassification", "MedicalTreatmentFlag"}) check.require(state(required), body_path, required);
        const std::pair<const char*, const std::string*> coded[] = {{"FileCategory", &request.file_category},
                                                                    {"PrDiInfClassification", &request.pr_di_inf_classification},
                                                                    {"MedicalTreatmentFlag", &request.medical_treatment_flag}};
        for (const auto& [element, value] : coded)
            if (has(element)) check.code(body_path + "/" + element, element, *value);
        for (const char* day : {"StartDate", "EndDate"}) {
            if (!has(day)) continue;
            if (kind == ViewingKind::Checkups)  // the period is 薬剤情報's: a public reception sends none for 特定健診情報
                check.add("unknown-element", body_path + "/" + day, std::string(day) + " is not an element of a 特定健診情報 request");
            else
                check.date(body_path + "/" + day, day[0] == 'S' ? request.start_date : request.end_date);
        }
        if (kind == ViewingKind::Medications && is_compact_date(request.start_date) && is_compact_date(request.end_date) &&
            request.end_date < request.start_date)
            check.add("date-range", body_path + "/EndDate", "'" + request.end_date + "' is before StartDate '" + request.start_date + "'");
    }
    out.viewing = std::move(request);
}

void check_request(pugi::xml_node root, Checker& check, CheckedRequest& out, RequestKind kind, BulkFamily family, ViewingKind viewing) {
    const auto [header, body] = read_envelope(root, check);
    if (kind == RequestKind::Viewing) return check_viewing(header, body, check, viewing, out);
    xmlmsg::RequestHeader h;
    if (header) check_header(header, check, out, h, kind != RequestKind::BulkResult);
    switch (kind) {
        case RequestKind::Single: {
            xmlmsg::SingleRequest request{h, {}};
            if (body) check_single_body(body, check, request.search);
            out.request = std::move(request);
            break;
        }
        case RequestKind::BulkSubmission: {
            xmlmsg::BulkRequest request{h, {}, {}, {}};
            if (body && family == BulkFamily::List) check_list_body(body, check, request.searches);
            else if (body && family == BulkFamily::ReferenceNumbers) check_registrations_body(body, check, true, request.registrations);
            else if (body) check_range_body(body, check, family, request.range);
            out.bulk = std::move(request);
            break;
        }
        case RequestKind::BulkResult: {
            xmlmsg::BulkResultRequest request{h, {}};
            if (body) check_result_body(body, check, request);
            out.bulk_result = std::move(request);
            break;
        }
        case RequestKind::Viewing:
            break;
        case RequestKind::ReferenceRegistration: {
            xmlmsg::ReferenceRequest request{h, {}};
            std::vector<xmlmsg::ReferenceRegistration> one;
            if (body) check_registrations_body(body, check, false, one);
            if (!one.empty()) request.registration = std::move(one.front());
            out.reference = std::move(request);
            break;
        }
    }
}

}  // namespace

const std::vector<RequestRule>& request_rules() { return rules; }

const RequestRule& request_rule(std::string_view id) {
    for (const auto& rule : rules)
        if (rule.id == id) return rule;
    throw std::out_of_range("no request rule '" + std::string(id) + "'");
}

Finding make_finding(std::string_view rule_id, std::string where, std::string message) {
    const auto& rule = request_rule(rule_id);
    return Finding{std::string(rule.id), rule.level == FindingLevel::Notice ? Severity::Warning : Severity::Error, std::move(where),
                   std::move(message)};
}

bool CheckedRequest::unreadable() const {
    return std::any_of(findings.begin(), findings.end(), [](const Finding& f) {
        return f.severity == Severity::Error && request_rule(f.rule).level == FindingLevel::Unreadable;
    });
}

bool CheckedRequest::valid() const { return first_error() == nullptr; }

const Finding* CheckedRequest::first_error() const {
    for (const auto& finding : findings)
        if (finding.severity == Severity::Error) return &finding;
    return nullptr;
}

std::string describe(const Finding& finding) {
    return std::string(finding.severity == Severity::Error ? "error " : "warning ") + finding.rule + " at " + finding.where + ": " + finding.message;
}

const xmlmsg::RequestHeader* CheckedRequest::header() const {
    if (request) return &request->header;
    if (bulk) return &bulk->header;
    if (bulk_result) return &bulk_result->header;
    if (reference) return &reference->header;
    return nullptr;  // (a viewing request's header is of its own shape: see `viewing`)
}

CheckedRequest check_single_request(std::string_view bytes, const CheckSettings& settings) {
    return check_request(bytes, settings, RequestKind::Single);
}

CheckedRequest check_request(std::string_view bytes, const CheckSettings& settings, RequestKind kind, BulkFamily family, ViewingKind viewing) {
    CheckedRequest out;
    Checker check(settings, out);
    if (bytes.empty()) {
        check.add("empty-file", "file", "the file is empty");
        return out;
    }
    const std::size_t limit = kind == RequestKind::BulkSubmission ? settings.max_bulk_bytes : settings.max_bytes;
    if (bytes.size() > limit) {
        check.add("too-large", "file", "the file is larger than " + std::to_string(limit) + " bytes");
        return out;
    }
    if (const auto nul = bytes.find('\0'); nul != std::string_view::npos) {
        check.add("nul-byte", "byte " + std::to_string(nul + 1), "the file holds a NUL byte at byte " + std::to_string(nul + 1));
        return out;
    }
    auto text = decode(bytes, check, out.encoding);
    if (!text) return out;
    pugi::xml_document doc;
    const auto parsed = doc.load_buffer_inplace(text->data(), text->size(), pugi::parse_default | pugi::parse_doctype, pugi::encoding_utf8);
    if (!parsed) {
        // The offset is into the text as UTF-8, which has the same lines and characters as the file.
        check.add("not-well-formed", line_and_column(*text, static_cast<std::size_t>(parsed.offset)), std::string("XML: ") + parsed.description());
        return out;
    }
    for (const auto node : doc.children())
        if (node.type() == pugi::node_doctype) {
            check.add("doctype", "file", "the file has a DOCTYPE");
            return out;
        }
    if (depth_of(doc) > settings.max_depth) {
        check.add("too-deep", "file", "elements nest deeper than " + std::to_string(settings.max_depth));
        return out;
    }
    const auto root = doc.document_element();
    if (std::string_view(root.name()) != name::XmlMsg) {
        check.add("root", "/" + std::string(root.name()), "the root element is '" + std::string(root.name()) + "', not XmlMsg");
        return out;
    }
    check_request(root, check, out, kind, family, viewing);
    return out;
}

}  // namespace mynasim::onshi
