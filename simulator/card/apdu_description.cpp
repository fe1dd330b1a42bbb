#include "apdu_description.hpp"

#include <array>
#include <cstdio>

#include "card/apdu.hpp"
#include "card/jpki_application.hpp"
#include "card/kenmen_application.hpp"
#include "card/kenmen_hojo_application.hpp"
#include "card/selectable_application.hpp"

namespace mynasim::card {

namespace {

std::string hex16(unsigned value) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "%04X", value & 0xFFFF);
    return buffer;
}

const ApplicationDefinition* current_app(const CardDefinition& definition, const CardSession& session) {
    if (!session.current_application || *session.current_application >= definition.applications.size())
        return nullptr;
    return &definition.applications[*session.current_application];
}

std::string file_name(const ApplicationDefinition* app, const ElementaryFile* file, unsigned fid) {
    std::string text = "EF " + hex16(fid);
    if (file) text += " (" + file->label + ")";
    else if (!app) text += " (no application selected)";
    return text;
}

std::string describe_file_by_sfi(const ApplicationDefinition* app, std::uint8_t sfi) {
    const ElementaryFile* file = app ? app->file_by_sfi(sfi) : nullptr;
    return file_name(app, file, sfi) + " by SFI";
}

std::string describe_current_file(const ApplicationDefinition* app, const CardSession& session) {
    if (!session.current_file) return "current EF (none selected)";
    const ElementaryFile* file = app ? app->file(*session.current_file) : nullptr;
    return file_name(app, file, *session.current_file);
}

std::string pin_target(const ApplicationDefinition* app, const CardSession& session, std::uint8_t p2) {
    if (p2 == 0x80) return describe_current_file(app, session);
    return describe_file_by_sfi(app, static_cast<std::uint8_t>(p2 & 0x1F));
}

}  // namespace

std::string aid_name(ByteView aid) {
    static const std::array<std::pair<Bytes, const char*>, 5> known = {{
        {jpki_aid(), "JPKI AP"},
        {kenmen_hojo_aid(), "券面事項入力補助 AP"},
        {kenmen_aid(), "券面 AP"},
        {juki_aid(), "住基 AP"},
        {common_aid(), "共通 AP"},
    }};
    for (const auto& [bytes, name] : known)
        if (std::equal(bytes.begin(), bytes.end(), aid.begin(), aid.end())) return name;
    return "AID " + to_hex(aid);
}

std::string describe_command(const CardDefinition& definition, const CardSession& session, ByteView apdu) {
    const auto command = decode_command(apdu);
    if (!command) return "malformed APDU (" + std::to_string(apdu.size()) + " bytes)";
    const ApplicationDefinition* app = current_app(definition, session);
    const auto& c = *command;
    const std::string le = c.le ? " Le " + std::to_string(*c.le) : "";
    switch (c.ins) {
    case 0xA4:
        if (c.p1 == 0x04) return "SELECT " + aid_name(c.data);
        if (c.p1 == 0x02 && c.data.size() == 2) {
            const unsigned fid = static_cast<unsigned>(c.data[0] << 8 | c.data[1]);
            return "SELECT " + file_name(app, app ? app->file(static_cast<std::uint16_t>(fid)) : nullptr, fid);
        }
        return "SELECT (P1 " + hex16(c.p1).substr(2) + ")";
    case 0xB0:
        if (c.p1 & 0x80)
            return "READ BINARY " + describe_file_by_sfi(app, static_cast<std::uint8_t>(c.p1 & 0x1F)) + " offset " +
                   std::to_string(c.p2) + le;
        return "READ BINARY " + describe_current_file(app, session) + " offset " +
               std::to_string(c.p1 << 8 | c.p2) + le;
    case 0x20:
        return "VERIFY " + pin_target(app, session, c.p2) +
               (c.data.empty() ? " (empty: ask tries left)" : " with " + std::to_string(c.data.size()) + "-char PIN");
    case 0x2A:
        if (c.cla == 0x80)
            return "COMPUTE DIGITAL SIGNATURE " + pin_target(app, session, c.p2) + " over " +
                   std::to_string(c.data.size()) + " bytes";
        if (c.p2 == 0xBE) return "PSO: VERIFY CERTIFICATE (" + std::to_string(c.data.size()) + " bytes)";
        return "PERFORM SECURITY OPERATION";
    case 0x84: return "GET CHALLENGE" + le;
    case 0x82: return "EXTERNAL AUTHENTICATE (" + std::to_string(c.data.size()) + " bytes)";
    default: return "INS " + hex16(c.ins).substr(2);
    }
}

std::string describe_response(ByteView response) {
    if (response.size() < 2) return "(no answer)";
    const auto word = static_cast<StatusWord>(response[response.size() - 2] << 8 | response[response.size() - 1]);
    std::string text = hex16(word) + " " + std::string(status_meaning(word));
    if (response.size() > 2) text += ", " + std::to_string(response.size() - 2) + " bytes";
    return text;
}

}  // namespace mynasim::card
