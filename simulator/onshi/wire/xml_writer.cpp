#include "xml_writer.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "onshi/wire/xml_text.hpp"

namespace mynasim::onshi {

namespace {

// Bytes written as they are: all but &, <, > and the control characters other than tab, newline and
// carriage return (a table: this runs over every byte of every answer).
constexpr auto plain_bytes = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 256; ++c) table[c] = c >= 32 ? c != '&' && c != '<' && c != '>' : c == '\t' || c == '\n' || c == '\r';
    return table;
}();

bool is_plain(std::string_view text) {
    for (const char ch : text)
        if (!plain_bytes[static_cast<unsigned char>(ch)]) return false;
    return true;
}

constexpr std::size_t indent_step = 2;

}  // namespace

XmlWriter::XmlWriter(std::string_view root) : XmlWriter(root, utf8_declaration) {}

XmlWriter::XmlWriter(std::string_view root, std::string_view declaration) {
    text_.resize(4096);  // an XmlMsg answer with one qualification is about 3.3 KB
    open_.reserve(8);
    put(declaration);
    open(root);
}

void XmlWriter::grow(std::size_t bytes) { text_.resize(std::max(2 * text_.size(), used_ + bytes)); }

void XmlWriter::put(std::string_view part) { std::memcpy(room(part.size()), part.data(), part.size()); }

char* XmlWriter::start_child(std::size_t more) {
    const std::size_t indent = indent_step * open_.size();
    char* at = room((start_tag_open_ ? 2 : 0) + indent + more);
    if (start_tag_open_) {
        *at++ = '>';
        *at++ = '\n';
    }
    std::memset(at, ' ', indent);
    start_tag_open_ = false;
    return at + indent;
}

// Runs of plain characters are copied at once; only &, <, > and control characters other than tab,
// newline and carriage return are replaced; a NUL ends the text (as pugixml's C strings do).
void XmlWriter::append_escaped(std::string_view text) {
    std::size_t plain = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 32 ? c != '&' && c != '<' && c != '>' : c == '\t' || c == '\n' || c == '\r') continue;
        put(text.substr(plain, i - plain));
        plain = i + 1;
        if (c == 0) return;
        if (c == '&') put("&amp;");
        else if (c == '<') put("&lt;");
        else if (c == '>') put("&gt;");
        else {
            const char reference[] = {'&', '#', static_cast<char>('0' + c / 10), static_cast<char>('0' + c % 10), ';'};
            put(std::string_view(reference, sizeof reference));
        }
    }
    put(text.substr(plain));
}

XmlWriter& XmlWriter::element(std::string_view name, std::string_view text) {
    if (!is_plain(text)) {
        start_child(0);
        put("<");
        put(name);
        put(">");
        append_escaped(text);
        put("</");
        put(name);
        put(">\n");
        return *this;
    }
    // The common case in one piece: the indentation, <name>text</name> and the newline.
    char* at = start_child(2 * name.size() + text.size() + 6);
    *at++ = '<';
    std::memcpy(at, name.data(), name.size());
    at += name.size();
    *at++ = '>';
    std::memcpy(at, text.data(), text.size());
    at += text.size();
    *at++ = '<';
    *at++ = '/';
    std::memcpy(at, name.data(), name.size());
    at += name.size();
    *at++ = '>';
    *at = '\n';
    return *this;
}

XmlWriter& XmlWriter::empty(std::string_view name) {
    char* at = start_child(name.size() + 5);
    *at++ = '<';
    std::memcpy(at, name.data(), name.size());
    std::memcpy(at + name.size(), " />\n", 4);
    return *this;
}

XmlWriter& XmlWriter::open(std::string_view name) {
    char* at = open_.empty() ? room(name.size() + 1) : start_child(name.size() + 1);
    *at = '<';
    std::memcpy(at + 1, name.data(), name.size());
    open_.push_back(name);
    start_tag_open_ = true;
    return *this;
}

XmlWriter& XmlWriter::close() {
    const std::string_view name = open_.back();
    open_.pop_back();
    if (start_tag_open_) {
        put(" />\n");
        start_tag_open_ = false;
        return *this;
    }
    const std::size_t indent = indent_step * open_.size();
    char* at = room(indent + name.size() + 4);
    std::memset(at, ' ', indent);
    at += indent;
    *at++ = '<';
    *at++ = '/';
    std::memcpy(at, name.data(), name.size());
    std::memcpy(at + name.size(), ">\n", 2);
    return *this;
}

std::string XmlWriter::finish() {
    while (!open_.empty()) close();
    text_.resize(used_);
    return std::move(text_);
}

}  // namespace mynasim::onshi
