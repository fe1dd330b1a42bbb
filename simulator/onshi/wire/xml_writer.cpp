#include "xml_writer.hpp"

#include <cstring>

#include "onshi/wire/xml_text.hpp"

namespace mynasim::onshi {

namespace {

// Runs of plain characters are appended at once; only &, <, > and control characters other than tab,
// newline and carriage return are replaced.
void append_escaped(std::string& out, std::string_view text) {
    std::size_t plain = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 32 ? c != '&' && c != '<' && c != '>' : c == '\t' || c == '\n' || c == '\r') continue;
        out.append(text.substr(plain, i - plain));
        plain = i + 1;
        if (c == 0) return;
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else {
            out += "&#";
            out += static_cast<char>('0' + c / 10);
            out += static_cast<char>('0' + c % 10);
            out += ';';
        }
    }
    out.append(text.substr(plain));
}

bool is_plain(std::string_view text) {
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 32 ? c == '&' || c == '<' || c == '>' : c != '\t' && c != '\n' && c != '\r') return false;
    }
    return true;
}

// Copies `part` to `at` and returns the end (the caller has made the room).
char* put(char* at, std::string_view part) {
    std::memcpy(at, part.data(), part.size());
    return at + part.size();
}

}  // namespace

XmlWriter::XmlWriter(std::string_view root) : XmlWriter(root, utf8_declaration) {}

XmlWriter::XmlWriter(std::string_view root, std::string_view declaration) {
    text_.reserve(4096);  // an XmlMsg answer with one qualification is about 3.3 KB
    open_.reserve(8);
    text_ += declaration;
    open(root);
}

void XmlWriter::start_child() {
    if (start_tag_open_) text_ += ">\n";
    start_tag_open_ = false;
    text_.append(2 * open_.size(), ' ');
}

// An answer is mostly plain values: each is written with one resize and copies (escaped text, rare, by parts).
XmlWriter& XmlWriter::element(std::string_view name, std::string_view text) {
    if (!is_plain(text)) {
        start_child();
        text_ += '<';
        text_ += name;
        text_ += '>';
        append_escaped(text_, text);
        text_ += "</";
        text_ += name;
        text_ += ">\n";
        return *this;
    }
    const std::size_t indent = 2 * open_.size(), close_parent = start_tag_open_ ? 2 : 0;
    const std::size_t at = text_.size();
    text_.resize(at + close_parent + indent + 2 * name.size() + text.size() + 6);
    char* p = text_.data() + at;
    if (close_parent) p = put(p, ">\n");
    start_tag_open_ = false;
    std::memset(p, ' ', indent);
    p += indent;
    *p++ = '<';
    p = put(p, name);
    *p++ = '>';
    p = put(p, text);
    p = put(p, "</");
    p = put(p, name);
    put(p, ">\n");
    return *this;
}

XmlWriter& XmlWriter::empty(std::string_view name) {
    const std::size_t indent = 2 * open_.size(), close_parent = start_tag_open_ ? 2 : 0;
    const std::size_t at = text_.size();
    text_.resize(at + close_parent + indent + name.size() + 5);
    char* p = text_.data() + at;
    if (close_parent) p = put(p, ">\n");
    start_tag_open_ = false;
    std::memset(p, ' ', indent);
    p += indent;
    *p++ = '<';
    p = put(p, name);
    put(p, " />\n");
    return *this;
}

XmlWriter& XmlWriter::open(std::string_view name) {
    if (!open_.empty()) start_child();
    text_ += '<';
    text_ += name;
    open_.push_back(name);
    start_tag_open_ = true;
    return *this;
}

XmlWriter& XmlWriter::close() {
    const std::string_view name = open_.back();
    open_.pop_back();
    if (start_tag_open_) {
        text_ += " />\n";
        start_tag_open_ = false;
        return *this;
    }
    text_.append(2 * open_.size(), ' ');
    text_ += "</";
    text_ += name;
    text_ += ">\n";
    return *this;
}

std::string XmlWriter::finish(bool shift_jis) {
    while (!open_.empty()) close();
    return in_answer_encoding(std::move(text_), shift_jis);
}

}  // namespace mynasim::onshi
