#include "charset.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>

#include <iconv.h>

namespace mynasim::onshi {

namespace {

std::optional<std::string> convert(const char* to, const char* from, std::string_view text) {
    iconv_t cd = iconv_open(to, from);
    if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
    std::string out(text.size() * 4 + 16, '\0');
    char* in = const_cast<char*>(text.data());
    std::size_t in_left = text.size();
    char* cursor = out.data();
    std::size_t out_left = out.size();
    const std::size_t rc = iconv(cd, &in, &in_left, &cursor, &out_left);
    iconv_close(cd);
    if (rc == static_cast<std::size_t>(-1) || in_left != 0) return std::nullopt;
    out.resize(out.size() - out_left);
    return out;
}

}  // namespace

std::optional<std::string> shift_jis_to_utf8(std::string_view text) { return convert("UTF-8", "CP932", text); }
std::optional<std::string> utf8_to_shift_jis(std::string_view text) { return convert("CP932", "UTF-8", text); }

std::string utf8_to_shift_jis_replacing(std::string_view text) {
    static constexpr char black_circle[] = "\x81\x9C";  // ● in CP932
    iconv_t cd = iconv_open("CP932", "UTF-8");
    if (cd == reinterpret_cast<iconv_t>(-1)) return std::string(text);
    std::string out;
    out.reserve(text.size() + 16);
    char buffer[4096];
    char* in = const_cast<char*>(text.data());
    std::size_t in_left = text.size();
    while (in_left > 0) {
        char* cursor = buffer;
        std::size_t out_left = sizeof buffer;
        const std::size_t rc = iconv(cd, &in, &in_left, &cursor, &out_left);
        out.append(buffer, sizeof buffer - out_left);
        if (rc != static_cast<std::size_t>(-1) || errno == E2BIG) continue;
        // EILSEQ (no CP932 form, or not UTF-8) or EINVAL (cut short at the end): one character goes.
        const auto lead = static_cast<unsigned char>(*in);
        std::size_t length = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        if (errno != EILSEQ || length > in_left) length = 1;
        for (std::size_t i = 1; i < length; ++i)
            if ((static_cast<unsigned char>(in[i]) & 0xC0) != 0x80) length = 1;
        in += length;
        in_left -= length;
        out += black_circle;
    }
    iconv_close(cd);
    return out;
}

std::string declared_xml_encoding(std::string_view xml) {
    if (xml.substr(0, 5) != "<?xml") return {};
    const auto end = xml.find("?>");
    const std::string_view declaration = xml.substr(0, end == std::string_view::npos ? xml.size() : end);
    const auto key = declaration.find("encoding");
    if (key == std::string_view::npos) return {};
    const auto quote = declaration.find_first_of("\"'", key);
    if (quote == std::string_view::npos) return {};
    const auto close = declaration.find(declaration[quote], quote + 1);
    if (close == std::string_view::npos) return {};
    std::string name(declaration.substr(quote + 1, close - quote - 1));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return name;
}

bool is_shift_jis_name(const std::string& n) {
    return n == "SHIFT_JIS" || n == "SHIFT-JIS" || n == "SJIS" || n == "CP932" || n == "WINDOWS-31J" || n == "MS932";
}

}  // namespace mynasim::onshi
